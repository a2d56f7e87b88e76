import type { Command } from 'commander';

/**
 * Commander lists a required option exactly like an optional one, so `--help` would tell a user
 * that `condition resume --reason` may be left out; every mandatory option says so in its help.
 */
export function markRequiredOptions(parent: Command): void {
  for (const cmd of parent.commands) {
    markRequiredOptions(cmd);
    for (const o of cmd.options) {
      if (o.mandatory && !o.description.startsWith('(required)')) {
        o.description = `(required) ${o.description}`;
      }
    }
  }
}
