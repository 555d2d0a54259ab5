// A ServiceLogger that keeps its lines, for asserting what was logged (and what was not).
import type { ServiceLogger } from '../../../lifecycle/contracts.js';

export interface LoggedLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export interface MemoryLogger extends ServiceLogger {
  readonly lines: LoggedLine[];
  /** Every line as JSON, one per line: what a file logger would write. */
  text(): string;
}

export function memoryLogger(): MemoryLogger {
  const lines: LoggedLine[] = [];
  const at =
    (level: LoggedLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  return {
    lines,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () => lines.map((l) => JSON.stringify(l)).join('\n'),
  };
}
