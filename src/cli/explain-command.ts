import type { Command } from 'commander';
import { resolveDataDir } from '../app/data-dir.js';
import { CedarEngine } from '../policy/cedar-engine.js';
import { PartnerDecider } from '../policy/decision.js';
import { DecisionMemo } from '../policy/decision-memo.js';
import { loadMarkingClassifier, loadPartnerFacts, loadProjection } from '../store/hub/partner-decisions.js';
import { CliError } from './cli-error.js';
import { formatConditionStates } from './condition-command.js';
import { readOperatorPolicies, readUntaggedTlp } from './decide-command.js';
import {
  type DataOption,
  parseTimeOption,
  printJson,
  requirePartner,
  withHubState,
} from './partner-command.js';

export function registerExplain(program: Command): void {
  program
    .command('explain <partner> <object-id>')
    .description('decide one object for one partner and say why: policies, reasons, failing conditions')
    .option('--at <time>', 'decide as of this time instead of now')
    .option('--data <dir>', 'data directory (default ./tearline-data or $TEARLINE_DATA)')
    .option('--json', 'print JSON: {outcome, reasons: [{code, message, ...}], ...}')
    .action(
      async (nameOrId: string, objectId: string, opts: DataOption & { at?: string; json?: boolean }) => {
        const at = parseTimeOption(opts.at, '--at') ?? new Date();
        const dir = resolveDataDir(opts.data);
        await withHubState(opts, 'read', async (state) => {
          const p = await requirePartner(state, nameOrId);
          const classify = await loadMarkingClassifier(state.sql);
          const intel = await loadProjection(state.sql, objectId, classify, readUntaggedTlp(dir));
          if (!intel) throw new CliError(`no stored object with id "${objectId}"`);
          const facts = await loadPartnerFacts(state, p, at.getTime(), readOperatorPolicies(dir));
          const d = new PartnerDecider(facts, new DecisionMemo(new CedarEngine())).decide(intel);
          if (opts.json) {
            return printJson({
              outcome: d.outcome,
              reasons: d.reasons,
              partner: { id: p.id, name: p.name },
              object: {
                id: intel.id,
                version: intel.version,
                type: intel.type,
                tlp: intel.tlp ?? intel.marking_state,
              },
              agreement_version: d.agreement_version ?? null,
              policies: d.policies,
              failing_conditions: d.failing_conditions,
              approvals_required: d.approvals_required,
              ...(d.visible_from !== undefined && { visible_from: d.visible_from }),
              ...(d.changes_at !== undefined && { changes_at: d.changes_at }),
              decided_at: d.decided_at,
            });
          }
          const lines = [
            `${d.outcome.toUpperCase()}: ${intel.id} (${intel.type}, ${intel.tlp ? `TLP:${intel.tlp.toUpperCase()}${intel.tlp_defaulted ? ' by hub default' : ''}` : intel.marking_state}) for ${p.name}${d.agreement_version ? ` under agreement v${d.agreement_version}` : ''} at ${d.decided_at}`,
            'because:',
            ...d.reasons.map((r) => `  - [${r.code}] ${r.message}${r.policy ? ` (policy ${r.policy})` : ''}`),
          ];
          if (facts.conditions.length > 0)
            lines.push(
              'conditions:',
              ...formatConditionStates(facts.conditions)
                .split('\n')
                .map((l) => `  ${l}`),
            );
          if (d.changes_at) lines.push(`re-decide by: ${d.changes_at}`);
          process.stdout.write(`${lines.join('\n')}\n`);
        });
      },
    );
}
