// An in-memory StudyStorage for tests: the interface's semantics without SQLite or a clock.
import type { Distribution, ParamValue } from '../distributions.js';
import type {
  CreatedTrial,
  CreateTrialOptions,
  StudyDirection,
  StudySummary,
  SyncStudyStorage,
  TrialUpdate,
} from '../storage/study-storage.js';
import type { FrozenTrial, TrialState } from '../trial.js';

interface MutableTrial {
  trialId: number;
  studyId: number;
  number: number;
  state: TrialState;
  value: number | null;
  params: Map<string, ParamValue>;
  distributions: Map<string, Distribution>;
  userAttrs: Map<string, unknown>;
  systemAttrs: Map<string, unknown>;
  intermediateValues: Map<number, number>;
  datetimeStart: number | null;
  datetimeComplete: number | null;
  heartbeat: number | null;
}

/**
 * StudyStorage held in maps, for tests of samplers, pruners and trial contexts. Time is a counter
 * (`now`, advanced with `advance`), so heartbeats are deterministic. Writes to a finished trial throw,
 * as Optuna refuses them. Returned trials are snapshots: later writes never change them (stored values
 * are deep-frozen copies, shared by the snapshots).
 */
export class MemoryStorage implements SyncStudyStorage {
  private readonly studies: {
    studyId: number;
    name: string;
    direction: StudyDirection;
    userAttrs: Map<string, unknown>;
    systemAttrs: Map<string, unknown>;
  }[] = [];
  private readonly trials: MutableTrial[] = [];
  private closed = false;
  /** The storage clock in ms; heartbeats and trial times read it. */
  now = 0;

  /** Moves the storage clock forward by `ms`. */
  advance(ms: number): void {
    this.now += ms;
  }

  private live(): void {
    if (this.closed) throw new Error('storage is closed');
  }

  private summary(s: (typeof this.studies)[number]): StudySummary {
    return {
      studyId: s.studyId,
      name: s.name,
      direction: s.direction,
      userAttrs: Object.fromEntries(s.userAttrs),
    };
  }

  private study(studyId: number) {
    const study = this.studies.find((s) => s.studyId === studyId);
    if (study === undefined) throw new Error(`no study with id ${studyId}`);
    return study;
  }

  private trial(trialId: number, forWrite = false): MutableTrial {
    this.live();
    const trial = this.trials.find((t) => t.trialId === trialId);
    if (trial === undefined) throw new Error(`no trial with id ${trialId}`);
    if (forWrite && trial.state !== 'RUNNING' && trial.state !== 'WAITING') {
      throw new Error(`trial ${trial.number} is ${trial.state} and cannot be changed`);
    }
    return trial;
  }

  createStudy(
    name: string,
    direction: StudyDirection,
    options: { loadIfExists?: boolean } = {},
  ): StudySummary {
    this.live();
    const existing = this.studies.find((s) => s.name === name);
    if (existing !== undefined) {
      if (options.loadIfExists) return this.summary(existing);
      throw new Error(`study ${name} already exists`);
    }
    const study = {
      studyId: this.studies.length + 1,
      name,
      direction,
      userAttrs: new Map<string, unknown>(),
      systemAttrs: new Map<string, unknown>(),
    };
    this.studies.push(study);
    return this.summary(study);
  }

  findStudy(name: string): StudySummary | null {
    this.live();
    const study = this.studies.find((s) => s.name === name);
    return study === undefined ? null : this.summary(study);
  }

  listStudies(): StudySummary[] {
    this.live();
    return this.studies.map((s) => this.summary(s));
  }

  setStudyUserAttr(studyId: number, key: string, value: unknown): void {
    this.live();
    this.study(studyId).userAttrs.set(key, frozenCopy(value));
  }

  setStudySystemAttr(studyId: number, key: string, value: unknown): void {
    this.live();
    if (value === undefined) this.study(studyId).systemAttrs.delete(key);
    else this.study(studyId).systemAttrs.set(key, frozenCopy(value));
  }

  getStudySystemAttrs(studyId: number): Record<string, unknown> {
    this.live();
    return Object.fromEntries(this.study(studyId).systemAttrs);
  }

