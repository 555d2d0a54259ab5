// Public API of state files: atomic writes, validated JSON files, append-only journals, state transactions.
export {
  configureDurability,
  durabilityFsync,
  sweepTempFiles,
  writeFileAtomicSafe,
  writeFileAtomicSafeSync,
} from './atomic-file.js';
export { appendJournal, type JournalRead, readJournal, rewriteJournal } from './journal.js';
export { parseJsonText, readJsonFile, serializeJson, writeJsonFile } from './json-file.js';
export { directStateStore, type StateStore } from './state-store.js';
export { type CommitSummary, STATE_REDO_FILE, StateTransaction } from './state-transaction.js';
