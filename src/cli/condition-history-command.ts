import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { loadConditionHistory } from '../release/condition-history-load.js';
import type { DataOption } from './cli-arguments.js';
import { requireActorOrClose, requirePartner } from './cli-hub.js';
import { printJson } from './cli-output.js';

/**
 * `condition timeline PARTNER`: each condition met and lapsed over time (the overseers' chart;
 * `condition history` lists the events themselves).
 */
export function registerConditionHistory(condition: Command): void {
  condition
    .command('timeline <partner>')
    .description("each of the partner's conditions met and lapsed over time, with releases and gated items")
    .option('--data <dir>', 'data directory (default ./tearline-data or $TEARLINE_DATA)')
    .option('--json', 'print JSON: {partner, at, truncated, intervals}')
    .action(async (nameOrId: string, opts: DataOption & { json?: boolean }) => {
      const hub = await openHubAt(opts);
      await requireActorOrClose(hub, opts, 'condition.history');
      try {
        const p = await requirePartner(hub.state, nameOrId);
        const history = await loadConditionHistory(hub.state, p, new Date());
        if (opts.json) return printJson(history);
        const lines = history.intervals.map(
          (i) =>
            `${i.condition.padEnd(14)} ${i.status.padEnd(7)} ${i.from} – ${i.to ?? 'now'}  released ${i.released}${i.gated === undefined ? '' : `, gating ${i.gated}`}`,
        );
        process.stdout.write(`${lines.length ? lines.join('\n') : `${p.name} has no agreement yet`}\n`);
      } finally {
        await hub.close();
      }
    });
}
