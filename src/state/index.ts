// Public API of state files: atomic writes, validated JSON files, append-only journals, state transactions.

export { fileUnreadable, readFileIfExists } from './absent-file.js';
export {
  configureDurability,
  durabilityFsync,
  ensureDir,
  sweepTempFiles,
  writeFileAtomicSafe,
  writeFileAtomicSafeSync,
} from './atomic-file.js';
export {
  configureFaults,
  configureWorkerFaults,
  currentFaultPlan,
  type DurableOp,
  durable,
  durableOpCount,
  type FaultPlan,
  namedIoError,
  type OpTracer,
  parseFaultPlan,
  type WorkerFaults,
  workerFaults,
} from './durable-io.js';
export {
  appendJournal,
  checkJournal,
  dropLeftovers,
  type JournalCheck,
  type JournalMark,
  JournalMarkSchema,
  type JournalRead,
  journalMark,
  parseJournalLine,
  readJournal,
  requireJournal,
  rewriteJournal,
} from './journal.js';
export {
  parseJsonOr,
  parseJsonText,
  readJsonFile,
  serializeJson,
  writeJsonFile,
} from './json-file.js';
export { decodeRedo, type RedoOp, readRedo, redoMismatch } from './redo-record.js';
export { directStateStore, type StateStore } from './state-store.js';
export { type CommitSummary, STATE_REDO_FILE, StateTransaction } from './state-transaction.js';
