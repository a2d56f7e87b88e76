import type { Command } from 'commander';
import { registerAgreement } from './agreement-command.js';
import { registerBreach } from './breach-command.js';
import { registerCondition } from './condition-command.js';
import { registerDecide } from './decide-command.js';
import { registerDemo } from './demo-command.js';
import { registerExplain } from './explain-command.js';
import { registerExport } from './export-command.js';
import { registerImport } from './import-command.js';
import { registerInit } from './init-command.js';
import { registerLedger } from './ledger-command.js';
import { registerMigrate } from './migrate-command.js';
import { registerPartner } from './partner-command.js';
import { registerPreview } from './preview-command.js';
import { registerRelease } from './release-command.js';
import { registerReport } from './report-command.js';
import { registerServe } from './serve-command.js';
import { registerStats } from './stats-command.js';
import { registerTaxii } from './taxii-command.js';
import { registerUser } from './user-command.js';
import { registerValidate } from './validate-command.js';

/** Every command the binary offers; each file registers one command (or one group). */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerInit,
  registerValidate,
  registerImport,
  registerExport,
  registerStats,
  registerPartner,
  registerAgreement,
  registerCondition,
  registerBreach,
  registerExplain,
  registerDecide,
  registerUser,
  registerLedger,
  registerRelease,
  registerReport,
  registerDemo,
  registerPreview,
  registerServe,
  registerTaxii,
  registerMigrate,
];
