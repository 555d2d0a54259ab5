import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../src/features/index.js';
import { runCli } from './cli.js';

describe('hybrid-trader features export (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ht-features-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the rows, the closes and a sidecar whose hashes and shapes describe them', () => {
    const out = join(dir, 'obs.npy');
    const r = runCli([
      'features',
      'export',
      '--data',
      'builtin?bars=400',
      '--symbols',
      'ETH/USDT,BTC/USDT',
      '--features',
      'ret_1,rsi_14',
      '--lookback',
      '3',
      '--from',
      '2024-01-03',
      '--to',
      '2024-01-10',
      '--out',
      out,
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const sidecar = JSON.parse(readFileSync(join(dir, 'obs.json'), 'utf8'));
    const rows = decodeNpy(readFileSync(out), out);
    const closes = decodeNpy(readFileSync(join(dir, 'obs.close.npy')), 'closes');
    // 2024-01-03 is frame 48 (past the warm-up): 7 days of hourly rows, 1 + 2 + 3 x 2 x 2 columns
    expect(rows.shape).toEqual([168, 15]);
    expect(closes.shape).toEqual([168, 2]);
    expect(sidecar.spec).toEqual({
      symbols: ['ETH/USDT', 'BTC/USDT'],
      features: ['ret_1', 'rsi_14'],
      lookback: 3,
    });
    expect(sidecar.rows.ts[0]).toBe(Date.UTC(2024, 0, 3));
    expect(sidecar.window).toEqual(['2024-01-03T00:00:00.000Z', '2024-01-09T23:00:00.000Z']);
    expect(sidecar.layout.portfolio.columns).toEqual([0, 3]);
    expect(Array.from(rows.data.subarray(0, 3))).toEqual([1, 0, 0]);
    expect(sidecar.normalisation.fromT).toBe(48);
    expect(sidecar.normalisationSource).toBe('fitted on the exported window');
    expect(JSON.parse(r.stdout).rows).toBe(168);
  });

  it('refuses what it cannot do, with usage errors and nothing written', () => {
    // a sidecar whose statistics are broken: every broken field named, with the value found
    const sidecar = JSON.parse(readFileSync(join(dir, 'obs.json'), 'utf8'));
    sidecar.normalisation.std[1] = -1;
    sidecar.normalisation.clip = 0;
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(sidecar));
    const cases: [string[], RegExp][] = [
      [['--out', join(dir, 'x.csv')], /OUTPUT_NAME_INVALID/],
      [['--features', 'ret_1,rsi', '--out', join(dir, 'y.npy')], /unknown feature "rsi"/],
      [['--to', '2024-01-01T10:00', '--out', join(dir, 'z.npy')], /EXPORT_WINDOW_EMPTY/],
      [
        ['--normalisation', join(dir, 'obs.json'), '--clip', '3', '--out', join(dir, 'w.npy')],
        /FLAGS_CONFLICT/,
      ],
      [
        ['--normalisation', join(dir, 'missing.json'), '--out', join(dir, 'v.npy')],
        /NORMALISATION_FILE_INVALID/,
      ],
      [
        ['--normalisation', join(dir, 'broken.json'), '--out', join(dir, 'u.npy')],
        /NORMALISATION_FILE_INVALID.*field "normalisation\.std\.1": .* \(was -1\); field "normalisation\.clip": .* \(was 0\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['features', 'export', '--data', 'builtin?bars=400', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    for (const name of ['x', 'y', 'z', 'w', 'v', 'u'])
      expect(existsSync(join(dir, `${name}.json`))).toBe(false);
  });
});
