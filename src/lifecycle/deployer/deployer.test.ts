import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleManifest } from '../../../test/bundle-fixtures.js';
import type { RankedTrial } from '../../training/ranked-trials.js';
import type { ModelRef } from '../contracts.js';
import type { PromotionCheck } from '../promotion-check.js';
import { deployerFixture, deployerFrame as frame, trial } from '../testing/deployer-fakes.js';
import { Deployer } from './deployer.js';
import { DeployerConfigSchema, DeploymentStateSchema } from './deployment-state.js';

const setup = (trials: () => RankedTrial[], mode: 'hybrid' | 'training-only' | 'arena-only' = 'hybrid') =>
  deployerFixture(trials, { mode, studies: ['s'], scoreMargin: 0.1 });

const qualifying = (modelId: string, qualifies: boolean): PromotionCheck => ({
  modelId,
  trialNumber: Number(modelId.split('/')[1]),
  hours: 200,
  returnPct: 5,
  paperReturnPct: qualifies ? 1 : 4,
  excessReturnPct: qualifies ? 4 : 1,
  sharpe: 1.2,
  windowStart: '2024-01-01T00:00:00.000Z',
  windowStartTs: Date.parse('2024-01-01T00:00:00.000Z'),
  psr: 0.9,
  maxDrawdownPct: 3,
  rules: [
    { rule: 'minHours', threshold: 168, value: 200, passed: true },
    { rule: 'minExcessPct', threshold: 2, value: qualifies ? 4 : 1, passed: qualifies },
    { rule: 'minSharpe', threshold: 0, value: 1.2, passed: true },
  ],
  qualifies,
});

describe('deployer (hybrid)', () => {
  it('deploys a new best trial on the next cycle and never a worse one; a skip is recorded once', () => {
    let available = [trial(0, 1)];
    const s = setup(() => available);
    const d = Deployer.open(s.deps);
    d.onFrame(frame(0));
    expect(s.swaps).toEqual(['s/0']);
    available = [trial(1, 1.05), trial(0, 1)]; // better, but not by the 0.1 margin
    d.onFrame(frame(1));
    d.onFrame(frame(2));
    expect(s.swaps).toEqual(['s/0']);
    available = [trial(2, 1.5), trial(1, 1.05), trial(0, 1)];
    d.onFrame(frame(3));
    expect(s.swaps).toEqual(['s/0', 's/2']);
    expect(d.current).toMatchObject({ modelId: 's/2', trainingScore: 1.5, source: 'training' });
    const actions = s.history().map((e) => `${e.action}:${e.modelId}`);
    expect(actions).toEqual(['deploy:s/0', 'skip:s/1', 'deploy:s/2']);
    // the replaced model is in the arena as a challenger; the next best are offered
    expect(s.arena.known.has('s/0')).toBe(true);
    expect(s.arena.known.has('s/1')).toBe(true);
    expect(s.arena.champion?.modelId).toBe('s/2');
  });

  it('promotes a qualifying candidate, refuses one that no longer qualifies, and archives both', () => {
    const s = setup(() => [trial(0, 2), trial(1, 1), trial(2, 0.5)]);
    const d = Deployer.open(s.deps);
    d.onFrame(frame(0));
    s.arena.checks.set('s/1', qualifying('s/1', true));
    s.setCandidate('s/1');
    d.onFrame(frame(1));
    expect(s.swaps).toEqual(['s/0', 's/1']);
    expect(d.current).toMatchObject({ modelId: 's/1', source: 'promotion' });
    expect(s.arena.removed).toEqual(['s/1']);
    expect(s.archived).toEqual([
      {
        accepted: true,
        reason: expect.stringMatching(/4.00 pp over the paper trader/),
        decidedAt: frame(1).ts,
      },
    ]);
    s.arena.checks.set('s/2', qualifying('s/2', false));
    s.setCandidate('s/2');
    d.onFrame(frame(2));
    expect(s.swaps).toEqual(['s/0', 's/1']);
    expect(s.archived[1]).toMatchObject({
      accepted: false,
      reason: expect.stringMatching(/no longer qualifies.*minExcessPct 1 vs 2/),
    });
    expect(s.history().map((e) => e.action)).toEqual(['deploy', 'promote', 'refuse']);
    // the promoted model's lower training score does not make the old champion come back
    d.onFrame(frame(3));
    expect(s.swaps).toEqual(['s/0', 's/1']);
  });

  it('swaps at most once per cycle: a candidate waits while a new best trial deploys', () => {
    let available = [trial(0, 1), trial(1, 0.5)];
    const s = setup(() => available);
    const d = Deployer.open(s.deps);
    d.onFrame(frame(0));
    available = [trial(2, 3), trial(0, 1), trial(1, 0.5)];
    s.arena.checks.set('s/1', qualifying('s/1', true));
    s.setCandidate('s/1');
    d.onFrame(frame(1));
    expect(s.swaps).toEqual(['s/0', 's/2']);
    expect(s.archived).toEqual([]);
    d.onFrame(frame(2));
    expect(s.swaps).toEqual(['s/0', 's/2', 's/1']);
  });

  it('records the re-scored deployed score and decides on it', () => {
    let available = [trial(0, 1)];
    const s = setup(() => available);
    const d = Deployer.open({ ...s.deps, rescore: () => 0.2 });
    d.onFrame(frame(0));
    available = [trial(1, 0.9), trial(0, 1)];
    d.onFrame(frame(1));
    expect(s.swaps).toEqual(['s/0', 's/1']);
    const rescore = s.history().find((e) => e.action === 'rescore')!;
    expect(rescore.details).toMatchObject({ recordedScore: 1, rescoredScore: 0.2, candidateScore: 0.9 });
  });
});

