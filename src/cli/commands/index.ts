// Registers the commands on the program; each command lives in its own file, imported only when needed.
import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Each command module with the top-level commands it registers, in help order. A run imports only the
 * module of the command it names (the others' imports cost start-up time); help, --version and an
 * unknown command load them all.
 */
export const COMMAND_MODULES: readonly {
  readonly names: readonly string[];
  readonly load: () => Promise<Register>;
}[] = [
  { names: ['init'], load: async () => (await import('./init.js')).registerInit },
  { names: ['data'], load: async () => (await import('./data.js')).registerData },
  { names: ['features'], load: async () => (await import('./features.js')).registerFeatures },
  { names: ['backtest'], load: async () => (await import('./backtest.js')).registerBacktest },
  { names: ['train'], load: async () => (await import('./train.js')).registerTrain },
  { names: ['worker'], load: async () => (await import('./worker.js')).registerWorker },
  { names: ['replay'], load: async () => (await import('./replay.js')).registerReplay },
  { names: ['evaluate'], load: async () => (await import('./evaluate.js')).registerEvaluate },
  {
    names: ['start', 'paper', 'deployer', 'stop'],
    load: async () => (await import('./start.js')).registerStart,
  },
  { names: ['status', 'arena', 'promote'], load: async () => (await import('./status.js')).registerStatus },
  { names: ['logs'], load: async () => (await import('./logs.js')).registerLogs },
  { names: ['serve'], load: async () => (await import('./serve.js')).registerServe },
  { names: ['demo'], load: async () => (await import('./demo.js')).registerDemo },
  { names: ['gate-study'], load: async () => (await import('./gate-study.js')).registerGateStudy },
];

/**
 * Registers the command `args` names (the arguments after the program's own), or every command when
 * they name none of them (help, --version, a typo: commander then lists or suggests them all).
 */
export async function registerCommands(program: Command, args: readonly string[] = []): Promise<void> {
  const name = args.find((a) => !a.startsWith('-'));
  const wanted = COMMAND_MODULES.filter((m) => name !== undefined && m.names.includes(name));
  for (const module of wanted.length === 1 ? wanted : COMMAND_MODULES) (await module.load())(program);
}
