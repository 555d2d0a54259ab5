// Reads trials and their child rows with reusable prepared statements and decodes them into FrozenTrials.
import type { Distribution, ParamValue } from '../distributions.js';
import { type FrozenTrial, TRIAL_STATES, type TrialState } from '../trial.js';
import { decodeDistribution, toExternalValue } from './distribution-json.js';
import {
  enumField,
  intField,
  invalidRow,
  numberOrNullField,
  type Row,
  rowRef,
  stringField,
  stringOrNullField,
} from './row-fields.js';
import type { BindValue, SqliteDatabase, SqliteStatement } from './sqlite-driver.js';
import {
  decodeAttrValue,
  fromOptunaDatetime,
  fromStoredValue,
  INTERMEDIATE_VALUE_TYPES,
  TRIAL_VALUE_TYPES,
} from './stored-values.js';

/** The statements for one scope of trials: `scope` is a subquery selecting trial_ids. */
interface ScopedQueries {
  readonly trials: SqliteStatement;
  readonly params: SqliteStatement;
  readonly values: SqliteStatement;
  readonly intermediates: SqliteStatement;
  readonly userAttrs: SqliteStatement;
  readonly systemAttrs: SqliteStatement;
}

function prepareScope(db: SqliteDatabase, scope: string): ScopedQueries {
  const children = (columns: string, table: string, order: string): SqliteStatement =>
    db.prepare(`SELECT ${columns} FROM ${table} WHERE trial_id IN (${scope}) ORDER BY trial_id, ${order}`);
  return {
    trials: db.prepare(
      `SELECT trial_id, number, state, datetime_start, datetime_complete FROM trials WHERE trial_id IN (${scope}) ORDER BY number, trial_id`,
    ),
    params: children(
      'param_id, trial_id, param_name, param_value, distribution_json',
      'trial_params',
      'param_id',
    ),
    values: children('trial_value_id, trial_id, objective, value, value_type', 'trial_values', 'objective'),
    intermediates: children(
      'trial_intermediate_value_id, trial_id, step, intermediate_value, intermediate_value_type',
      'trial_intermediate_values',
      'step',
    ),
    userAttrs: children(
      'trial_user_attribute_id, trial_id, "key", value_json',
      'trial_user_attributes',
      'trial_user_attribute_id',
    ),
    systemAttrs: children(
      'trial_system_attribute_id, trial_id, "key", value_json',
      'trial_system_attributes',
      'trial_system_attribute_id',
    ),
  };
}

/** A mutable trial under assembly. */
interface Draft {
  trialId: number;
  number: number;
  state: TrialState;
  value: number | null;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  intermediateValues: Map<number, number>;
  datetimeStart: number | null;
  datetimeComplete: number | null;
}

/** Sets an own enumerable property even for keys like `__proto__`. */
function setEntry<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function decodeTrialRow(row: Row): Draft {
  const ref = rowRef('trials', row, 'trial_id');
  const datetime = (field: string): number | null => {
    const text = stringOrNullField(row, ref, field);
    return text === null ? null : fromOptunaDatetime(text, ref, field);
  };
  const number = row.number;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw invalidRow(ref, 'number', 'an integer (trial numbers are set when the trial is created)', number);
  }
  return {
    trialId: intField(row, ref, 'trial_id'),
    number,
    state: enumField(row, ref, 'state', TRIAL_STATES),
    value: null,
    params: {},
    distributions: {},
    userAttrs: {},
    systemAttrs: {},
    intermediateValues: new Map(),
    datetimeStart: datetime('datetime_start'),
    datetimeComplete: datetime('datetime_complete'),
  };
}

/**
 * Reads FrozenTrials of a study or a single trial. Every field is checked: a row that cannot be decoded
 * throws StateError STUDY_STORAGE_ROW_INVALID naming the table, the row and the field.
 */
export class TrialReader {
  private readonly byStudy: ScopedQueries;
  private readonly byStudyStates: ScopedQueries;
  private readonly byTrial: ScopedQueries;