describe('deployer seals', () => {
  it('seals an offered model once while it stays in the offer, again when it comes back, and retries one it could not read', () => {
    let available = [trial(0, 2), trial(1, 1), trial(2, 0.5)];
    const s = setup(() => available);
    s.arena.excluded.add('s/2'); // the arena keeps it out: offered every cycle, never taken
    const sealed: string[] = [];
    const unreadable = new Set<string>();
    const sealModel = (ref: ModelRef): ModelRef =>
      unreadable.has(ref.modelId)
        ? ref
        : { ...ref, bundleSha256: String(sealed.push(ref.modelId)).padStart(64, '0') };
    const d = Deployer.open({ ...s.deps, sealModel });
    const offered = () =>
      DeploymentStateSchema.parse(
        JSON.parse(readFileSync(join(s.root, 'deployments/deployment_state.json'), 'utf8')),
      ).lastEffects?.offer.map((r) => `${r.modelId}:${Number(r.bundleSha256 ?? -1)}`);
    d.onFrame(frame(0));
    expect(sealed).toEqual(['s/0', 's/1', 's/2']); // the deployed model, then the offer
    expect(offered()).toEqual(['s/1:2', 's/2:3']);
    d.onFrame(frame(1));
    d.onFrame(frame(2));
    expect(sealed).toEqual(['s/0', 's/1', 's/2']); // s/1 is known to the arena, s/2 keeps its seal
    expect(offered()).toEqual(['s/1:-1', 's/2:3']);
    available = [trial(0, 2), trial(1, 1)];
    d.onFrame(frame(3)); // s/2 leaves the offer ...
    available = [trial(0, 2), trial(1, 1), trial(2, 0.5)];
    d.onFrame(frame(4)); // ... and is sealed afresh when it comes back
    expect(sealed).toEqual(['s/0', 's/1', 's/2', 's/2']);
    // a bundle that could not be read is asked again every cycle, never remembered unsealed
    available = [trial(0, 2), trial(1, 1), trial(3, 0.4)];
    s.arena.excluded.add('s/3');
    unreadable.add('s/3');
    d.onFrame(frame(5));
    d.onFrame(frame(6));
    unreadable.delete('s/3');
    d.onFrame(frame(7));
    expect(sealed).toEqual(['s/0', 's/1', 's/2', 's/2', 's/3']);
    expect(offered()).toEqual(['s/1:-1', 's/3:5']);
  });
});

