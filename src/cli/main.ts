#!/usr/bin/env node
// Entry point of the `hybrid-trader` command: builds the commander program and maps errors to exit codes.
import { Command } from 'commander';
import { exitCodeFor, HybridTraderError } from '../core/errors.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('hybrid-trader')
    .description('Lifecycle for automated trading models: study -> paper trader -> arena -> promotion')
    .version(VERSION)
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerCommands(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    const code = exitCodeFor(error);
    if (error instanceof HybridTraderError) {
      process.stderr.write(`error [${error.code}]: ${error.message}\n`);
    } else {
      process.stderr.write(
        `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = code;
  }
}

await main();
