// Operator requests (run/control/) as deployer decisions: a pure function of the request and what the
// deployer knows. Manual swaps keep positions like every other swap; every request, applied or refused,
// becomes a 'manual' history entry with its reason.

import type { ModelRef } from '../contracts.js';
import type { ControlRequest, ControlResult } from '../control/index.js';
import { copyModelRef } from '../model-ref.js';
import type { DeploymentState, HistoryEntry } from './deployment-state.js';

export interface ControlInput {
  readonly request: ControlRequest;
  readonly state: DeploymentState;
  /** The active arena member with this id (promote), or null when it is not one. */
  readonly arenaMember: ModelRef | null;
  /** Whether a swap was already decided in this cycle (one swap per cycle at most). */
  readonly swapTaken: boolean;
  readonly cycleTs: number;
  readonly at: string;
}

export interface ControlDecision {
  /** null: the request waits for the next cycle (a swap was taken already). */
  readonly result: ControlResult | null;
  readonly entry: HistoryEntry | null;
  /** A manual swap; `retire`: the replaced model is excluded instead of going back to the arena. */
  readonly swap: { ref: ModelRef; retire: boolean; popPrevious: boolean } | null;
  readonly paused: DeploymentState['paused'];
}

export function decideControl(input: ControlInput): ControlDecision {
  const { request, state, cycleTs, at } = input;
  const paused = state.paused;
  const result = (status: ControlResult['status'], reason: string): ControlResult => ({
    schemaVersion: 1,
    status,
    reason,
    cycleTs,
    at,
  });
  const decided = (
    status: ControlResult['status'],
    reason: string,
    modelId: string | null,
    changes: Partial<Pick<ControlDecision, 'swap' | 'paused'>> = {},
  ): ControlDecision => ({
    result: result(status, reason),
    entry: {
      cycleTs,
      at,
      action: 'manual',
      modelId,
      trialNumber: null,
      reason: `${request.action}${status === 'refused' ? ' refused' : ''}: ${reason}`,
      details: {
        requestId: request.id,
        request: request.action,
        status,
        requestedBy: request.requestedBy,
        requestedAt: request.requestedAt,
        operatorReason: request.reason,
        ...(request.service ? { service: request.service } : {}),
        // the evidence of a swap: the training score of what is deployed now, and what it replaced
        ...(changes.swap
          ? { trainingScore: changes.swap.ref.trainingScore, replaced: state.current?.modelId ?? null }
          : {}),
      },
    },
    swap: changes.swap ?? null,
    paused: changes.paused ?? paused,
  });
  const why = request.reason ? ` (${request.reason})` : '';

  switch (request.action) {
    case 'pause':
    case 'resume': {
      const service = request.service!;
      const want = request.action === 'pause';
      if (paused[service] === want)
        return decided('applied', `${service} was already ${want ? 'paused' : 'running'}${why}`, null);
      return decided('applied', `${service} ${want ? 'paused' : 'resumed'}${why}`, null, {
        paused: { ...paused, [service]: want },
      });
    }
    case 'promote': {
      const id = request.modelId!;
      if (state.current?.modelId === id) return decided('refused', `${id} is already deployed`, id);
      if (!input.arenaMember) return decided('refused', `${id} is not an active arena member`, id);
      if (input.swapTaken) return waiting();
      return decided('applied', `${id} promoted by the operator${why}; positions kept`, id, {
        swap: { ref: input.arenaMember, retire: false, popPrevious: false },
      });
    }
    case 'demote':
    case 'rollback': {
      const current = state.current;
      const previous = state.previousDeployments.at(-1);
      if (!current) return decided('refused', 'nothing is deployed', null);
      if (!previous)
        return decided('refused', `no model was deployed before ${current.modelId}`, current.modelId);
      if (input.swapTaken) return waiting();
      const retire = request.action === 'rollback';
      return decided(
        'applied',
        `${current.modelId} ${retire ? 'rolled back (excluded from the arena)' : 'demoted to the arena'}, ${previous.modelId} redeployed${why}; positions kept`,
        previous.modelId,
        { swap: { ref: copyModelRef(previous), retire, popPrevious: true } },
      );
    }
  }

  function waiting(): ControlDecision {
    return { result: null, entry: null, swap: null, paused };
  }
}
