#!/usr/bin/env node
// Entry point of the `hybrid-trader` command: builds the commander program and maps errors to exit codes.
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { configureFaultsFromEnv } from '../config/fault-injection.js';
import { exitCodeFor, HybridTraderError } from '../core/errors.js';
import { formatIssues } from '../core/schema-issues.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from './version.js';

/** The program with the command `args` names registered (all of them for help, --version or a typo). */
export async function buildProgram(args: readonly string[] = process.argv.slice(2)): Promise<Command> {
  const program = new Command();
  program
    .name('hybrid-trader')
    .description('Lifecycle for automated trading models: study -> paper trader -> arena -> promotion')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride() // usage errors surface as CommanderError, mapped to exit 2 below
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  await registerCommands(program, args);
  return program;
}

async function main(): Promise<void> {
  // `hybrid-trader ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    configureFaultsFromEnv();
    await (await buildProgram()).parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and --version exit 0; any other commander error is a usage error, already printed
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const code = exitCodeFor(error);
    if (error instanceof HybridTraderError) {
      process.stderr.write(`error [${error.code}]: ${error.message}\n`);
    } else if (error instanceof z.ZodError) {
      // input that should have been validated with a named error where it entered: a bug, told plainly
      process.stderr.write(`unexpected error: invalid value: ${formatIssues(error)}\n`);
    } else {
      process.stderr.write(
        `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = code;
  }
}

await main();
