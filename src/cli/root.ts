// The workspace root every command works in: --root, else HYBRID_TRADER_ROOT, else the current directory.
import { resolve } from 'node:path';

export const ROOT_HELP = 'workspace root (default: $HYBRID_TRADER_ROOT or the current directory)';

export function workspaceRoot(flag: string | undefined): string {
  return resolve(flag ?? process.env.HYBRID_TRADER_ROOT ?? '.');
}
