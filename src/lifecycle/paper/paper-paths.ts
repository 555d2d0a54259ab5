// The paper trader's files under the workspace root.
import { join } from 'node:path';
import { memoLast } from '../../core/memo.js';

export interface PaperPaths {
  readonly dir: string;
  readonly state: string;
  readonly trades: string;
  readonly equity: string;
}

/** Files of the paper trader under the workspace root (built once per root). */
export const paperPaths: (root: string) => PaperPaths = memoLast((root: string) => {
  const dir = join(root, 'paper_trades');
  return Object.freeze({
    dir,
    state: join(dir, 'positions_state.json'),
    trades: join(dir, 'trades.jsonl'),
    equity: join(dir, 'equity.jsonl'),
  });
});
