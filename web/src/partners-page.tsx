import type { Me } from './api.js';
import { ConditionHistoryChart } from './condition-history-chart.js';
import { useLive } from './live.js';
import { AddPartner, PartnerManage } from './partner-manage.js';
import { PartnerRelay } from './partner-relay.js';
import { RelayFeedback } from './relay-feedback.js';
import { CONSENT_WORDS } from './submitter-consent.js';
import { useLoad } from './use-load.js';
import { PartnerImpactView } from './what-would-it-take.js';

interface Condition {
  id: string;
  kind: string;
  title: string;
  status: 'met' | 'unmet' | 'unknown';
  reason: string;
  changes_at?: string;
  lapse: string | null;
}

interface Partner {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  suspended: boolean;
  agreement: {
    version: number;
    format: string;
    raw: string;
    body: Record<string, unknown>;
    set_at: string;
  } | null;
  conditions: Condition[];
  counts: Record<string, number>;
}

const LAPSE_WORD: Record<string, string> = {
  assurance: 'expires',
  review: 'review due',
  reciprocity: 'lapses',
};

function AgreementSummary({ body }: { body: Record<string, unknown> }) {
  const scope = (body.scope ?? {}) as { types?: string[]; neighbourhood?: { of: string[]; hops: number } };
  const rows: [string, string][] = [
    ['TLP ceiling', String(body.tlp_ceiling ?? '—')],
    ['Approval', String(body.approval ?? 'none')],
    ['Embargo', String(body.embargo ?? 'none')],
    ['Sanitisation', String(body.sanitisation ?? '—')],
    [
      'Submitter consent',
      CONSENT_WORDS[String(body.submitter_consent ?? 'none')] ?? String(body.submitter_consent),
    ],
    ['Valid', `${String(body.valid_from ?? '?')} – ${String(body.valid_until ?? 'open-ended')}`],
    ['Types', (scope.types ?? []).join(', ')],
    [
      'Neighbourhood',
      scope.neighbourhood
        ? `${scope.neighbourhood.hops} hops of ${scope.neighbourhood.of.join(', ')}`
        : 'any',
    ],
  ];
  return (
    <dl className="props">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function PartnersPage({ me }: { me: Me }) {
  const live = useLive();
  const [partners, reload] = useLoad<Partner[]>('/api/partners', [live.queue, live.conditions]);
  if (partners.state === 'loading') return <p>Loading…</p>;
  if (partners.state === 'error') return <p className="error">{partners.message}</p>;
  return (
    <>
      <h1>Partners</h1>
      {me.permissions.includes('partner.manage') && <AddPartner onAdded={reload} />}
      {partners.data.map((p) => (
        <section key={p.id} className="card" aria-labelledby={`p-${p.id}`} data-partner={p.name}>
          <h2 id={`p-${p.id}`}>
            {p.name} {p.suspended && <span className="badge bad">suspended</span>}
          </h2>
          {p.description && <p>{p.description}</p>}
          <p className="counts">
            {[
              'released',
              'queued',
              'withheld',
              'denied',
              'recalled',
              'acknowledgements outstanding',
              'feedback',
            ].map((k) => (
              <span key={k}>
                <strong>{p.counts[k] ?? 0}</strong> {k}
              </span>
            ))}
          </p>
          <p className="note">
            A recall is acknowledged when the partner submits a note citing the revoked object.
          </p>
          <PartnerManage me={me} partner={p} onChanged={reload} />
          <PartnerRelay partnerId={p.id} deps={[live.queue]} />
          <h3>Conditions</h3>
          {p.conditions.length === 0 ? (
            <p>No conditions.</p>
          ) : (
            <div className="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Condition</th>
                    <th scope="col">Status</th>
                    <th scope="col">Why</th>
                    <th scope="col">Changes</th>
                  </tr>
                </thead>
                <tbody>
                  {p.conditions.map((c) => (
                    <tr key={c.id} data-condition={c.id}>
                      <td>{c.title}</td>
                      <td>
                        <span className={`status status-${c.status}`}>{c.status}</span>
                      </td>
                      <td>{c.reason}</td>
                      <td>{c.lapse ? `${LAPSE_WORD[c.kind] ?? 'changes'} ${c.lapse}` : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {p.agreement && me.permissions.includes('condition.history') && (
            <>
              <h3>Conditions over time</h3>
              <ConditionHistoryChart partnerId={p.id} deps={[live.conditions]} />
            </>
          )}
          {p.agreement && (
            <>
              <h3>What would it take</h3>
              <PartnerImpactView partnerId={p.id} deps={[live.queue, live.conditions, live.intel]} />
            </>
          )}
          <h3>Agreement</h3>
          {p.agreement ? (
            <>
              <p>
                Version {p.agreement.version}, set {p.agreement.set_at}
              </p>
              <AgreementSummary body={p.agreement.body} />
              <details>
                <summary>Raw agreement ({p.agreement.format})</summary>
                <pre>{p.agreement.raw}</pre>
              </details>
            </>
          ) : (
            <p>No agreement: nothing is released.</p>
          )}
        </section>
      ))}
      <RelayFeedback deps={[live.queue]} />
    </>
  );
}
