// Public API of state files: atomic writes, validated JSON files, append-only journals.
export {
  configureDurability,
  durabilityFsync,
  sweepTempFiles,
  writeFileAtomicSafe,
  writeFileAtomicSafeSync,
} from './atomic-file.js';
export { appendJournal, type JournalRead, readJournal, rewriteJournal } from './journal.js';
export { describeIssue, readJsonFile, writeJsonFile } from './json-file.js';
