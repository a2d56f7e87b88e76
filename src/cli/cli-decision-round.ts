import type { Command } from 'commander';
import type { Hub } from '../app/hub.js';
import { openDecisionRound } from '../app/hub-decisions.js';
import { openHubAt } from '../app/hub-open.js';
import { requireHubPolicy } from '../app/hub-policy-watch.js';
import type { DecisionRound } from '../release/release-terms.js';
import type { Partner } from '../store/hub/partner-store.js';
import { DATA_OPTION, type DataOption, DECIDE_AT_OPTION, parseTimeOption } from './cli-arguments.js';
import { requireActorOrClose, requirePartner } from './cli-hub.js';

/** A command that decides as of `--at` against the hub in `--data` (explain, condition impact). */
export function decidingCommand(parent: Command, usage: string, description: string): Command {
  return parent
    .command(usage)
    .description(description)
    .option(...DECIDE_AT_OPTION)
    .option(...DATA_OPTION);
}

export interface PartnerRound {
  hub: Hub;
  partner: Partner;
  round: DecisionRound;
  at: Date;
}

/**
 * Opens the hub for a reader, finds the partner and opens a round of decisions as of `--at` (now
 * without it), then runs `use`; the hub is closed however `use` ends.
 */
export async function withPartnerRound<T>(
  opts: DataOption & { at?: string | undefined },
  nameOrId: string,
  use: (r: PartnerRound) => Promise<T>,
): Promise<T> {
  const at = parseTimeOption(opts.at, '--at') ?? new Date();
  const hub = await openHubAt(opts);
  await requireActorOrClose(hub, opts, 'read');
  try {
    const partner = await requirePartner(hub.state, nameOrId);
    const round = await openDecisionRound(hub, requireHubPolicy(hub.paths.dir), at);
    return await use({ hub, partner, round, at });
  } finally {
    await hub.close();
  }
}