describe('deployer modes', () => {
  it('training-only never promotes; arena-only deploys only through promotion', () => {
    const t = setup(() => [trial(0, 1), trial(1, 0.5)], 'training-only');
    const dt = Deployer.open(t.deps);
    dt.onFrame(frame(0));
    t.arena.checks.set('s/1', qualifying('s/1', true));
    t.setCandidate('s/1');
    dt.onFrame(frame(1));
    expect(t.swaps).toEqual(['s/0']);
    const a = setup(() => [trial(0, 1), trial(1, 0.5)], 'arena-only');
    const da = Deployer.open(a.deps);
    da.onFrame(frame(0));
    expect(a.swaps).toEqual([]);
    expect(a.arena.known.has('s/0')).toBe(true);
    a.arena.checks.set('s/1', qualifying('s/1', true));
    a.setCandidate('s/1');
    da.onFrame(frame(1));
    expect(a.swaps).toEqual(['s/1']);
  });
});

describe('deployer state', () => {
  it('applies each cycle once and resumes after lastCycleTs', () => {
    const s = setup(() => [trial(0, 1)]);
    const d = Deployer.open(s.deps);
    expect(d.onFrame(frame(0))).toBe(true);
    expect(d.onFrame(frame(0))).toBe(false);
    const again = Deployer.open(s.deps);
    expect(again.lastBarTs).toBe(frame(0).ts);
    expect(again.onFrame(frame(0))).toBe(false);
    expect(again.onFrame(frame(1))).toBe(true);
  });

  it("after a crash between the journal append and the state write, drops the cycle's lines and decides it again", () => {
    let available = [trial(0, 1)];
    const s = setup(() => available);
    const d = Deployer.open(s.deps);
    d.onFrame(frame(0));
    const statePath = join(s.root, 'deployments/deployment_state.json');
    const committed = readFileSync(statePath, 'utf8');
    available = [trial(1, 2), trial(0, 1)];
    d.onFrame(frame(1)); // history appended, state written: undo the state write as a crash would
    writeFileSync(statePath, committed);
    expect(s.history().map((e) => e.cycleTs)).toEqual([frame(0).ts, frame(1).ts]);
    const reopened = Deployer.open(s.deps);
    expect(s.history().map((e) => e.cycleTs)).toEqual([frame(0).ts]);
    expect(reopened.onFrame(frame(1))).toBe(true);
    expect(s.history().map((e) => `${e.action}:${e.modelId}`)).toEqual(['deploy:s/0', 'deploy:s/1']);
  });

  it('refuses a history.jsonl emptied, cut or edited since the last commit, naming it, and changes nothing', () => {
    const s = setup(() => [trial(0, 1), trial(1, 0.5)]);
    Deployer.open(s.deps).onFrame(frame(0));
    const path = join(s.root, 'deployments/history.jsonl');
    const text = readFileSync(path, 'utf8');
    for (const [changed, why] of [
      ['', /history\.jsonl is empty, the last commit recorded \d+ bytes/],
      [text.slice(0, -5), /history\.jsonl holds \d+ bytes, the last commit recorded/],
      [text.replace('"deploy"', '"deplox"'), /history\.jsonl: its first \d+ bytes differ/],
    ] as const) {
      writeFileSync(path, changed);
      expect(() => Deployer.open(s.deps)).toThrow(
        expect.objectContaining({ code: 'JOURNAL_MISMATCH', message: expect.stringMatching(why) }),
      );
      expect(readFileSync(path, 'utf8')).toBe(changed);
    }
    rmSync(path);
    expect(() => Deployer.open(s.deps)).toThrow(/history\.jsonl is missing \(deleted\)/);
  });

  it('a state file written before journals were marked: re-appends lost decisions, re-applies the swap, marks it', () => {
    const s = setup(() => [trial(0, 1), trial(1, 0.5)]);
    Deployer.open(s.deps).onFrame(frame(0));
    const statePath = join(s.root, 'deployments/deployment_state.json');
    const { journals: _marks, ...legacy } = JSON.parse(readFileSync(statePath, 'utf8'));
    writeFileSync(statePath, JSON.stringify(legacy));
    writeFileSync(join(s.root, 'deployments/history.jsonl'), ''); // the old order's crash: state, then journal
    s.paper.model = null;
    s.arena.known.clear();
    Deployer.open(s.deps);
    expect(s.history().map((e) => e.action)).toEqual(['deploy']);
    expect((s.paper.model as ModelRef | null)?.modelId).toBe('s/0');
    // the cycle's other effects are applied again too, once
    expect(s.arena.known.has('s/1')).toBe(true);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).journals.history.bytes).toBeGreaterThan(0);
    const swapsBefore = s.swaps.length;
    Deployer.open(s.deps);
    expect(s.swaps.length).toBe(swapsBefore);
  });

  it('refuses a hand-edited state file naming the field, and a mode change', () => {
    const s = setup(() => [trial(0, 1)]);
    Deployer.open(s.deps).onFrame(frame(0));
    const path = join(s.root, 'deployments/deployment_state.json');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"source": "training"', '"source": "magic"'));
    expect(() => Deployer.open(s.deps)).toThrow(/deployment_state.json: field "current.source"/);
    writeFileSync(path, text);
    expect(() => Deployer.open({ ...s.deps, config: { ...s.deps.config, mode: 'arena-only' } })).toThrow(
      /field "mode" is hybrid but the deployer runs in arena-only mode/,
    );
  });
});

