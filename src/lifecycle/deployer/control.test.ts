// Operator requests through the deployer: applied on the next cycle, recorded, positions untouched.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RankedTrial } from '../../training/ranked-trials.js';
import {
  type ControlRequestInput,
  controlPaths,
  enqueueControlRequest,
  readControlRequest,
} from '../control/index.js';
import { deployerFixture, deployerFrame as frame, trial } from '../testing/deployer-fakes.js';
import { Deployer } from './deployer.js';

function setup(trials: () => RankedTrial[]) {
  const s = deployerFixture(trials, { mode: 'hybrid', studies: ['s'] });
  return { ...s, manual: () => s.history().filter((e) => e.action === 'manual') };
}

/** A deployer that decided frame 0 (deploying the best trial), then the operator's `input` on frame 1. */
function requestAfterFirstCycle(
  trials: () => RankedTrial[],
  input: Omit<ControlRequestInput, 'requestedBy'>,
) {
  const s = setup(trials);
  const d = Deployer.open(s.deps);
  d.onFrame(frame(0));
  const request = enqueueControlRequest(s.root, { ...input, requestedBy: 'test' });
  d.onFrame(frame(1));
  return { s, d, request };
}

describe('operator control requests in the deployer', () => {
  it('a manual promotion of an arena member swaps on the next cycle, records it, and the old model competes on', () => {
    const s = setup(() => [trial(0, 1), trial(1, 0.5)]);
    const d = Deployer.open(s.deps);
    d.onFrame(frame(0)); // deploys s/0, offers s/1
    expect(s.swaps).toEqual(['s/0']);
    const request = enqueueControlRequest(s.root, { action: 'promote', modelId: 's/1', requestedBy: 'test' });
    d.onFrame(frame(1));
    expect(s.swaps).toEqual(['s/0', 's/1']);
    expect(s.arena.champion?.modelId).toBe('s/1');
    expect(s.arena.known.has('s/0')).toBe(true); // the replaced model is a challenger now
    expect(readControlRequest(s.root, request.id)?.status).toBe('applied');
    expect(s.manual()).toMatchObject([
      { modelId: 's/1', details: { requestId: request.id, status: 'applied' } },
    ]);
    expect(d.current).toMatchObject({ modelId: 's/1', source: 'manual' });
  });

  it('refuses to promote a model that is not an active member, and records the refusal', () => {
    const { s, request } = requestAfterFirstCycle(() => [trial(0, 1)], { action: 'promote', modelId: 's/9' });
    expect(s.swaps).toEqual(['s/0']);
    expect(readControlRequest(s.root, request.id)).toMatchObject({
      status: 'refused',
      result: { reason: 's/9 is not an active arena member' },
    });
    expect(s.manual()[0]?.reason).toMatch(/promote refused/);
  });

  it('rollback redeploys the previous model and excludes the current one; demote sends it to the arena', () => {
    let available = [trial(0, 1)];
    const s = setup(() => available);
    const d = Deployer.open(s.deps);
    d.onFrame(frame(0));
    available = [trial(1, 2), trial(0, 1)];
    d.onFrame(frame(1)); // s/1 beats s/0: deployed, s/0 goes to the arena
    expect(s.swaps).toEqual(['s/0', 's/1']);
    enqueueControlRequest(s.root, { action: 'rollback', requestedBy: 'test', reason: 'bad fills' });
    d.onFrame(frame(2));
    expect(s.swaps).toEqual(['s/0', 's/1', 's/0']);
    expect(s.arena.known.has('s/1')).toBe(false);
    // s/1 is never offered or deployed on its training score again
    d.onFrame(frame(3));
    expect(s.swaps.at(-1)).toBe('s/0');
    expect(s.arena.known.has('s/1')).toBe(false);
    // nothing before s/0: a demote now is refused
    const demote = enqueueControlRequest(s.root, { action: 'demote', requestedBy: 'test' });
    d.onFrame(frame(4));
    expect(readControlRequest(s.root, demote.id)?.status).toBe('refused');
  });

  it('a paused deployer decides nothing until resumed; a paused paper trader is told so and it survives a restart', () => {
    let available = [trial(0, 1)];
    const s = setup(() => available);
    const d = Deployer.open(s.deps);
    d.onFrame(frame(0));
    enqueueControlRequest(s.root, { action: 'pause', service: 'deployer', requestedBy: 'test' });
    enqueueControlRequest(s.root, { action: 'pause', service: 'paper', requestedBy: 'test' });
    d.onFrame(frame(1));
    expect(s.paper.paused).toBe(true);
    available = [trial(1, 5), trial(0, 1)];
    d.onFrame(frame(2));
    expect(s.swaps).toEqual(['s/0']); // paused: the better trial waits
    s.paper.paused = false; // a restarted paper trader that lost the flag gets it back from the deployer
    const again = Deployer.open(s.deps);
    expect(s.paper.paused).toBe(true);
    enqueueControlRequest(s.root, { action: 'resume', service: 'deployer', requestedBy: 'test' });
    again.onFrame(frame(3));
    expect(s.swaps).toEqual(['s/0', 's/1']);
  });

  it('a crash after the state recorded a request but before its completion finishes it at the next start', () => {
    const { s, request } = requestAfterFirstCycle(() => [trial(0, 1)], { action: 'pause', service: 'paper' });
    // simulate the crash: the request file is back in pending/, its done file gone
    const { pending, done } = controlPaths(s.root);
    writeFileSync(join(pending, `${request.id}.json`), JSON.stringify(request));
    writeFileSync(join(done, `${request.id}.json`), '');
    Deployer.open(s.deps);
    expect(readControlRequest(s.root, request.id)?.status).toBe('applied');
    expect(s.manual()).toHaveLength(1); // recorded once
  });
});
