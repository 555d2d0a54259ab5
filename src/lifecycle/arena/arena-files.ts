// Writing the arena's per-frame files: leaderboard.txt (a derived view), then arena_state.json (the commit).
import type { StateStore } from '../../state/index.js';
import type { arenaPaths } from './arena-paths.js';
import { type ArenaState, ArenaStateSchema } from './arena-state.js';
import { renderLeaderboard } from './leaderboard.js';
import { isActive } from './member-status.js';

/** The leaderboard text of a state (active members ranked, benchmarks, recent exits). */
export function leaderboardOf(state: ArenaState): string {
  return renderLeaderboard({
    lastBarTs: state.lastBarTs,
    active: state.models.filter((m) => isActive(m.status)),
    retired: state.models.filter((m) => !isActive(m.status)),
    benchmarks: state.benchmarks,
    queued: state.queue.length,
  });
}

/**
 * Writes leaderboard.txt, then arena_state.json, through `store`: with the default store the state file
 * is written last because it commits the frame (a crash before it re-applies the frame, rewriting the same
 * leaderboard); in a transaction both land at its commit. `build` is called when the store writes (once
 * for both files): it must return the arena's state at that time.
 */
export function writeArenaFiles(
  paths: ReturnType<typeof arenaPaths>,
  store: StateStore,
  build: () => ArenaState,
): void {
  let state: ArenaState | undefined;
  const current = () => {
    state ??= build();
    return state;
  };
  store.writeText(paths.leaderboard, () => leaderboardOf(current()));
  store.writeJson(paths.state, ArenaStateSchema, current);
}
