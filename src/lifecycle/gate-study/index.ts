// Public API of the gate study: controlled arena lifetimes judged by the product's promotion gate.
export { defaultStudyGates, type StudyGate } from './configs.js';
export { DEFAULT_EXCESS_PROCESS, type ExcessProcess } from './excess-process.js';
export {
  aggregateStudy,
  DEFAULT_GATE_STUDY,
  type GateStudyOptions,
  type GateStudyReport,
  type GateStudyRow,
  minDetectable,
  runStudyTasks,
  type StudyTask,
  type StudyTaskResult,
  studyGates,
  studyTasks,
} from './study.js';
