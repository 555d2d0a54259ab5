// Decodes trial rows and their child rows (as any driver returns them) into FrozenTrials, checking every field.
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
import {
  decodeAttrValue,
  fromOptunaDatetime,
  fromStoredValue,
  INTERMEDIATE_VALUE_TYPES,
  TRIAL_VALUE_TYPES,
} from './stored-values.js';

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

/** The rows of a set of trials, one array per table, in the columns Optuna's schema names. */
export interface TrialRows {
  /** trial_id, number, state, datetime_start, datetime_complete; ordered by number, trial_id. */
  readonly trials: readonly Row[];
  /** param_id, trial_id, param_name, param_value, distribution_json; ordered by trial_id, param_id. */
  readonly params: readonly Row[];
  /** trial_value_id, trial_id, objective, value, value_type. */
  readonly values: readonly Row[];
  /** trial_intermediate_value_id, trial_id, step, intermediate_value, intermediate_value_type. */
  readonly intermediates: readonly Row[];
  /** trial_user_attribute_id, trial_id, key, value_json; ordered by trial_id, id. */
  readonly userAttrs: readonly Row[];
  /** trial_system_attribute_id, trial_id, key, value_json; ordered by trial_id, id. */
  readonly systemAttrs: readonly Row[];
}

/**
 * Builds FrozenTrials from their rows, in the order of `rows.trials`. Every field is checked: a row that
 * cannot be decoded throws StateError STUDY_STORAGE_ROW_INVALID naming the table, the row and the field;
 * a child row of a trial not in `rows.trials` is one too.
 */
export function assembleTrials(rows: TrialRows): FrozenTrial[] {
  const drafts = new Map<number, Draft>();
  for (const row of rows.trials) {
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

  for (const row of rows.params) {
    const [draft, ref] = owner(row, 'trial_params', 'param_id');
    const name = stringField(row, ref, 'param_name');
    const distribution = decodeDistribution(stringField(row, ref, 'distribution_json'), ref);
    const internal = numberOrNullField(row, ref, 'param_value');
    if (internal === null) throw invalidRow(ref, 'param_value', 'a number', internal);
    setEntry(draft.params, name, toExternalValue(internal, distribution, ref));
    setEntry(draft.distributions, name, distribution);
  }
  for (const row of rows.values) {
    const [draft, ref] = owner(row, 'trial_values', 'trial_value_id');
    const objective = intField(row, ref, 'objective');
    if (objective !== 0)
      throw invalidRow(ref, 'objective', '0 (only single-objective studies are supported)', objective);
    const type = enumField(row, ref, 'value_type', TRIAL_VALUE_TYPES);
    const value = fromStoredValue(numberOrNullField(row, ref, 'value'), type, ref, 'value');
    // FrozenTrial.value is the objective of a COMPLETE trial; a PRUNED trial's stored value stays in the table.
    if (draft.state === 'COMPLETE') draft.value = value;
  }
  for (const row of rows.intermediates) {
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
  for (const [list, table, idColumn, target] of [
    [rows.userAttrs, 'trial_user_attributes', 'trial_user_attribute_id', 'userAttrs'],
    [rows.systemAttrs, 'trial_system_attributes', 'trial_system_attribute_id', 'systemAttrs'],
  ] as const) {
    for (const row of list) {
      const [draft, ref] = owner(row, table, idColumn);
      setEntry(
        draft[target],
        stringField(row, ref, 'key'),
        decodeAttrValue(stringField(row, ref, 'value_json'), ref),
      );
    }
  }
  return [...drafts.values()];
}
