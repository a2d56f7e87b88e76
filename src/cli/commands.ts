import type { Command } from 'commander';
import { registerAgreement } from './agreement-command.js';
import { registerBreach } from './breach-command.js';
import { registerCondition } from './condition-command.js';
import { registerDecide } from './decide-command.js';
import { registerExplain } from './explain-command.js';
import { registerInit } from './init-command.js';
import { registerPartner } from './partner-command.js';

/** Every command the binary offers; each file registers one command (or one group). */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerInit,
  registerPartner,
  registerAgreement,
  registerCondition,
  registerBreach,
  registerExplain,
  registerDecide,
];
