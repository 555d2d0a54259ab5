// The in-sample guard: which of a run's models were trained or validated on bars of the run's window (read
// from their manifests), said per model, and refused by a comparison of modes unless it is allowed.
import { ConfigError } from '../core/errors.js';
import { fromWorkspacePath } from '../core/workspace-path.js';
import { isoTs, type MarketData } from '../market/market-data.js';
import { type InSampleFinding, inSampleFinding, readManifest } from '../models/bundle/index.js';

/** A model whose figures over a run's window are in-sample, and where its bundle is. */
export interface InSampleModel extends InSampleFinding {
  readonly modelPath: string;
}

/**
 * The models (bundle folders, relative to `root` or absolute) trained or validated on bars of frames
 * [from, to) of `market`, in the order given. A bundle whose manifest cannot be read is left out: loading
 * it refuses it later, with its own error.
 */
export function inSampleModels(
  root: string,
  models: readonly { readonly modelPath: string }[],
  market: MarketData,
  from: number,
  to: number,
): InSampleModel[] {
  const hashes = new Map<string, string>();
  const found: InSampleModel[] = [];
  for (const { modelPath } of models) {
    let manifest: Parameters<typeof inSampleFinding>[0];
    try {
      manifest = readManifest(fromWorkspacePath(root, modelPath)).manifest;
    } catch {
      continue;
    }
    const finding = inSampleFinding(manifest, market, from, to, hashes);
    if (finding) found.push({ ...finding, modelPath });
  }
  return found;
}

const minute = (iso: string) => iso.replace(/:00\.000Z$/, 'Z');

/** The model's name in messages: "trial 3 of demo (models/demo/3)". */
function modelName(m: InSampleModel): string {
  return `${m.trialNumber === null ? 'model' : `trial ${m.trialNumber}`} of ${m.study} (${m.modelPath})`;
}

/** What a model saw of the window, and where its unseen bars start (one sentence, no newline). */
export function describeInSample(m: InSampleModel): string {
  // Validation windows inside an overlapping training window are counted, not listed (spread folds are).
  const training = m.windows.find((w) => w.role === 'training');
  const validation = m.windows.filter((w) => w.role === 'validation');
  const listed = (training ? [training] : validation).map(
    (w) => `${w.role} ${minute(w.from)}..${minute(w.to)}`,
  );
  if (training && validation.length > 0)
    listed.push(`${validation.length} validation window${validation.length === 1 ? '' : 's'}`);
  const windows = listed.join(' and ');
  const evidence = m.evidence === 'same-bars' ? 'the same bars' : 'the same dates';
  return `${modelName(m)} was trained or validated on ${m.hours} h of this window (${windows}; ${evidence}): its figures here are in-sample; out of sample from ${minute(m.outOfSampleFrom)}`;
}

/** The warning line of one model (no newline), as stderr prints it. */
export function inSampleWarning(m: InSampleModel): string {
  return `warning: in-sample: ${describeInSample(m)}`;
}

/** The window [from, to) of a run as text: first bar's open .. last bar's close. */
export function runWindowText(market: MarketData, from: number, to: number): string {
  return `${minute(isoTs(market.ts[from]!))}..${minute(isoTs(market.ts[to - 1]! + market.timeframeMs))}`;
}

/**
 * Throws IN_SAMPLE_COMPARISON (exit 2) when `inSample` is not empty: a comparison of modes over bars the
 * models were fitted or selected on measures how well they fit them, not how the modes would trade.
 */
export function refuseInSampleComparison(
  inSample: readonly InSampleModel[],
  models: number,
  window: string,
): void {
  if (inSample.length === 0) return;
  const after = inSample.map((m) => m.outOfSampleFrom).sort();
  throw new ConfigError(
    'IN_SAMPLE_COMPARISON',
    `replay --compare over ${window}: ${inSample.length} of the ${models} models were trained or validated on bars of this window (in-sample; first: ${modelName(inSample[0]!)}). Replay from ${minute(after[after.length - 1]!)} (--from, after every bar they saw), train them on earlier bars (train --to), or pass --allow-in-sample to compare anyway, marked in-sample`,
    { inSample: inSample.length, models, window },
  );
}
