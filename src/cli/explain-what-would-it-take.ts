import type { PartnerImpact } from '../policy/condition-impact.js';
import { formatImpactLine } from '../policy/condition-impact.js';
import type { WhatWouldItTake } from '../policy/decision-what-would-it-take.js';

const approvals = (n: number) => (n === 2 ? 'two officers' : 'one officer');

/** The "what would it take" lines of `explain`, indented under a heading. */
export function formatWhatWouldItTake(w: WhatWouldItTake): string[] {
  switch (w.code) {
    case 'nothing-needed':
      return ['what would it take: nothing; it is released'];
    case 'approval':
      return [`what would it take: approval by ${approvals(w.approvals_required)} (it is queued)`];
    case 'agreement-change':
      return [
        'what would it take: nothing short of changing the agreement (or the object); with every condition met it is still withheld because:',
        ...w.blockers.map((b) => `  - [${b.code}] ${b.message}`),
      ];
    case 'facts': {
      const lines = [
        w.answers.length === 1
          ? 'what would it take (all of):'
          : `what would it take (any one of ${w.answers.length} sets):`,
      ];
      w.answers.forEach((a, i) => {
        const then =
          a.outcome === 'release'
            ? 'then it is released'
            : `then it is queued for approval by ${approvals(a.approvals_required)}`;
        const prefix = w.answers.length === 1 ? '' : `${i + 1}. `;
        lines.push(
          ...a.requirements.map((r, k) => `  ${k === 0 ? prefix : ' '.repeat(prefix.length)}- ${r.message}`),
          `  ${' '.repeat(prefix.length)}${then}${a.visible_from ? ` (visible to the partner from ${a.visible_from})` : ''}`,
        );
      });
      return lines;
    }
  }
}

/** `condition impact`: one line per unmet condition, then the totals. */
export function formatPartnerImpact(partner: string, impact: PartnerImpact): string[] {
  const lines = [
    `${partner}: ${impact.withheld} item(s) withheld; meeting every condition would change ${impact.all_met.release + impact.all_met['needs-approval']} (${impact.all_met['needs-approval']} to the approval queue); ${impact.agreement_change} need a change of agreement`,
  ];
  if (impact.conditions.length === 0) lines.push('every condition is met and the partner is enabled');
  for (const c of impact.conditions) {
    lines.push(`  ${c.key}: ${formatImpactLine(c)}`, `    to do: ${c.requirement.message}`);
    const types = Object.entries(c.alone_by_type).sort((a, b) => b[1] - a[1]);
    if (types.length > 0) lines.push(`    would flow: ${types.map(([t, n]) => `${n} ${t}`).join(', ')}`);
  }
  return lines;
}
