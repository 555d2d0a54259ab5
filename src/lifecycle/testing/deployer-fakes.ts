// Test fixture for the deployer: ranked trials of study "s", and a paper trader and an arena faked as records.
import { join } from 'node:path';
import { marketFromCloses } from '../../../test/market-fixtures.js';
import { createEqualWeight } from '../../models/index.js';
import { readJournal } from '../../state/index.js';
import type { RankedTrial } from '../../training/ranked-trials.js';
import type { PromotionDecision } from '../arena/candidate-schema.js';
import type { ArenaControl, FrameEvent, ModelRef, PaperControl } from '../contracts.js';
import type { DeployerDeps } from '../deployer/deployer.js';
import { type DeployerConfigInput, DeployerConfigSchema } from '../deployer/deployment-state.js';
import { HistoryEntrySchema } from '../deployer/history-entry.js';
import type { PromotionCheck } from '../promotion-check.js';
import { frameAt, memoryLogger, tempRoot } from './fixtures.js';

/** One symbol, A, closing at 100, 101, 102...: the fakes never trade it, the deployer only reads its clock. */
const market = marketFromCloses(['A'], [Array.from({ length: 60 }, (_, t) => 100 + t)]);

/** The FrameEvent of frame t (0 to 59) of the deployer tests' market. */
export const deployerFrame = (t: number): FrameEvent => frameAt(market, t);

/** Completed trial `number` of study "s" with training score `value` (its bundle path is not read). */
export function trial(number: number, value: number): RankedTrial {
  return {
    study: 's',
    number,
    trialId: number + 1,
    value,
    modelPath: `/models/s/${number}`,
    completedAt: 0,
    params: {},
  };
}

/**
 * A paper trader that keeps its model and pause flag and records every swap in `swaps` (the model id, with
 * " (unavailable)" for a model it cannot load).
 */
export function fakePaper(swaps: string[]): PaperControl & { model: ModelRef | null; paused: boolean } {
  const paper: PaperControl & { model: ModelRef | null; paused: boolean } = {
    model: null,
    equity: 10_000,
    paused: false,
    setModel(ref) {
      paper.model = ref;
      swaps.push(ref.modelId);
    },
    setUnavailableModel(ref) {
      paper.model = ref;
      swaps.push(`${ref.modelId} (unavailable)`);
    },
    setPaused(paused) {
      paper.paused = paused;
    },
    returnSince: () => 0,
  };
  return paper;
}

/**
 * An arena whose every known model is an active member: `known` holds the offered ids, `removed` the ids
 * taken out in order, `checks` the promotion check the test sets for a challenger, `excluded` the ids it
 * keeps out (expired or refused models: offered, never taken).
 */
export function fakeArena(): ArenaControl & {
  readonly known: Set<string>;
  readonly removed: string[];
  readonly checks: Map<string, PromotionCheck>;
  readonly excluded: Set<string>;
} {
  const members = new Map<string, ModelRef>();
  const known = new Set<string>();
  const excluded = new Set<string>();
  const removed: string[] = [];
  const checks = new Map<string, PromotionCheck>();
  let champion: ModelRef | null = null;
  return {
    known,
    removed,
    checks,
    excluded,
    offer(refs) {
      for (const r of refs) {
        if (excluded.has(r.modelId)) continue;
        known.add(r.modelId);
        members.set(r.modelId, r);
      }
    },
    setChampion(ref) {
      champion = ref;
    },
    remove(id) {
      known.delete(id);
      members.delete(id);
      removed.push(id);
    },
    knownModelIds: known,
    promotionCheck: (id) => checks.get(id) ?? null,
    activeMember: (id) => members.get(id) ?? null,
    get champion() {
      return champion;
    },
  };
}

/**
 * The dependencies of a deployer on a fresh workspace over the fakes above, with `trialsAt` as the
 * study's ranking and `config` (parsed) as its settings; a candidate file the test sets with
 * `setCandidate` is archived into `archived`. `history()` reads deployments/history.jsonl.
 */
export function deployerFixture(trialsAt: () => readonly RankedTrial[], config: DeployerConfigInput) {
  const root = tempRoot();
  const swaps: string[] = [];
  const paper = fakePaper(swaps);
  const arena = fakeArena();
  const archived: PromotionDecision[] = [];
  let candidate: { modelId: string } | null = null;
  const deps: DeployerDeps = {
    root,
    config: DeployerConfigSchema.parse(config),
    paper,
    arena,
    loadPolicy: () => createEqualWeight(['A']),
    logger: memoryLogger(),
    trialsAt,
    readCandidate: () => candidate,
    archiveCandidate: (decision) => {
      archived.push(decision);
      candidate = null;
    },
  };
  return {
    root,
    deps,
    paper,
    arena,
    swaps,
    archived,
    setCandidate(modelId: string | null) {
      candidate = modelId === null ? null : { modelId };
    },
    history: () => readJournal(join(root, 'deployments/history.jsonl'), HistoryEntrySchema).entries,
  };
}
