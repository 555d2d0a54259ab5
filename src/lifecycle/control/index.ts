// Public API of operator control requests.
export {
  type ControlAction,
  ControlActionSchema,
  type ControlRequest,
  type ControlRequestInput,
  ControlRequestSchema,
  type ControlResult,
  ControlResultSchema,
  type ControlService,
  ControlServiceSchema,
  completeControlRequest,
  controlPaths,
  enqueueControlRequest,
  isValidControlId,
  pendingControlRequests,
  readControlRequest,
} from './control-requests.js';
