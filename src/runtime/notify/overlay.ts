// Risk-overlay triggers as the simulator reports them (StepListener.onOverlay), gathered per bar into one
// notification.
import type { StepListener } from '../../sim/index.js';
import type { NotificationOf, OverlayName } from './notification.js';

/** One `onOverlay(ts, reason, symbol)` call of the simulator. */
export interface OverlayTrigger {
  /** Open time of the bar at whose close it fired. */
  readonly ts: number;
  readonly overlay: OverlayName;
  /** null: the portfolio drawdown stop. */
  readonly symbol: string | null;
}

export interface OverlayNotificationInput {
  /** Whose portfolio: 'paper' for the paper trader. */
  readonly service: string;
  readonly modelId: string | null;
  /** The triggers of one bar (from createOverlayRecorder().take()). */
  readonly triggers: readonly OverlayTrigger[];
  /** Equity after the bar, when known. */
  readonly equity?: number | null;
}

/**
 * One 'risk-overlay' notification for the triggers of a bar, or null when there are none. Severity:
 * critical for the portfolio drawdown stop, warning for stops on single positions. The bar is the latest
 * trigger's; the dedupe key names service, bar and what fired.
 */
export function overlayNotification(input: OverlayNotificationInput): NotificationOf<'risk-overlay'> | null {
  if (input.triggers.length === 0) return null;
  const barTs = Math.max(...input.triggers.map((t) => t.ts));
  const triggers = input.triggers.map((t) => ({ overlay: t.overlay, symbol: t.symbol }));
  const what = triggers.map((t) => `${t.overlay}@${t.symbol ?? '*'}`).join(',');
  return {
    kind: 'risk-overlay',
    severity: triggers.some((t) => t.overlay === 'drawdown-stop') ? 'critical' : 'warning',
    ts: barTs,
    dedupeKey: `risk-overlay:${input.service}:${barTs}:${what}`,
    service: input.service,
    modelId: input.modelId,
    barTs,
    triggers,
    equity: input.equity ?? null,
  };
}

/** Collects a step's overlay triggers: pass `onOverlay` in the simulator's StepListener, `take()` after the bar. */
export interface OverlayRecorder {
  readonly onOverlay: NonNullable<StepListener['onOverlay']>;
  /** The triggers since the last take, oldest first; empties the recorder. */
  take(): OverlayTrigger[];
}

export function createOverlayRecorder(): OverlayRecorder {
  let triggers: OverlayTrigger[] = [];
  return {
    onOverlay: (ts, overlay, symbol) => {
      triggers.push({ ts, overlay, symbol });
    },
    take: () => {
      const out = triggers;
      triggers = [];
      return out;
    },
  };
}
