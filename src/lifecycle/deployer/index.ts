// Public API of the auto deployer.
export {
  type CycleDecision,
  type CycleInput,
  decideCycle,
  MODE_POLICIES,
  type ModePolicy,
  modelIdOf,
  refOf,
} from './decide.js';
export { Deployer, type DeployerDeps } from './deployer.js';
export {
  DEPLOYMENT_HISTORY_FILE,
  DEPLOYMENT_STATE_FILE,
  type DeployerConfig,
  type DeployerConfigInput,
  DeployerConfigSchema,
  type DeploymentMode,
  DeploymentModeSchema,
  type DeploymentState,
  DeploymentStateSchema,
  type HistoryAction,
  type HistoryEntry,
  type HistoryEntryOf,
  HistoryEntrySchema,
  isManualSwap,
} from './deployment-state.js';
export { ENSEMBLE_STUDY, writeEnsemble } from './ensemble.js';
export {
  type DeployerPolicy,
  DeployerPolicySchema,
  type DeploymentGuard,
  evidenceGuard,
  guardOf,
  type ProtectionConfig,
  ProtectionConfigSchema,
  seedGuard,
} from './guards.js';
