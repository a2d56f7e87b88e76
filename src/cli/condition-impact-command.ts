import type { Command } from 'commander';
import { readLatestInputs } from '../app/hub-decisions.js';
import { partnerImpactOf } from '../release/release-what-would-it-take.js';
import type { DataOption } from './cli-arguments.js';
import { decidingCommand, withPartnerRound } from './cli-decision-round.js';
import { printJson } from './cli-output.js';
import { formatPartnerImpact } from './explain-what-would-it-take.js';

/** `condition impact PARTNER`: how many withheld items each unmet condition gates, and what would flow. */
export function registerConditionImpact(condition: Command): void {
  decidingCommand(
    condition,
    'impact <partner>',
    'for each unmet condition: how many withheld items it gates and what would flow if it alone were met',
  )
    .option('--json', 'print JSON: {partner, at, decisions, withheld, all_met, agreement_change, conditions}')
    .action(async (nameOrId: string, opts: DataOption & { at?: string; json?: boolean }) => {
      await withPartnerRound(opts, nameOrId, async ({ hub, partner: p, round, at }) => {
        const inputs = await readLatestInputs(hub, round);
        const { impact, decisions } = partnerImpactOf(inputs, await round.termsFor(p));
        if (opts.json) {
          return printJson({ partner: p.name, at: at.toISOString(), decisions, ...impact });
        }
        process.stdout.write(`${formatPartnerImpact(p.name, impact).join('\n')}\n`);
      });
    });
}
