import type { Command } from 'commander';
import { registerDemo } from './demo-command.js';
import { registerExport } from './export-command.js';
import { registerImport } from './import-command.js';
import { registerInit } from './init-command.js';
import { registerPreview } from './preview-command.js';
import { registerStats } from './stats-command.js';
import { registerValidate } from './validate-command.js';

/** Every command the binary offers; each file registers one command (or one group). */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerInit,
  registerValidate,
  registerImport,
  registerExport,
  registerStats,
  registerDemo,
  registerPreview,
];
