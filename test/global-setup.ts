// Builds dist/ once before the suite so end-to-end tests run the CLI exactly as users do: tsc for the
// code, then the dashboard bundle (dist/dashboard/) that `serve` and the replay report use.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  // For a quick local run of unit tests only; CI never sets it.
  if (process.env.HYBRID_TRADER_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  run(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
  run(['scripts/build-dashboard.mjs']);
}
