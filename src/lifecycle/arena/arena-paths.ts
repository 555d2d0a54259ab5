// The arena's files under the workspace root.
import { join } from 'node:path';
import { memoLast } from '../../core/memo.js';

export interface ArenaPaths {
  readonly dir: string;
  readonly state: string;
  readonly leaderboard: string;
  readonly candidate: string;
  readonly promotions: string;
}

/** Files of the arena under the workspace root (built once per root: the arena and deployer ask every frame). */
export const arenaPaths: (root: string) => ArenaPaths = memoLast((root: string) => {
  const dir = join(root, 'arena_state');
  return Object.freeze({
    dir,
    state: join(dir, 'arena_state.json'),
    leaderboard: join(dir, 'leaderboard.txt'),
    candidate: join(dir, 'promotion_candidate.json'),
    promotions: join(dir, 'promotions'),
  });
});
