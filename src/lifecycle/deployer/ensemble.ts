// Ensemble mode (the old system's behaviour): deploy a mean-vote ensemble of the top trials as a bundle.
import { join, relative } from 'node:path';
import { fromWorkspacePath, toWorkspacePath } from '../../core/workspace-path.js';
import {
  BUNDLE_SCHEMA_VERSION,
  commonFieldsOf,
  readBundle,
  readManifest,
  writeBundle,
} from '../../models/bundle/index.js';
import type { RankedTrial } from '../../training/ranked-trials.js';
import type { ModelRef } from '../contracts.js';
import { modelIdOf } from './decide.js';

export const ENSEMBLE_STUDY = '_ensembles';

/** The member ids of an ensemble of the `size` best trials, in rank order. */
export function ensembleMembers(trials: readonly RankedTrial[], size: number): RankedTrial[] {
  return trials.slice(0, size);
}

/**
 * Writes the ensemble bundle `models/_ensembles/<id>/` for `members` (equal weights), unless it exists
 * (same id = same members), and returns its ref. The manifest copies the shared fields of the first
 * member's (symbols, timeframe, data hash, windows, createdAt).
 */
export function writeEnsemble(
  root: string,
  id: string,
  members: readonly RankedTrial[],
  packageVersion: string,
): ModelRef & { readonly trainingScore: number } {
  const modelsRoot = join(root, 'models');
  const dir = join(modelsRoot, ENSEMBLE_STUDY, id);
  const score = members.reduce((s, m) => s + m.value, 0) / members.length;
  const first = readManifest(fromWorkspacePath(root, members[0]!.modelPath)).manifest;
  try {
    readBundle(dir);
  } catch {
    writeBundle(dir, {
      schemaVersion: BUNDLE_SCHEMA_VERSION,
      kind: 'ensemble',
      members: members.map((m) => ({
        path: relative(modelsRoot, fromWorkspacePath(root, m.modelPath)),
        weight: 1,
      })),
      ...commonFieldsOf(first),
      params: { members: members.map((m) => modelIdOf(m.study, m.number)) },
      trainingScore: score,
      study: ENSEMBLE_STUDY,
      trialNumber: null,
      packageVersion,
    });
  }
  return {
    modelId: `${ENSEMBLE_STUDY}/${id}`,
    study: ENSEMBLE_STUDY,
    trialNumber: null,
    trainingScore: score,
    modelPath: toWorkspacePath(root, dir),
  };
}
