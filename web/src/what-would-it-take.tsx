import { useLoad } from './use-load.js';

interface Requirement {
  code: string;
  message: string;
  condition?: string;
}

/** As the API sends it (src/policy/decision-what-would-it-take.ts). */
export type WhatWouldItTake =
  | { code: 'nothing-needed' }
  | { code: 'approval'; approvals_required: number }
  | {
      code: 'facts';
      answers: {
        requirements: Requirement[];
        outcome: 'release' | 'needs-approval';
        approvals_required: number;
        visible_from?: string;
      }[];
    }
  | { code: 'agreement-change'; blockers: { code: string; message: string }[] };

const officers = (n: number) => (n === 2 ? 'two officers' : 'one officer');

/** The object page's "what would it take", beside the reasons of one partner's decision. */
export function WhatWouldItTakeView({ w }: { w: WhatWouldItTake | null }) {
  if (!w || w.code === 'nothing-needed') return null;
  if (w.code === 'approval')
    return <p className="wwit">What would it take: approval by {officers(w.approvals_required)}.</p>;
  if (w.code === 'agreement-change')
    return (
      <p className="wwit">
        What would it take: nothing short of changing the agreement (
        {w.blockers.map((b) => b.code).join(', ')}).
      </p>
    );
  return (
    <div className="wwit">
      <p>What would it take{w.answers.length > 1 ? ` (any one of ${w.answers.length})` : ''}:</p>
      <ol>
        {w.answers.map((a) => (
          <li key={a.requirements.map((r) => r.code + (r.condition ?? '')).join(' ')}>
            {a.requirements.map((r) => r.message).join('; and ')}
            {'; then '}
            {a.outcome === 'release'
              ? 'released'
              : `queued for approval by ${officers(a.approvals_required)}`}
          </li>
        ))}
      </ol>
    </div>
  );
}

interface Impact {
  withheld: number;
  agreement_change: number;
  all_met: { release: number; 'needs-approval': number };
  conditions: { key: string; line: string; requirement: Requirement }[];
}

/** The partner page's impact of each unmet condition: "restoring hr-1 releases N item(s)". */
export function PartnerImpactView({ partnerId, deps }: { partnerId: string; deps: readonly unknown[] }) {
  const [impact] = useLoad<Impact>(`/api/partners/${encodeURIComponent(partnerId)}/impact`, deps);
  if (impact.state === 'loading') return <p className="muted">Working out what would flow…</p>;
  if (impact.state === 'error') return <p className="error">{impact.message}</p>;
  const d = impact.data;
  const allMet = d.all_met.release + d.all_met['needs-approval'];
  return (
    <div className="impact" data-impact>
      <p>
        {d.withheld} item(s) withheld; meeting every condition would release {allMet}; {d.agreement_change}{' '}
        need a change of agreement.
      </p>
      {d.conditions.length > 0 && (
        <ul>
          {d.conditions.map((c) => (
            <li key={c.key} data-impact-condition={c.key}>
              {c.line} <span className="muted">({c.requirement.message})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
