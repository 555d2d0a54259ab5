// Public API of operator control requests.
export {
  type ControlRequestInput,
  completeControlRequest,
  controlPaths,
  enqueueControlRequest,
  pendingControlRequests,
  readControlRequest,
} from './control-requests.js';
export {
  type ControlAction,
  ControlActionSchema,
  type ControlRequest,
  ControlRequestSchema,
  type ControlResult,
  ControlResultSchema,
  type ControlService,
  ControlServiceSchema,
  isValidControlId,
} from './control-schema.js';
