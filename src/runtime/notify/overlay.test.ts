import { describe, expect, it } from 'vitest';
import { HOUR_MS, marketFromCloses, T0 } from '../../../test/market-fixtures.js';
import { createPortfolio, resolveSimConfig, Simulator, type StepListener } from '../../sim/index.js';
import { describeEvent } from './message.js';
import { createOverlayRecorder, overlayNotification } from './overlay.js';

describe('overlay notifications from the simulator', () => {
  it('records what the simulator reports and turns one bar into one notification', () => {
    const market = marketFromCloses(
      ['BTC/USDT', 'ETH/USDT'],
      [
        [100, 101, 89],
        [50, 51, 44],
      ],
    );
    const config = resolveSimConfig({
      feeRate: 0,
      slippageBps: 0,
      minNotional: 0,
      maxWeight: 1,
      cashReserve: 0,
      overlays: { stopLossPct: 0.1 },
    });
    const sim = new Simulator(config, market.symbols, market.timeframeMs);
    const portfolio = createPortfolio(market.symbols, config.initialCash);
    const recorder = createOverlayRecorder();
    const listener: StepListener = { onOverlay: recorder.onOverlay };
    const targets = Float64Array.from([0.4, 0.4]);
    for (let t = 0; t < 2; t++) sim.step(portfolio, market, t, targets, listener);
    expect(overlayNotification({ service: 'paper', modelId: 's1/42', triggers: recorder.take() })).toBeNull();
    const equity = sim.step(portfolio, market, 2, targets, listener);
    const n = overlayNotification({ service: 'paper', modelId: 's1/42', triggers: recorder.take(), equity });
    expect(n).toEqual({
      kind: 'risk-overlay',
      severity: 'warning',
      ts: T0 + 2 * HOUR_MS,
      dedupeKey: `risk-overlay:paper:${T0 + 2 * HOUR_MS}:stop-loss@BTC/USDT,stop-loss@ETH/USDT`,
      service: 'paper',
      modelId: 's1/42',
      barTs: T0 + 2 * HOUR_MS,
      triggers: [
        { overlay: 'stop-loss', symbol: 'BTC/USDT' },
        { overlay: 'stop-loss', symbol: 'ETH/USDT' },
      ],
      equity,
    });
    expect(describeEvent(n!).title).toBe('Risk overlays closed 2 positions (paper, s1/42)');
    expect(recorder.take()).toEqual([]);
  });

  it('the drawdown stop is critical', () => {
    const n = overlayNotification({
      service: 'paper',
      modelId: null,
      triggers: [{ ts: T0, overlay: 'drawdown-stop', symbol: null }],
    });
    expect(n).toMatchObject({
      severity: 'critical',
      equity: null,
      dedupeKey: `risk-overlay:paper:${T0}:drawdown-stop@*`,
    });
  });
});
