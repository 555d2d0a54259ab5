// The arena's files under the workspace root.
import { join } from 'node:path';

/** Files of the arena under the workspace root. */
export function arenaPaths(root: string): {
  dir: string;
  state: string;
  leaderboard: string;
  candidate: string;
  promotions: string;
} {
  const dir = join(root, 'arena_state');
  return {
    dir,
    state: join(dir, 'arena_state.json'),
    leaderboard: join(dir, 'leaderboard.txt'),
    candidate: join(dir, 'promotion_candidate.json'),
    promotions: join(dir, 'promotions'),
  };
}
