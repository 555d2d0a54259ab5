// Registers every command on the program; each command lives in its own file.
import type { Command } from 'commander';
import { registerBacktest } from './backtest.js';
import { registerData } from './data.js';
import { registerDemo } from './demo.js';
import { registerFeatures } from './features.js';
import { registerGateStudy } from './gate-study.js';
import { registerInit } from './init.js';
import { registerLogs } from './logs.js';
import { registerReplay } from './replay.js';
import { registerServe } from './serve.js';
import { registerStart } from './start.js';
import { registerStatus } from './status.js';
import { registerTrain } from './train.js';

export function registerCommands(program: Command): void {
  registerInit(program);
  registerData(program);
  registerFeatures(program);
  registerBacktest(program);
  registerTrain(program);
  registerReplay(program);
  registerStart(program);
  registerStatus(program);
  registerLogs(program);
  registerServe(program);
  registerDemo(program);
  registerGateStudy(program);
}