  constructor(db: SqliteDatabase) {
    this.byStudy = prepareScope(db, 'SELECT trial_id FROM trials WHERE study_id = ?');
    this.byStudyStates = prepareScope(
      db,
      'SELECT trial_id FROM trials WHERE study_id = ? AND state IN (SELECT value FROM json_each(?))',
    );
    this.byTrial = prepareScope(db, 'SELECT ?');
  }

  /**
   * Trials of the study, ordered by number; only those in `states` when given (then a row with an unknown
   * state is not selected; without `states` it is an error). Call inside a read transaction for one snapshot.
   */
  studyTrials(studyId: number, states?: readonly TrialState[]): FrozenTrial[] {
    if (states === undefined) return this.read(this.byStudy, [studyId]);
    return this.read(this.byStudyStates, [studyId, JSON.stringify(states)]);
  }

  /** The trial, or null if there is none with that id. */
  trial(trialId: number): FrozenTrial | null {
    return this.read(this.byTrial, [trialId])[0] ?? null;
  }

  private read(q: ScopedQueries, args: BindValue[]): FrozenTrial[] {
    const drafts = new Map<number, Draft>();
    for (const row of q.trials.all(...args)) {
      const draft = decodeTrialRow(row);
      drafts.set(draft.trialId, draft);
    }
    if (drafts.size === 0) return [];
    const owner = (row: Row, table: string, idColumn: string): [Draft, ReturnType<typeof rowRef>] => {
      const ref = rowRef(table, row, idColumn);
      const draft = drafts.get(intField(row, ref, 'trial_id'));
      if (draft === undefined) throw invalidRow(ref, 'trial_id', 'a trial of this study', row.trial_id);
      return [draft, ref];
    };

    for (const row of q.params.all(...args)) {
      const [draft, ref] = owner(row, 'trial_params', 'param_id');
      const name = stringField(row, ref, 'param_name');
      const distribution = decodeDistribution(stringField(row, ref, 'distribution_json'), ref);
      const internal = numberOrNullField(row, ref, 'param_value');
      if (internal === null) throw invalidRow(ref, 'param_value', 'a number', internal);
      setEntry(draft.params, name, toExternalValue(internal, distribution, ref));
      setEntry(draft.distributions, name, distribution);
    }
    for (const row of q.values.all(...args)) {
      const [draft, ref] = owner(row, 'trial_values', 'trial_value_id');
      const objective = intField(row, ref, 'objective');
      if (objective !== 0)
        throw invalidRow(ref, 'objective', '0 (only single-objective studies are supported)', objective);
      const type = enumField(row, ref, 'value_type', TRIAL_VALUE_TYPES);
      const value = fromStoredValue(numberOrNullField(row, ref, 'value'), type, ref, 'value');
      // FrozenTrial.value is the objective of a COMPLETE trial; a PRUNED trial's stored value stays in the table.
      if (draft.state === 'COMPLETE') draft.value = value;
    }
    for (const row of q.intermediates.all(...args)) {
      const [draft, ref] = owner(row, 'trial_intermediate_values', 'trial_intermediate_value_id');
      const type = enumField(row, ref, 'intermediate_value_type', INTERMEDIATE_VALUE_TYPES);
      const value = fromStoredValue(
        numberOrNullField(row, ref, 'intermediate_value'),
        type,
        ref,
        'intermediate_value',
      );
      draft.intermediateValues.set(intField(row, ref, 'step'), value);
    }
    for (const [statement, table, target] of [
      [q.userAttrs, 'trial_user_attributes', 'userAttrs'],
      [q.systemAttrs, 'trial_system_attributes', 'systemAttrs'],
    ] as const) {
      for (const row of statement.all(...args)) {
        const [draft, ref] = owner(
          row,
          table,
          table === 'trial_user_attributes' ? 'trial_user_attribute_id' : 'trial_system_attribute_id',
        );
        setEntry(
          draft[target],
          stringField(row, ref, 'key'),
          decodeAttrValue(stringField(row, ref, 'value_json'), ref),
        );
      }
    }
    return [...drafts.values()];
  }
}
