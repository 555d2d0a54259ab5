// Makes the bundles of the best trials local before the lifecycle needs them: fetched, checked and cached.
import { join } from 'node:path';
import { ModelError } from '../../core/errors.js';
import { toWorkspacePath } from '../../core/workspace-path.js';
import type { RankedTrial } from '../ranked-trials.js';
import { ArtifactRecordSchema, type ArtifactStore } from './artifact-store.js';
import { fetchBundle } from './bundle-artifacts.js';

export interface TrialBundlesOptions {
  /** Where bundles come from; null when none is configured (trials then keep their local path only). */
  readonly store: ArtifactStore | null;
  /** Workspace root: fetched bundles go to <root>/models/<study>/<trial number>, as local ones. */
  readonly root: string;
  /** How many of the best trials must be local: the deployer takes the best, the arena the next few. Default 20. */
  readonly top?: number;
  /** Told once per trial that cannot be used, with why (the caller logs it). */
  readonly onProblem?: (trial: RankedTrial, problem: ModelError) => void;
  /** Told when a bundle was fetched into `dir` (not when it was there already). */
  readonly onFetched?: (trial: RankedTrial, dir: string) => void;
}

/**
 * The bundles of published trials on this host. A trial that carries an artifact record (its bundle was
 * published by a worker elsewhere) is fetched into <root>/models/<study>/<number> once it ranks among
 * the `top` best, each file checked against its sha256 and the folder against the bundle digest; one
 * already there is checked the same way (once per process). Trials without a record pass unchanged: their
 * bundle is local by design.
 */
export class TrialBundles {
  private readonly ready = new Set<string>();
  private readonly refused = new Set<string>();

  constructor(private readonly options: TrialBundlesOptions) {}

  /**
   * `trials` (best first) whose bundle is on this host, fetching what is missing among the best. A trial
   * whose bundle cannot be fetched or checked is left out and reported once through `onProblem`: it is
   * never deployed from a wrong or missing bundle. Errors other than a bundle's (the store unreachable
   * after its retries) are thrown.
   */
  async local(trials: readonly RankedTrial[]): Promise<RankedTrial[]> {
    const top = this.options.top ?? 20;
    const out: RankedTrial[] = [];
    for (const [rank, trial] of trials.entries()) {
      if (trial.artifact === undefined) {
        out.push(trial);
        continue;
      }
      const dir = join(this.options.root, 'models', trial.study, String(trial.number));
      const key = `${trial.study}/${trial.number}`;
      // stored as local trials' paths are: relative to the workspace (a copied workspace uses its own)
      const local = { ...trial, modelPath: toWorkspacePath(this.options.root, dir) };
      if (this.ready.has(key)) out.push(local);
      else if (rank < top && !this.refused.has(key) && (await this.fetch(trial, dir))) {
        this.ready.add(key);
        out.push(local);
      }
    }
    return out;
  }

  private async fetch(trial: RankedTrial, dir: string): Promise<boolean> {
    try {
      const parsed = ArtifactRecordSchema.safeParse(trial.artifact);
      if (!parsed.success)
        throw new ModelError(
          'ARTIFACT_RECORD_INVALID',
          `trial ${trial.number} of ${trial.study}: user attribute artifact is not an artifact record (${parsed.error.issues[0]?.message})`,
          { study: trial.study, trial: trial.number },
        );
      if (this.options.store === null)
        throw new ModelError(
          'ARTIFACT_STORE_MISSING',
          `trial ${trial.number} of ${trial.study} was published to the ${parsed.data.store} artifact store, and none is configured here (--artifacts)`,
          { study: trial.study, trial: trial.number },
        );
      if ((await fetchBundle(this.options.store, parsed.data, dir)) === 'fetched')
        this.options.onFetched?.(trial, dir);
      return true;
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      this.refused.add(`${trial.study}/${trial.number}`);
      this.options.onProblem?.(trial, error);
      return false;
    }
  }
}
