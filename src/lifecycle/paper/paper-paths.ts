// The paper trader's files under the workspace root.
import { join } from 'node:path';

/** Files of the paper trader under the workspace root. */
export function paperPaths(root: string): { dir: string; state: string; trades: string; equity: string } {
  const dir = join(root, 'paper_trades');
  return {
    dir,
    state: join(dir, 'positions_state.json'),
    trades: join(dir, 'trades.jsonl'),
    equity: join(dir, 'equity.jsonl'),
  };
}