  createTrial(studyId: number, options: CreateTrialOptions = {}): CreatedTrial {
    this.live();
    this.study(studyId);
    const number = this.trials.filter((t) => t.studyId === studyId).length;
    const trialId = this.trials.length + 1;
    this.trials.push({
      trialId,
      studyId,
      number,
      state: 'RUNNING',
      value: null,
      params: new Map(),
      distributions: new Map(),
      userAttrs: new Map(),
      systemAttrs: new Map(),
      intermediateValues: new Map(),
      datetimeStart: this.now,
      datetimeComplete: null,
      heartbeat: options.heartbeat ? this.now : null,
    });
    for (const [key, value] of Object.entries(options.systemAttrs ?? {}))
      this.trials.at(-1)?.systemAttrs.set(key, frozenCopy(value));
    return { trialId, number };
  }

  /** Applies the writes in order; a finished trial refuses them all (nothing is checked beyond that). */
  updateTrial(trialId: number, update: TrialUpdate): void {
    this.trial(trialId, true);
    for (const p of update.params ?? []) this.setTrialParam(trialId, p.name, p.value, p.distribution);
    for (const v of update.intermediateValues ?? []) this.setTrialIntermediateValue(trialId, v.step, v.value);
    for (const [key, value] of Object.entries(update.userAttrs ?? {}))
      this.setTrialUserAttr(trialId, key, value);
    for (const [key, value] of Object.entries(update.systemAttrs ?? {}))
      this.setTrialSystemAttr(trialId, key, value);
    if (update.finish) this.finishTrial(trialId, update.finish.state, update.finish.value ?? null);
  }

  setTrialParam(trialId: number, name: string, value: ParamValue, distribution: Distribution): void {
    const trial = this.trial(trialId, true);
    trial.params.set(name, value);
    trial.distributions.set(name, frozenCopy(distribution));
  }

  setTrialIntermediateValue(trialId: number, step: number, value: number): void {
    this.trial(trialId, true).intermediateValues.set(step, value);
  }

  setTrialUserAttr(trialId: number, key: string, value: unknown): void {
    this.trial(trialId, true).userAttrs.set(key, frozenCopy(value));
  }

  setTrialSystemAttr(trialId: number, key: string, value: unknown): void {
    this.trial(trialId, true).systemAttrs.set(key, frozenCopy(value));
  }

  finishTrial(
    trialId: number,
    state: Exclude<TrialState, 'RUNNING' | 'WAITING'>,
    value: number | null = null,
  ): void {
    const trial = this.trial(trialId, true);
    if (state === 'COMPLETE' && value === null)
      throw new Error(`COMPLETE trial ${trial.number} needs a value`);
    trial.state = state;
    trial.value = state === 'FAIL' ? null : value;
    trial.datetimeComplete = this.now;
  }

  recordHeartbeat(trialId: number): void {
    this.trial(trialId).heartbeat = this.now;
  }

  failStaleTrials(studyId: number, graceSeconds: number): number[] {
    this.live();
    const stale = this.trials.filter(
      (t) =>
        t.studyId === studyId &&
        t.state === 'RUNNING' &&
        t.heartbeat !== null &&
        this.now - t.heartbeat > graceSeconds * 1000,
    );
    for (const t of stale) {
      t.state = 'FAIL';
      t.datetimeComplete = this.now;
    }
    return stale.map((t) => t.number);
  }

  getTrial(trialId: number): FrozenTrial {
    return freeze(this.trial(trialId));
  }

  getTrials(studyId: number, states?: readonly TrialState[]): FrozenTrial[] {
    this.live();
    return this.trials
      .filter((t) => t.studyId === studyId && (states === undefined || states.includes(t.state)))
      .sort((a, b) => a.number - b.number)
      .map(freeze);
  }

  close(): void {
    this.closed = true;
  }
}

/** A deep copy that nobody can change: stored once, then shared by every returned trial. */
function frozenCopy<T>(value: T): T {
  const copy = structuredClone(value);
  const freezeDeep = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
    Object.freeze(v);
    for (const inner of Object.values(v)) freezeDeep(inner);
  };
  freezeDeep(copy);
  return copy;
}

function freeze(t: MutableTrial): FrozenTrial {
  return {
    trialId: t.trialId,
    number: t.number,
    state: t.state,
    value: t.value,
    params: Object.fromEntries(t.params),
    distributions: Object.fromEntries(t.distributions),
    userAttrs: Object.fromEntries(t.userAttrs),
    systemAttrs: Object.fromEntries(t.systemAttrs),
    intermediateValues: new Map(t.intermediateValues),
    datetimeStart: t.datetimeStart,
    datetimeComplete: t.datetimeComplete,
  };
}
