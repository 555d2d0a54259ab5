// A failure of one lifecycle service while it applied a frame: the supervisor names it, restarts or stops.
import { HybridTraderError } from '../core/errors.js';

export class ServiceFailure extends HybridTraderError {
  readonly service: 'paper' | 'arena' | 'deployer';

  constructor(service: 'paper' | 'arena' | 'deployer', cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super('SERVICE_FAILED', `${service}: ${message}`, { service }, { cause });
    this.service = service;
  }
}
