// The completed trials the deployer and the arena read when they come from the study storage (a live feed, or a
// replay beside the trainer): re-read before a frame through the frame loop's pre-frame hook, on any storage
// (SQLite or PostgreSQL, asynchronous), with the bundles that workers on other hosts published made local.
import { HybridTraderError } from '../core/errors.js';
import { type ServiceLogger, SILENT_LOGGER } from '../core/logger.js';
import { type ArtifactStore, openArtifactStore, TrialBundles } from '../training/artifacts/index.js';
import { type RankedTrial, rankedTrialsOf } from '../training/ranked-trials.js';
import { openStudyStorage, type StudyStorage } from '../training/storage/index.js';
import type { FrameHook } from './frame-loop.js';

export interface StudyTrialFeedOptions {
  readonly root: string;
  /** Study storage URL (relative sqlite paths under root). */
  readonly storageUrl: string;
  /** Where published bundles are fetched from (`--artifacts`: auto, none, database, a shared folder). */
  readonly artifacts: string;
  readonly studies: readonly string[];
  /** The trials are re-read before a frame whose version differs from the last read's. */
  readonly version: (ts: number) => number;
  readonly logger?: ServiceLogger;
  /**
   * How long one read retries an unreachable PostgreSQL before the frame goes on with the trials of the
   * last read (default 10 s: a live frame waits that long at most). Unused for SQLite.
   */
  readonly retryForMs?: number;
}

const DEFAULT_READ_RETRY_MS = 10_000;

/** Failures of a storage that is there but cannot answer now (PostgreSQL unreachable, SQLite locked too long). */
const TRANSIENT = new Set(['STUDY_STORAGE_UNAVAILABLE', 'STUDY_STORAGE_BUSY']);

/** Whether two ranked lists name the same trials with the same scores and bundles, in the same order. */
function sameTrials(a: readonly RankedTrial[], b: readonly RankedTrial[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (t, k) =>
        t.study === b[k]!.study &&
        t.number === b[k]!.number &&
        t.value === b[k]!.value &&
        t.modelPath === b[k]!.modelPath,
    )
  );
}

/**
 * One storage connection (and artifact store) for the whole run. `hook` refreshes the trials before each
 * frame when `version` says they may have changed; `trialsAt` answers from the last refresh, synchronously,
 * as the services need. The list is frozen and the same array while its trials do not change (the deployer
 * then knows they are all seen). A storage that stays unreachable past `retryForMs` leaves the last trials
 * in place, logged once per outage (the services go on trading; new trials arrive when it is back); any
 * other failure (a row that cannot be decoded, a schema of another version) stops the loop.
 */
export class StudyTrialFeed {
  private current: readonly RankedTrial[] = Object.freeze([]);
  private readVersion = Number.NaN;
  private outageSince: number | null = null;
  private readonly logger: ServiceLogger;

  private constructor(
    private readonly options: StudyTrialFeedOptions,
    private readonly storage: StudyStorage,
    private readonly store: ArtifactStore | null,
    private readonly bundles: TrialBundles,
  ) {
    this.logger = options.logger ?? SILENT_LOGGER;
  }

  /** Opens the storage and the artifact store; throws their configuration errors (a bad URL, a schema). */
  static async open(options: StudyTrialFeedOptions): Promise<StudyTrialFeed> {
    const logger = options.logger ?? SILENT_LOGGER;
    const storage = await openStudyStorage(options.storageUrl, {
      baseDir: options.root,
      retryForMs: options.retryForMs ?? DEFAULT_READ_RETRY_MS,
    });
    let store: ArtifactStore | null = null;
    try {
      store = await openArtifactStore(options.artifacts, options.storageUrl, options.root);
    } catch (error) {
      await storage.close();
      throw error;
    }
    const bundles = new TrialBundles({
      store,
      root: options.root,
      onFetched: (t, dir) =>
        logger.info('fetched a published bundle (checked)', { study: t.study, trial: t.number, dir }),
      onProblem: (t, problem) =>
        logger.warn(`trial left out: ${problem.message}`, {
          study: t.study,
          trial: t.number,
          code: problem.code,
        }),
    });
    return new StudyTrialFeed(options, storage, store, bundles);
  }

  /** The trials of the last refresh, best first. */
  readonly trialsAt = (_ts: number): readonly RankedTrial[] => this.current;

  /** The frame loop's hook: refreshes before each frame. */
  readonly hook: FrameHook = { beforeFrame: (frame) => this.refresh(frame.ts) };

  /** Re-reads the studies' completed trials when `version(ts)` changed since the last read. */
  async refresh(ts: number): Promise<void> {
    const version = this.options.version(ts);
    if (version === this.readVersion) return;
    let ranked: RankedTrial[];
    try {
      const all = await rankedTrialsOf(this.storage, this.options.studies, this.options.root);
      ranked = await this.bundles.local(all);
    } catch (error) {
      if (!(error instanceof HybridTraderError) || !TRANSIENT.has(error.code)) throw error;
      if (this.outageSince === null) {
        this.outageSince = Date.now();
        this.logger.warn('study storage unreachable: the services go on with the trials read before', {
          error: error.message,
          trials: this.current.length,
        });
      }
      return; // readVersion unchanged: the next frame tries again
    }
    if (this.outageSince !== null) {
      this.logger.info('study storage reachable again', {
        outageSeconds: (Date.now() - this.outageSince) / 1000,
      });
      this.outageSince = null;
    }
    if (!sameTrials(ranked, this.current)) this.current = Object.freeze(ranked);
    this.readVersion = version;
  }

  async close(): Promise<void> {
    await this.store?.close().catch(() => {});
    await this.storage.close();
  }
}
