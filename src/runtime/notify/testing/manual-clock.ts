// A manual clock and timers for notifier tests: time moves only when a test advances it.
import type { NotifierTimers } from '../notifier.js';

interface Task {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class ManualClock {
  private tasks: Task[] = [];
  private seq = 0;

  constructor(public nowMs: number) {}

  readonly now = (): number => this.nowMs;

  readonly timers: NotifierTimers = {
    setTimeout: (fn, ms) => {
      const task = { at: this.nowMs + Math.max(0, ms), seq: this.seq++, fn };
      this.tasks.push(task);
      return task;
    },
    clearTimeout: (handle) => {
      this.tasks = this.tasks.filter((t) => t !== handle);
    },
  };

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.tasks.length;
  }

  /** Moves time forward by `ms`, firing due timers in order and letting promise chains run after each. */
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      await settle();
      const due = this.tasks.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.tasks = this.tasks.filter((t) => t !== due);
      this.nowMs = due.at;
      due.fn();
    }
    this.nowMs = end;
    await settle();
  }
}

/** Lets every pending promise chain (fake fetch, workers) run to its next real wait. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
