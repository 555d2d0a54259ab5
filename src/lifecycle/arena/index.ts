// Public API of the arena: the service, its configuration, state files, the promotion gate and candidate files.
export { Arena } from './arena.js';
export {
  type ArenaConfig,
  type ArenaConfigInput,
  ArenaConfigSchema,
  type GateConfig,
  GateConfigSchema,
  resolveArenaConfig,
} from './arena-config.js';
export type { ArenaOptions, ArenaPaperView } from './arena-options.js';
export { arenaPaths } from './arena-paths.js';
export {
  type ArenaState,
  ArenaStateSchema,
  type BenchmarkState,
  BenchmarkStateSchema,
  ExcessEvidenceSchema,
  type MemberMetrics,
  type MemberState,
  MemberStateSchema,
} from './arena-state.js';
export { stepBenchmarksAlone } from './benchmarks.js';
export { archivePromotionCandidate, readPromotionCandidate } from './candidate-file.js';
export {
  type ArchivedCandidate,
  ArchivedCandidateSchema,
  type PromotionCandidate,
  PromotionCandidateSchema,
  type PromotionDecision,
} from './candidate-schema.js';
export {
  type ArenaLifeAdvice,
  arenaLifeAdvice,
  type ExcessEvidence,
  type ExcessTestConfig,
  ExcessTestConfigSchema,
  type ExcessTestDesign,
  evaluateExcessTests,
  excessTestDesign,
  recommendedHorizonBars,
  spendingPower,
} from './excess-test.js';
export {
  evaluateGate,
  type GateInput,
  mayQualify,
  pickCandidate,
  storedCheck,
  type WindowMetrics,
  windowMetrics,
} from './gate.js';
export { arenaLeader, evidenceLine, rankMembers, renderLeaderboard } from './leaderboard.js';
export {
  isActive,
  type MemberEvent,
  type MemberStatus,
  MemberStatusSchema,
  nextStatus,
} from './member-status.js';
