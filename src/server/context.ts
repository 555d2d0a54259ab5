// What every route needs: the workspace, the clock and the server's settings, resolved once by createApp.
import type { StudyCatalog } from './study-catalog.js';

export interface ApiContext {
  /** The workspace root (absolute); every file read is under it, at a path fixed by the code. */
  readonly root: string;
  readonly version: string;
  /** Bearer token of the mutating endpoints; undefined or empty disables them (403). */
  readonly token: string | undefined;
  /** Epoch ms. */
  readonly now: () => number;
  /** When the app was created (epoch ms, from `now`). */
  readonly startedAt: number;
  /** The study storage (relative sqlite paths under `root`): studies, trials and workers. */
  readonly studies: StudyCatalog;
  /** How often /api/events looks for changed state files. */
  readonly eventsPollMs: number;
}
