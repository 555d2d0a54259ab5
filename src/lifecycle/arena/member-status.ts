// The arena member's life as one explicit transition table; a (status, event) pair not in it is a bug.
import { z } from 'zod';
import { InvariantError } from '../../core/errors.js';

export const MemberStatusSchema = z.enum(['evaluating', 'qualified', 'expired', 'removed', 'promoted']);
export type MemberStatus = z.infer<typeof MemberStatusSchema>;

export type MemberEvent = 'qualify' | 'disqualify' | 'expire' | 'remove' | 'promote';

const TRANSITIONS: Readonly<Record<MemberStatus, Partial<Record<MemberEvent, MemberStatus>>>> = {
  evaluating: { qualify: 'qualified', expire: 'expired', remove: 'removed', promote: 'promoted' },
  qualified: { disqualify: 'evaluating', expire: 'expired', remove: 'removed', promote: 'promoted' },
  expired: {},
  removed: {},
  promoted: {},
};

/** Statuses of members still stepped by the arena. */
export function isActive(status: MemberStatus): boolean {
  return status === 'evaluating' || status === 'qualified';
}

/** The status after `event`; throws InvariantError naming both when the table has no such transition. */
export function nextStatus(status: MemberStatus, event: MemberEvent): MemberStatus {
  const next = TRANSITIONS[status][event];
  if (next === undefined)
    throw new InvariantError(
      'MEMBER_TRANSITION_INVALID',
      `an arena member in status "${status}" cannot "${event}"`,
      {
        status,
        event,
      },
    );
  return next;
}
