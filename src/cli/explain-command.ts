import type { Command } from 'commander';
import { objectCacheOf } from '../app/hub-decisions.js';
import { decideObject } from '../release/release-closure.js';
import type { ReleaseDecision } from '../release/release-decision.js';
import { solverOf, whatWouldItTakeOf } from '../release/release-what-would-it-take.js';
import type { DataOption } from './cli-arguments.js';
import { decidingCommand, withPartnerRound } from './cli-decision-round.js';
import { CliError } from './cli-error.js';
import { printJson } from './cli-output.js';
import { formatConditionStates } from './condition-command.js';
import { formatWhatWouldItTake } from './explain-what-would-it-take.js';

export function registerExplain(program: Command): void {
  decidingCommand(
    program,
    'explain <partner> <object-id>',
    'decide one object for one partner and say why: policies, reasons, failing conditions, the tearline',
  )
    .option(
      '--what-would-it-take',
      'also say what would change a withhold: the minimal sets of facts (conditions met, approvals), or that only a change of agreement would',
    )
    .option('--json', 'print JSON: {outcome, reasons: [{code, message, ...}], stage, tearline, ...}')
    .action(
      async (
        nameOrId: string,
        objectId: string,
        opts: DataOption & { at?: string; json?: boolean; whatWouldItTake?: boolean },
      ) => {
        await withPartnerRound(opts, nameOrId, async ({ hub, partner: p, round }) => {
          const terms = await round.termsFor(p);
          const d = await decideObject(terms, objectId, objectCacheOf(hub, round));
          if (!d) throw new CliError(`no stored object with id "${objectId}"`);
          const intel = d.decision;
          const facts = terms.decider.facts;
          const projection = (await objectCacheOf(hub, round).get([objectId])).get(objectId)?.projection;
          const wwit =
            opts.whatWouldItTake && projection
              ? whatWouldItTakeOf(d, projection, solverOf(terms))
              : undefined;
          if (opts.json) {
            return printJson({
              outcome: d.outcome,
              reasons: d.reasons,
              stage: d.stage,
              partner: { id: p.id, name: p.name },
              object: {
                id: d.object_id,
                version: d.object_version,
                type: projection?.type,
                tlp: projection?.tlp ?? projection?.marking_state,
              },
              agreement_version: intel.agreement_version ?? null,
              policies: intel.policies,
              policy_outcome: intel.outcome,
              failing_conditions: intel.failing_conditions,
              approvals_required: intel.approvals_required,
              tearline: tearlineSummary(d),
              ...(intel.visible_from !== undefined && { visible_from: intel.visible_from }),
              ...(intel.changes_at !== undefined && { changes_at: intel.changes_at }),
              decided_at: intel.decided_at,
              ...(wwit && { what_would_it_take: wwit }),
            });
          }
          const level = projection?.tlp
            ? `TLP:${projection.tlp.toUpperCase()}${projection.tlp_defaulted ? ' by hub default' : ''}`
            : projection?.marking_state;
          const lines = [
            `${d.outcome.toUpperCase()}: ${d.object_id} (${projection?.type}, ${level}) for ${p.name}${intel.agreement_version ? ` under agreement v${intel.agreement_version}` : ''} at ${intel.decided_at}`,
            'because:',
            ...d.reasons.map((r) => `  - [${r.code}] ${r.message}${r.policy ? ` (policy ${r.policy})` : ''}`),
          ];
          if (d.stage === 'tearline' && intel.outcome !== 'withhold') {
            lines.push(
              `the policies alone say ${intel.outcome.toUpperCase()} (${intel.reasons.map((r) => r.code).join(', ')}); the tearline withholds it`,
            );
          }
          const copy = tearlineSummary(d);
          if (copy) {
            lines.push(
              `tearline: ${copy.id}, ${copy.removed} part(s) removed, digest ${copy.digest} (see: tearline preview ${p.name} ${d.object_id})`,
            );
          }
          if (facts.conditions.length > 0)
            lines.push(
              'conditions:',
              ...formatConditionStates(facts.conditions)
                .split('\n')
                .map((l) => `  ${l}`),
            );
          if (intel.changes_at) lines.push(`re-decide by: ${intel.changes_at}`);
          if (wwit) lines.push(...formatWhatWouldItTake(wwit));
          process.stdout.write(`${lines.join('\n')}\n`);
        });
      },
    );
}

function tearlineSummary(d: ReleaseDecision): { id: string; digest: string; removed: number } | null {
  return d.tearline
    ? { id: d.tearline.partnerObjectId, digest: d.tearline.digest, removed: d.tearline.removed.length }
    : null;
}
