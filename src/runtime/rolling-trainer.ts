// The supervisor's optional trainer: every few bars, a round of trials of the study on the latest window of
// the feed's bars (default 1440 h of training, 240 h of validation), so new models keep arriving as the
// market moves. Rounds run on worker threads that end with the round: memory stays flat between rounds.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameEvent, ServiceLogger } from '../lifecycle/contracts.js';
import { formatMarketCsv } from '../market/csv-writer.js';
import { type MarketData, sliceMarketData } from '../market/market-data.js';
import type { SimConfig } from '../sim/index.js';
import { writeFileAtomicSafeSync } from '../state/index.js';
import { openStudyStorage } from '../training/storage/index.js';
import { runStudyOnWorkers, type StudyRun, type StudyRunSummary } from '../training/workers/coordinator.js';
import { resolveTrainOptions } from '../training/workers/train-options.js';

export interface RollingTrainerOptions {
  readonly root: string;
  readonly study: string;
  readonly kind: string;
  readonly storageUrl: string;
  readonly trialsPerRound: number;
  readonly workers: number;
  /** Training and validation bars of each round's window (one validation fold at its end). */
  readonly trainBars: number;
  readonly validationBars: number;
  readonly embargoBars: number;
  /** Bars before the training window that indicators need to warm up. */
  readonly warmupBars: number;
  /** Frames between the starts of two rounds (a round still running delays the next). */
  readonly everyBars: number;
  readonly sim: SimConfig;
  readonly seed: number;
  readonly ppoSteps: number;
  readonly packageVersion: string;
  readonly logger: ServiceLogger;
  readonly workerUrl: URL;
}

export interface RoundReport {
  readonly round: number;
  readonly windowEndTs: number;
  readonly summary: StudyRunSummary;
}

/** Bars a round needs: warm-up, training, embargo and validation. */
export function roundWindowBars(
  o: Pick<RollingTrainerOptions, 'warmupBars' | 'trainBars' | 'embargoBars' | 'validationBars'>,
): number {
  return o.warmupBars + o.trainBars + o.embargoBars + o.validationBars;
}

export class RollingTrainer {
  private readonly options: RollingTrainerOptions;
  private running: { requestStop: () => void; done: Promise<void> } | null = null;
  private framesSinceStart = Number.POSITIVE_INFINITY;
  private rounds = 0;
  readonly reports: RoundReport[] = [];

  constructor(options: RollingTrainerOptions) {
    this.options = options;
  }

  /** Starts a round in the background when one is due, the last one is over and the window is covered. */
  onFrame(frame: FrameEvent): void {
    this.framesSinceStart++;
    if (this.running || this.framesSinceStart < this.options.everyBars) return;
    const need = roundWindowBars(this.options);
    if (frame.t + 1 < need) return;
    this.framesSinceStart = 0;
    this.start(sliceMarketData(frame.market, frame.t + 1 - need, frame.t + 1), frame.ts);
  }

  /** Whether a round is running now. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Waits for the running round, if any (the replay driver uses it to stay deterministic per round). */
  async settle(): Promise<void> {
    await this.running?.done;
  }

  /** Lets running trials finish (a second call fails them now), then resolves. */
  async stop(): Promise<void> {
    this.running?.requestStop();
    await this.running?.done;
  }

  private start(window: MarketData, windowEndTs: number): void {
    const o = this.options;
    const round = ++this.rounds;
    const dir = join(o.root, 'run', 'trainer');
    mkdirSync(dir, { recursive: true });
    const dataFile = join(dir, 'window.csv');
    writeFileAtomicSafeSync(dataFile, formatMarketCsv(window));
    const options = resolveTrainOptions({
      study: o.study,
      trials: o.trialsPerRound,
      workers: o.workers,
      kind: o.kind,
      storageUrl: o.storageUrl,
      data: dataFile,
      root: o.root,
      seed: o.seed,
      ppoSteps: o.ppoSteps,
      walkForward: {
        folds: 1,
        validationBars: o.validationBars,
        embargoBars: o.embargoBars,
        trainBars: o.trainBars,
        placement: 'end', // one fold on the newest bars, the model fitted on the bars before it
      },
      sim: o.sim,
    });
    o.logger.info('training round started', {
      round,
      barTs: windowEndTs,
      trials: o.trialsPerRound,
      windowBars: window.length,
    });
    let run: StudyRun | null = null;
    let stops = 0;
    const execute = async (): Promise<void> => {
      const storage = await openStudyStorage(options.storageUrl, { baseDir: o.root });
      try {
        await storage.createStudy(o.study, 'maximize', { loadIfExists: true });
        const started = runStudyOnWorkers(options, storage, o.workerUrl, o.packageVersion);
        run = started;
        for (let k = 0; k < stops; k++) started.requestStop(); // asked to stop while the storage opened
        const summary = await started.done;
        this.reports.push({ round, windowEndTs, summary });
        o.logger.info('training round finished', {
          round,
          complete: summary.complete,
          pruned: summary.pruned,
          failed: summary.failed,
          best: summary.best,
          seconds: summary.seconds,
        });
      } finally {
        await storage.close();
      }
    };
    const done = execute()
      .catch((error: Error) => o.logger.error('training round failed', { round, error: error.message }))
      .finally(() => {
        this.running = null;
      });
    const requestStop = () => {
      stops++;
      (run as StudyRun | null)?.requestStop();
    };
    this.running = { requestStop, done };
  }
}
