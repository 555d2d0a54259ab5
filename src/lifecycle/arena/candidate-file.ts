// arena_state/promotion_candidate.json: write/delete (arena), read and archive with the decision (deployer).
import { join } from 'node:path';
import { InvariantError, StateError } from '../../core/errors.js';
import { directStateStore, type StateStore } from '../../state/index.js';
import { copyModelRef, type ModelRef } from '../model-ref.js';
import { describeFailures, type PromotionCheck } from '../promotion-check.js';
import { arenaPaths } from './arena-paths.js';
import {
  ArchivedCandidateSchema,
  type PromotionCandidate,
  PromotionCandidateSchema,
  type PromotionDecision,
  PromotionDecisionSchema,
} from './candidate-schema.js';

/** The candidate file's content for a qualifying check (pure); InvariantError for one that does not qualify. */
export function buildCandidate(
  ref: ModelRef,
  check: PromotionCheck,
  barTs: number,
  createdAt: number,
  updatedAt: number,
): PromotionCandidate {
  const { paperReturnPct, excessReturnPct } = check;
  if (!check.qualifies || paperReturnPct === null || excessReturnPct === null)
    throw new InvariantError(
      'CANDIDATE_NOT_QUALIFIED',
      `${check.modelId} is not a promotion candidate: ${describeFailures(check.rules)}`,
      { modelId: check.modelId },
    );
  return {
    schemaVersion: 1,
    ...copyModelRef(ref),
    hours: check.hours,
    returnPct: check.returnPct,
    paperReturnPct,
    excessReturnPct,
    sharpe: check.sharpe,
    psr: check.psr,
    maxDrawdownPct: check.maxDrawdownPct,
    windowStart: check.windowStart,
    windowStartTs: check.windowStartTs ?? barTs,
    barTs,
    createdAt,
    updatedAt,
    rules: check.rules.map((r) => ({ ...r })),
  };
}

/**
 * After a frame: writes the candidate file for `best` (keeping `createdAt` while the same model stays the
 * candidate) or deletes the file when there is none, through `store`. Returns the arena's new candidate
 * record.
 */
export function updateCandidateFile(
  root: string,
  previous: { modelId: string; createdAt: number } | null,
  best: { ref: ModelRef; check: PromotionCheck } | null,
  barTs: number,
  now: number,
  store: StateStore = directStateStore,
): { modelId: string; createdAt: number } | null {
  if (best === null) {
    deletePromotionCandidate(root, store);
    return null;
  }
  const createdAt = previous?.modelId === best.ref.modelId ? previous.createdAt : now;
  writePromotionCandidate(root, buildCandidate(best.ref, best.check, barTs, createdAt, now), store);
  return { modelId: best.ref.modelId, createdAt };
}

/** Writes the candidate file atomically (the arena, after a frame). */
export function writePromotionCandidate(
  root: string,
  candidate: PromotionCandidate,
  store: StateStore = directStateStore,
): void {
  store.writeJson(arenaPaths(root).candidate, PromotionCandidateSchema, () => candidate);
}

/** Removes the candidate file if there is one (the arena, after a frame where nobody qualifies). */
export function deletePromotionCandidate(root: string, store: StateStore = directStateStore): void {
  store.remove(arenaPaths(root).candidate);
}

/**
 * The current promotion candidate, or null when there is none (as `store` will leave it: a transaction's
 * pending candidate counts). Throws StateError naming the file and field for a file that is not valid JSON
 * or fails the schema.
 */
export function readPromotionCandidate(
  root: string,
  store: StateStore = directStateStore,
): PromotionCandidate | null {
  return store.readJson(arenaPaths(root).candidate, PromotionCandidateSchema);
}

/**
 * Moves the candidate file to `arena_state/promotions/<decidedAt>-<modelId with "/" as "_">.json` with
 * the decision added (written atomically, then the candidate removed), through `store`; a name already
 * taken gets a `-1`, `-2`... suffix. Returns the archive's path. Throws StateError when there is no
 * candidate file or it is invalid (then nothing is moved).
 */
export function archivePromotionCandidate(
  root: string,
  decision: PromotionDecision,
  store: StateStore = directStateStore,
): string {
  const paths = arenaPaths(root);
  const candidate = readPromotionCandidate(root, store);
  if (candidate === null)
    throw new StateError(
      'PROMOTION_CANDIDATE_MISSING',
      `${paths.candidate}: no promotion candidate to archive`,
      {
        path: paths.candidate,
      },
    );
  const valid = PromotionDecisionSchema.parse(decision);
  const base = `${valid.decidedAt}-${candidate.modelId.replaceAll('/', '_')}`;
  let target = join(paths.promotions, `${base}.json`);
  for (let k = 1; store.exists(target); k++) target = join(paths.promotions, `${base}-${k}.json`);
  const archived = { ...candidate, decision: valid };
  store.writeJson(target, ArchivedCandidateSchema, () => archived);
  store.remove(paths.candidate);
  return target;
}
