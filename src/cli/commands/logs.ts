// `hybrid-trader logs [service] [-f]`: the services' JSON log lines, readable, optionally followed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { ARENA_LOG_NAME, DEPLOYER_LOG_NAME, PAPER_LOG_NAME } from '../../lifecycle/logger.js';
import type { RuleResult } from '../../lifecycle/promotion-check.js';
import { formatRule } from '../../lifecycle/rule-format.js';
import { intOption } from '../options.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';

const SERVICES: Record<string, string> = {
  paper: PAPER_LOG_NAME,
  arena: ARENA_LOG_NAME,
  deployer: DEPLOYER_LOG_NAME,
};

/** A time field (epoch ms) as "2024-06-18 16:00" (UTC); `Ts`, `At` and `time` keys hold times. */
function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

const isTimeKey = (key: string) => /(Ts|At)$/.test(key) || key === 'ts';
const isRule = (v: unknown): v is RuleResult =>
  typeof v === 'object' && v !== null && 'rule' in v && 'threshold' in v && 'passed' in v;

/** A field's value as text: times readable, numbers to 4 significant digits, gate rules as they read. */
function fieldText(key: string, v: unknown): string {
  if (typeof v === 'number' && isTimeKey(key) && v > 1e11) return utcMinute(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (Array.isArray(v) && v.length > 0 && v.every(isRule))
    return `[${v.map((r) => `${r.passed ? '✓' : '✗'} ${formatRule(r)}`).join(', ')}]`;
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** One JSON log line as `time  LEVEL  service  message  key=value ...`; other lines pass through. */
export function formatLogLine(line: string): string {
  try {
    const { level, time, service, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
    const name = level === 50 ? 'ERROR' : level === 40 ? 'WARN ' : 'INFO ';
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k}=${fieldText(k, v)}`)
      .join(' ');
    const at = new Date(Number(time)).toISOString().slice(0, 19).replace('T', ' ');
    return `${at}  ${name}  ${String(service).padEnd(8)}  ${msg}${extra ? `  ${extra}` : ''}`;
  } catch {
    return line;
  }
}

function logFiles(root: string, service: string | undefined): string[] {
  const dir = join(root, 'logs');
  if (!existsSync(dir)) return [];
  const prefixes = service ? [SERVICES[service]!] : Object.values(SERVICES);
  return readdirSync(dir)
    .filter((f) => prefixes.some((p) => f.startsWith(`${p}_`)) && f.endsWith('.log'))
    .sort((a, b) => a.slice(-14).localeCompare(b.slice(-14)) || a.localeCompare(b))
    .map((f) => join(dir, f));
}

export function registerLogs(program: Command): void {
  program
    .command('logs [service]')
    .description('show the log lines of paper, arena or deployer (all by default); -f follows like tail -f')
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --lines <n>', 'last N lines first', intOption('--lines', 1), 50)
    .option('--root <dir>', ROOT_HELP)
    .action(
      async (service: string | undefined, flags: { follow?: boolean; lines: number; root?: string }) => {
        if (service !== undefined && !SERVICES[service])
          throw new ConfigError(
            'SERVICE_UNKNOWN',
            `service must be one of ${Object.keys(SERVICES).join(', ')}, was "${service}"`,
          );
        const root = workspaceRoot(flags.root);
        const sizes = new Map<string, number>();
        const lines: string[] = [];
        for (const file of logFiles(root, service)) {
          const text = readFileSync(file, 'utf8');
          sizes.set(file, Buffer.byteLength(text));
          lines.push(...text.split('\n').filter((l) => l !== ''));
        }
        for (const line of lines.slice(-flags.lines)) process.stdout.write(`${formatLogLine(line)}\n`);
        if (!flags.follow) return;
        for (;;) {
          await new Promise((r) => setTimeout(r, 500));
          for (const file of logFiles(root, service)) {
            const size = statSync(file).size;
            const seen = sizes.get(file) ?? 0;
            if (size <= seen) continue;
            const fresh = readFileSync(file).subarray(seen).toString('utf8');
            sizes.set(file, size);
            for (const line of fresh.split('\n').filter((l) => l !== ''))
              process.stdout.write(`${formatLogLine(line)}\n`);
          }
        }
      },
    );
}
