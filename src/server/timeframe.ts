// The workspace's bar timeframe (runtime/workspace-timeframe.ts), as the server's routes read it.
export { inferTimeframeMs } from '../runtime/workspace-timeframe.js';
