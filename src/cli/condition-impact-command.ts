import type { Command } from 'commander';
import { openDecisionRound, readLatestInputs } from '../app/hub-decisions.js';
import { openHubAt } from '../app/hub-open.js';
import { requireHubPolicy } from '../app/hub-policy-watch.js';
import { partnerImpactOf } from '../release/release-what-would-it-take.js';
import { DATA_OPTION, type DataOption, DECIDE_AT_OPTION, parseTimeOption } from './cli-arguments.js';
import { requireActorOrClose, requirePartner } from './cli-hub.js';
import { printJson } from './cli-output.js';
import { formatPartnerImpact } from './explain-what-would-it-take.js';

/** `condition impact PARTNER`: how many withheld items each unmet condition gates, and what would flow. */
export function registerConditionImpact(condition: Command): void {
  condition
    .command('impact <partner>')
    .description(
      'for each unmet condition: how many withheld items it gates and what would flow if it alone were met',
    )
    .option(...DECIDE_AT_OPTION)
    .option(...DATA_OPTION)
    .option('--json', 'print JSON: {partner, at, decisions, withheld, all_met, agreement_change, conditions}')
    .action(async (nameOrId: string, opts: DataOption & { at?: string; json?: boolean }) => {
      const at = parseTimeOption(opts.at, '--at') ?? new Date();
      const hub = await openHubAt(opts);
      await requireActorOrClose(hub, opts, 'read');
      try {
        const p = await requirePartner(hub.state, nameOrId);
        const round = await openDecisionRound(hub, requireHubPolicy(hub.paths.dir), at);
        const inputs = await readLatestInputs(hub, round);
        const { impact, decisions } = partnerImpactOf(inputs, await round.termsFor(p));
        if (opts.json) {
          return printJson({ partner: p.name, at: at.toISOString(), decisions, ...impact });
        }
        process.stdout.write(`${formatPartnerImpact(p.name, impact).join('\n')}\n`);
      } finally {
        await hub.close();
      }
    });
}
