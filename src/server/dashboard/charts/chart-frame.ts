// The part every chart shares: its size from the container's width, redrawn when the width changes.
import type uPlot from 'uplot';

/** Plot size for a container: its full width, a height that suits a laptop and a phone alike. */
export function chartSize(container: HTMLElement, maxHeight: number): { width: number; height: number } {
  const width = Math.max(260, Math.floor(container.clientWidth));
  return { width, height: Math.round(Math.min(maxHeight, Math.max(240, width * 0.55))) };
}

/** Resizes the current plot whenever the container's width changes; returns the disconnect function. */
export function followWidth(container: HTMLElement, maxHeight: number, plot: () => uPlot | null): () => void {
  if (typeof ResizeObserver === 'undefined') return () => {};
  let lastWidth = container.clientWidth;
  const observer = new ResizeObserver(() => {
    const p = plot();
    if (p === null || container.clientWidth === lastWidth) return;
    lastWidth = container.clientWidth;
    p.setSize(chartSize(container, maxHeight));
  });
  observer.observe(container);
  return () => observer.disconnect();
}

/** The x range the user zoomed to, or null when the whole range is shown (so updates keep a zoom). */
export function zoomedRange(plot: uPlot): { min: number; max: number } | null {
  const xs = plot.data[0];
  const { min, max } = plot.scales['x'] ?? {};
  if (xs === undefined || xs.length === 0 || min === undefined || max === undefined) return null;
  const zoomed = min > xs[0]! || max < xs[xs.length - 1]!;
  return zoomed ? { min, max } : null;
}

/** Formats a number for an axis: thousands separated, no decimals above 100. */
export function axisNumber(v: number): string {
  return Math.abs(v) >= 100
    ? v.toLocaleString('en-US', { maximumFractionDigits: 0 })
    : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}
