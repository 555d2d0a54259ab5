import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ReplayResult } from '../replay.js';
import { defaultChartAssetsDir, inlineSafe } from './chart-assets.js';
import { comparisonRows, renderReplayReport } from './replay-report.js';

const H = 3_600_000;

const result: ReplayResult = {
  mode: 'hybrid',
  bars: 3,
  window: { from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T03:00:00.000Z', hours: 3 },
  returnPct: 1.5,
  sharpe: 0.4,
  psr: 0.6,
  maxDrawdownPct: 2,
  finalEquity: 10_150,
  deployments: 1,
  promotions: 0,
  refusals: 0,
  benchmarks: [
    { name: 'equal-weight', returnPct: 0.2, sharpe: 1.1, psr: 0.7, maxDrawdownPct: 0, finalEquity: 10_020 },
  ],
  models: 2,
  inSample: [],
  series: [
    {
      name: 'paper trader (hybrid)',
      kind: 'paper',
      points: [
        [H, 10_000],
        [2 * H, 10_100.123],
        [3 * H, 10_150],
      ],
    },
    {
      name: 's/2',
      kind: 'arena',
      points: [
        [2 * H, 10_000],
        [3 * H, 9_990],
      ],
    },
    {
      name: 'benchmark:equal-weight',
      kind: 'benchmark',
      points: [
        [H, 10_000],
        [2 * H, 10_010],
        [3 * H, 10_020],
      ],
    },
  ],
  markers: [{ ts: 2 * H, kind: 'deploy', label: 'deploy s/1: first deployment </script><b>' }],
  leaderboard: 'Arena leaderboard\n',
  deployed: 's/1',
};

function fakeAssets(script = 'window.drawn = true;'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ht-report-assets-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report-chart.js'), script);
  writeFileSync(join(dir, 'uPlot.min.css'), '.uplot{font-family:system-ui}');
  writeFileSync(join(dir, 'charts.css'), '.marker-key{display:flex}');
  return dir;
}

/** The JSON of the chart data embedded for the section at `index`. */
function embedded(html: string, index: number): unknown {
  const m = new RegExp(`<script type="application/json" id="equity-data-${index}">(.*?)</script>`, 's').exec(
    html,
  );
  expect(m, 'embedded chart data').not.toBeNull();
  return JSON.parse(m![1]!);
}

describe('renderReplayReport', () => {
  it('inlines the chart script and styles and embeds the series as aligned JSON', () => {
    const html = renderReplayReport('a replay', [result], { chartAssetsDir: fakeAssets() });
    expect(html).toContain('<script>window.drawn = true;</script>');
    expect(html).toContain('.marker-key{display:flex}');
    expect(html).toContain('data-equity-source="equity-data-0"');
    expect(html).not.toContain('<svg');
    expect(embedded(html, 0)).toEqual({
      x: [H, 2 * H, 3 * H],
      series: [
        { id: 's/2', label: 's/2', kind: 'arena', values: [null, 10_000, 9_990] },
        {
          id: 'benchmark:equal-weight',
          label: 'benchmark:equal-weight',
          kind: 'benchmark',
          values: [10_000, 10_010, 10_020],
        },
        {
          id: 'paper trader (hybrid)',
          label: 'paper trader (hybrid)',
          kind: 'paper',
          values: [10_000, 10_100.12, 10_150],
        },
      ],
      markers: [
        {
          ts: 2 * H,
          kind: 'deploy',
          text: 'deploy s/1',
          detail: 'deploy s/1: first deployment </script><b>',
        },
      ],
    });
  });

  it('loads nothing from outside the file (a strict content security policy, no external URLs)', () => {
    const html = renderReplayReport('a replay', [result], { chartAssetsDir: fakeAssets() });
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'`);
    expect(html).not.toMatch(/\b(src|href)="(https?:|\/\/)/);
  });

  it('keeps a chart script that contains "</script" from ending its element', () => {
    const html = renderReplayReport('r', [result], { chartAssetsDir: fakeAssets('var s = "</script>";') });
    expect(html).toContain('<script>var s = "<\\/script>";</script>');
    expect(inlineSafe('a</STYLE>b')).toBe('a<\\/STYLE>b');
  });

  it('falls back to the static SVG chart with a note naming the missing bundle', () => {
    const dir = join(tmpdir(), 'ht-no-such-dashboard');
    const html = renderReplayReport('a replay', [result], { chartAssetsDir: dir });
    expect(html).toContain('<svg');
    expect(html).toContain(`${join(dir, 'report-chart.js')}; run <code>npm run build</code>`);
    expect(html).not.toContain('<script');
  });
});

describe('the in-sample mark', () => {
  const inSample = {
    ...result,
    inSample: [
      {
        study: 's',
        trialNumber: 2,
        modelPath: 'models/s/2',
        windows: [
          { role: 'training' as const, from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T02:00:00.000Z' },
        ],
        bars: 3,
        hours: 3,
        outOfSampleFrom: '1970-01-01T03:00:00.000Z',
        evidence: 'same-bars' as const,
      },
    ],
  };

  it('says in the comparison table how many of the models were fitted or validated on the window', () => {
    expect(comparisonRows([result])[0]).toContain('no');
    expect(comparisonRows([inSample])[0]).toContain('1 of 2 models');
  });

  it('warns at the top of the report and names each in-sample model', () => {
    expect(renderReplayReport('r', [result], { chartAssetsDir: null })).not.toContain('in-sample:');
    const html = renderReplayReport('r', [inSample], { chartAssetsDir: null });
    expect(html).toMatch(/class="note in-sample">In-sample: 1 of the 2 models/);
    expect(html).toContain('trial 2 of s (models/s/2)');
  });
});

describe('defaultChartAssetsDir', () => {
  it("is the package's dist/dashboard, found from the sources as from dist", () => {
    expect(defaultChartAssetsDir()).toBe(
      join(fileURLToPath(new URL('../../..', import.meta.url)), 'dist', 'dashboard'),
    );
  });
});
