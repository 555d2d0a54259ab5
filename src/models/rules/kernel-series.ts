// A feature kernel's output for every frame of a market, computed once in frame order and cached, so a
// rule reads an indicator at t in O(1) and gets the same value however its decisions are ordered.
import type { FeatureKernel } from '../../features/index.js';
import type { MarketData } from '../../market/market-data.js';

export class KernelSeries {
  private readonly createKernel: () => FeatureKernel;
  private market: MarketData | null = null;
  private kernels: FeatureKernel[] = [];
  /** values[t * n + i]: output 0 of symbol i's kernel at frame t. */
  private values = new Float64Array(0);
  private computed = 0;
  private readonly scratch = new Float64Array(8);

  constructor(createKernel: () => FeatureKernel) {
    this.createKernel = createKernel;
  }

  /** Output of the kernel for symbol i at frame t (NaN during warm-up). Reads no bar after t. */
  at(market: MarketData, i: number, t: number): number {
    if (market !== this.market || t >= this.computed) this.extend(market, t);
    return this.values[t * market.symbols.length + i]!;
  }

  private extend(market: MarketData, t: number): void {
    const n = market.symbols.length;
    if (market !== this.market) {
      this.market = market;
      this.computed = 0;
      this.kernels = market.symbols.map(() => this.createKernel());
      this.values = new Float64Array(Math.max(1, market.length) * n);
    }
    const end = Math.max(t + 1, market.length);
    if (end * n > this.values.length) {
      const bigger = new Float64Array(Math.max(end * n, this.values.length * 2));
      bigger.set(this.values);
      this.values = bigger;
    }
    for (let k = this.computed; k < end; k++) {
      for (let i = 0; i < n; i++) {
        this.kernels[i]!.step(market, n, i, k, this.scratch);
        this.values[k * n + i] = this.scratch[0]!;
      }
    }
    this.computed = end;
  }
}
