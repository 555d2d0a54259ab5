import { describe, expect, it } from 'vitest';
import type { RankedTrial } from '../../training/ranked-trials.js';
import type { PromotionCheck } from '../promotion-check.js';
import { decideCycle } from './decide.js';
import {
  type CurrentDeployment,
  type DeployerConfig,
  DeployerConfigSchema,
  type DeploymentState,
  initialDeploymentState,
} from './deployment-state.js';
import { replacedAt } from './guards.js';
import { HistoryEntrySchema } from './history-entry.js';

const T0 = Date.UTC(2024, 0, 1);
const iso = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const trial = (number: number, value: number): RankedTrial => ({
  study: 's',
  number,
  trialId: number,
  value,
  modelPath: `/m/${number}`,
  completedAt: null,
  params: {},
});
const deployment = (number: number, score: number, hours: number, source: CurrentDeployment['source']) => ({
  modelId: `s/${number}`,
  study: 's',
  trialNumber: number,
  trainingScore: score,
  deployedAt: iso(hours),
  source,
  modelPath: `/m/${number}`,
});

function state(current: CurrentDeployment, over: Partial<DeploymentState> = {}): DeploymentState {
  return {
    ...initialDeploymentState('hybrid'),
    current,
    everDeployed: [current.modelId],
    seenTrials: [current.modelId],
    ...over,
  };
}

const config = (over: Record<string, unknown> = {}): DeployerConfig =>
  DeployerConfigSchema.parse({ studies: ['s'], ...over });

function cycle(
  c: DeployerConfig,
  s: DeploymentState,
  trials: RankedTrial[],
  hours: number,
  candidate: PromotionCheck | null = null,
) {
  const decision = decideCycle({
    config: c,
    state: s,
    trials,
    candidate,
    rescoredDeployed: null,
    cycleTs: T0 + hours * 3_600_000,
    at: iso(hours + 1),
  });
  // every entry, the policy's evidence included, is a typed history line written back byte for byte
  for (const e of decision.entries)
    expect(JSON.stringify(HistoryEntrySchema.parse(e))).toBe(JSON.stringify(e));
  return decision;
}

describe('evidence outranks a score (deployer.policy evidence)', () => {
  const promoted = deployment(1, 0.5, 100, 'promotion');
  const better = [trial(7, 0.9), trial(1, 0.5)];

  it('seed: a higher training score replaces a promoted model at once', () => {
    const d = cycle(config(), state(promoted), better, 101);
    expect(d.swap?.ref.modelId).toBe('s/7');
    expect(d.entries[0]!.action).toBe('deploy');
  });

  it('evidence: a promoted incumbent stays; the trial is recorded as skipped and competes in the arena', () => {
    const d = cycle(config({ policy: 'evidence' }), state(promoted), better, 101);
    expect(d.swap).toBeNull();
    expect(d.entries).toHaveLength(1);
    expect(d.entries[0]).toMatchObject({ action: 'skip', modelId: 's/7' });
    expect(d.entries[0]!.reason).toMatch(
      /s\/1 was promoted on arena evidence: the trial competes in the arena instead/,
    );
    expect(d.entries[0]!.details).toMatchObject({
      policy: 'evidence',
      protection: 'arena',
      incumbentSource: 'promotion',
    });
    expect(d.offer.map((r) => r.modelId)).toContain('s/7');
  });

  it('evidence: a training-deployed model is protected only once it has run provenHours live', () => {
    const young = deployment(1, 0.5, 100, 'training');
    expect(cycle(config({ policy: 'evidence' }), state(young), better, 100 + 100).swap?.ref.modelId).toBe(
      's/7',
    );
    const proven = cycle(config({ policy: 'evidence' }), state(young), better, 100 + 200);
    expect(proven.swap).toBeNull();
    expect(proven.entries[0]!.reason).toMatch(/has run 201 h live \(proven from 168 h\)/);
  });

  it('evidence with margin: the trial must beat a margin growing with the weeks live', () => {
    const c = config({
      policy: 'evidence',
      protection: { onBetterScore: 'margin', marginPerProvenWeek: 0.2 },
    });
    // 336 h live: margin 0.4; 0.9 > 0.5 + 0.4 fails (equal), 0.95 passes
    const s = state(deployment(1, 0.5, 0, 'promotion'));
    const held = cycle(c, s, better, 335);
    expect(held.swap).toBeNull();
    const skip = held.entries[0]!;
    expect(skip.action === 'skip' && skip.details.requiredMargin).toBeCloseTo(0.4, 12);
    expect(cycle(c, s, [trial(8, 0.95), trial(1, 0.5)], 335).swap?.ref.modelId).toBe('s/8');
  });
});

describe('cooldown against A -> B -> A', () => {
  // s/1 deployed at 0 h, replaced by s/2 (promoted) at 200 h; s/1 re-entered the arena as a challenger
  const s = state(deployment(2, 0.4, 200, 'promotion'), {
    previousDeployments: [deployment(1, 0.5, 0, 'training')],
    everDeployed: ['s/1', 's/2'],
    seenTrials: ['s/1', 's/2'],
  });
  const trials = [trial(1, 0.5), trial(2, 0.4)];
  const candidate: PromotionCheck = {
    modelId: 's/1',
    trialNumber: 1,
    hours: 200,
    returnPct: 5,
    paperReturnPct: 1,
    excessReturnPct: 4,
    sharpe: 2,
    windowStart: iso(201),
    windowStartTs: T0 + 201 * 3_600_000,
    psr: null,
    maxDrawdownPct: null,
    rules: [],
    qualifies: true,
  };

  it('knows when a model was replaced', () => {
    expect(replacedAt(s, 's/1')).toBe(iso(200));
    expect(replacedAt(s, 's/9')).toBeNull();
  });

  it('within cooldownHours the replaced model is not promoted back; its arena evaluation restarts', () => {
    const c = config({ policy: 'evidence' });
    const d = cycle(c, s, trials, 400, candidate);
    expect(d.swap).toBeNull();
    expect(d.candidateAccepted).toBe(false);
    expect(d.restart).toEqual(['s/1']);
    expect(d.entries).toHaveLength(1);
    expect(d.entries[0]!.action).toBe('refuse');
    expect(d.entries[0]!.reason).toMatch(
      /cooldown: s\/1 was replaced 201 h ago; it comes back only with 336 h of evidence since; its arena evaluation starts again/,
    );
    expect(cycle(c, s, trials, 536, candidate).swap?.ref.modelId).toBe('s/1');
    expect(cycle(config(), s, trials, 400, candidate).restart).toBeUndefined();
  });

  it('seed: it comes back at once', () => {
    expect(cycle(config(), s, trials, 400, candidate).swap?.ref.modelId).toBe('s/1');
  });
});