describe('deployer (ensemble mode)', () => {
  it('deploys a mean-vote ensemble of the top trials, resetting positions only when the members change', async () => {
    const { writeBundle } = await import('../../models/bundle/index.js');
    let available: RankedTrial[] = [];
    const s = setup(() => available);
    const models = join(s.root, 'models');
    for (const n of [0, 1, 2]) {
      writeBundle(
        join(models, 's', String(n)),
        ruleManifest(['A'], { params: { fast: 3 + n, slow: 10 }, trainingScore: n, trialNumber: n }),
      );
    }
    const t = (n: number, v: number) => ({ ...trial(n, v), modelPath: join(models, 's', String(n)) });
    const resets: boolean[] = [];
    const paper = {
      ...s.paper,
      setModel: (ref: ModelRef, _p: unknown, o?: { resetPositions?: boolean }) => {
        s.swaps.push(ref.modelId);
        resets.push(o?.resetPositions === true);
      },
    };
    const d = Deployer.open({
      ...s.deps,
      paper,
      config: DeployerConfigSchema.parse({ mode: 'ensemble', studies: ['s'], ensembleSize: 2 }),
    });
    available = [t(2, 2), t(1, 1)];
    d.onFrame(frame(0));
    d.onFrame(frame(1));
    available = [t(2, 2), t(0, 1.5), t(1, 1)];
    d.onFrame(frame(2));
    expect(s.swaps).toEqual(['_ensembles/s-2+s-1', '_ensembles/s-2+s-0']);
    expect(resets).toEqual([true, true]);
    expect(d.current).toMatchObject({ source: 'ensemble', trainingScore: 1.75 });
    const manifest = JSON.parse(readFileSync(join(models, '_ensembles', 's-2+s-0', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      kind: 'ensemble',
      study: '_ensembles',
      trainingScore: 1.75,
    });
    expect(manifest.strategy).toBeUndefined();
    expect(manifest.members).toEqual([
      { path: 's/2', weight: 1 },
      { path: 's/0', weight: 1 },
    ]);
  });
});
