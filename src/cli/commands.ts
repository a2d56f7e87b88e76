import type { Command } from 'commander';
import { registerInit } from './init-command.js';
import { registerLedger } from './ledger-command.js';

/** Every command the binary offers; each file registers one command (or one group). */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerInit, registerLedger];
