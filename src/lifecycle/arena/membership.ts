// Queue rules of the arena (pure): offered models wait ordered by training score, best first, bounded.
import type { ModelRef } from '../contracts.js';

/** Higher training score first; a missing score last; ties keep the order they were offered in. */
export function byTrainingScore(a: ModelRef, b: ModelRef): number {
  const sa = a.trainingScore ?? Number.NEGATIVE_INFINITY;
  const sb = b.trainingScore ?? Number.NEGATIVE_INFINITY;
  return sb > sa ? 1 : sb < sa ? -1 : 0;
}

/**
 * The queue after offering `refs`: refs for which `isNew` is false are ignored, the rest are added, the
 * queue is re-sorted by training score (stable) and cut to `maxQueue`. Returns the new queue, the refs
 * added and those dropped for lack of room (possibly just offered).
 */
export function offerToQueue(
  queue: readonly ModelRef[],
  refs: readonly ModelRef[],
  isNew: (ref: ModelRef) => boolean,
  maxQueue: number,
): { queue: ModelRef[]; added: ModelRef[]; dropped: ModelRef[] } {
  const added: ModelRef[] = [];
  const seen = new Set(queue.map((q) => q.modelId));
  for (const ref of refs) {
    if (seen.has(ref.modelId) || !isNew(ref)) continue;
    seen.add(ref.modelId);
    added.push(ref);
  }
  const sorted = [...queue, ...added].sort(byTrainingScore);
  return { queue: sorted.slice(0, maxQueue), added, dropped: sorted.slice(maxQueue) };
}
