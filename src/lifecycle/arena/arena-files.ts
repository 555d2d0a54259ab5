// Writing the arena's per-frame files: leaderboard.txt (a derived view), then arena_state.json (the commit).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { writeJsonFile } from '../../state/index.js';
import { type ArenaState, ArenaStateSchema, type arenaPaths } from './arena-state.js';
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
 * Writes leaderboard.txt, then arena_state.json: the state file is written last because it commits the
 * frame (a crash before it re-applies the frame, rewriting the same leaderboard). The leaderboard is
 * replaced atomically (temporary file, rename) but not fsynced: it is rebuilt from the state on every write.
 */
export function writeArenaFiles(paths: ReturnType<typeof arenaPaths>, state: ArenaState): void {
  mkdirSync(paths.dir, { recursive: true });
  const tmp = `${paths.leaderboard}.tmp`;
  writeFileSync(tmp, leaderboardOf(state));
  renameSync(tmp, paths.leaderboard);
  writeJsonFile(paths.state, ArenaStateSchema, state);
}
