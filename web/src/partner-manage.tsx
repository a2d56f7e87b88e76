import { useState } from 'react';
import { AgreementEditor } from './agreement-editor.js';
import type { Me } from './api.js';
import { ActionForm, field, post, ReasonField } from './manage-forms.js';
import { useLoad } from './use-load.js';

export interface ManagedPartner {
  id: string;
  name: string;
  enabled: boolean;
  suspended: boolean;
  agreement: { version: number; raw: string } | null;
  conditions: { id: string; kind: string; status: string }[];
}

const may = (me: Me, action: string) => me.permissions.includes(action);
const at = (id: string) => `/api/partners/${encodeURIComponent(id)}`;

export function AddPartner({ onAdded }: { onAdded: () => void }) {
  return (
    <section className="card" aria-labelledby="add-partner">
      <h2 id="add-partner">Add a partner</h2>
      <ActionForm
        label="Add partner"
        testId="add-partner"
        onSubmit={async (f) => {
          const r = await post<{ partner: { name: string }; token: string }>('/api/partners', {
            name: field(f, 'name'),
            country: field(f, 'country'),
            description: field(f, 'description'),
          });
          onAdded();
          return `added ${r.partner.name}; its TAXII token, shown once: ${r.token}`;
        }}
      >
        <label>
          Name <input name="name" required maxLength={100} />
        </label>
        <label>
          Country (ISO code) <input name="country" maxLength={2} />
        </label>
        <label>
          Description <input name="description" maxLength={2000} />
        </label>
      </ActionForm>
    </section>
  );
}

function History({ partnerId, tick }: { partnerId: string; tick: number }) {
  const [rows] = useLoad<{ at: string; actor: string; what: string; why: string | null }[]>(
    `${at(partnerId)}/history`,
    [tick],
  );
  if (rows.state !== 'ok') return null;
  return (
    <details>
      <summary>History: who changed what, when and why ({rows.data.length})</summary>
      <table data-testid="history">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.data.map((r) => (
            <tr key={`${r.at}${r.what}`}>
              <td>{r.at}</td>
              <td>{r.actor}</td>
              <td>{r.what}</td>
              <td>{r.why ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function AgreementVersions({ partnerId, latest }: { partnerId: string; latest: number }) {
  const [diff, setDiff] = useState('');
  if (latest < 2) return null;
  return (
    <ActionForm
      label="Compare"
      onSubmit={async (f) => {
        const r = await fetch(
          `${at(partnerId)}/agreements/diff?from=${field(f, 'from')}&to=${field(f, 'to')}`,
          {
            credentials: 'same-origin',
          },
        );
        const body = (await r.json()) as { text?: string; message?: string };
        if (!r.ok) throw new Error(body.message ?? 'diff failed');
        setDiff(body.text ?? '');
        return 'compared';
      }}
    >
      <label>
        From version <input name="from" type="number" min={1} defaultValue={latest - 1} />
      </label>
      <label>
        To version <input name="to" type="number" min={1} defaultValue={latest} />
      </label>
      {diff && <pre data-testid="agreement-diff">{diff}</pre>}
    </ActionForm>
  );
}

/** Everything an admin or officer may change about one partner, each change with a reason. */
export function PartnerManage({
  me,
  partner,
  onChanged: reload,
}: {
  me: Me;
  partner: ManagedPartner;
  onChanged: () => void;
}) {
  const p = partner;
  // Each change reloads the partner and its history below.
  const [tick, setTick] = useState(0);
  const onChanged = () => {
    setTick((t) => t + 1);
    reload();
  };
  const assurances = p.conditions.filter((c) => c.kind === 'assurance');
  return (
    <div className="manage">
      {may(me, 'partner.manage') && (
        <>
          <ActionForm
            label={p.enabled ? 'Disable partner' : 'Enable partner'}
            confirm={
              p.enabled
                ? `Stop every release to ${p.name} and refuse its token?`
                : `Allow releases to ${p.name} again?`
            }
            onSubmit={async (f) => {
              await post(`${at(p.id)}/enabled`, { enabled: !p.enabled, reason: field(f, 'reason') });
              onChanged();
              return `${p.name} is now ${p.enabled ? 'disabled' : 'enabled'}`;
            }}
          >
            <ReasonField />
          </ActionForm>
          <ActionForm
            label="Rotate token"
            confirm={`Issue a new token? The old one stops working at once.`}
            onSubmit={async (f) => {
              const r = await post<{ token: string }>(`${at(p.id)}/token`, { reason: field(f, 'reason') });
              onChanged();
              return `new token, shown once: ${r.token}`;
            }}
          >
            <ReasonField />
          </ActionForm>
        </>
      )}
      {may(me, 'condition.attest') &&
        assurances.map((c) => (
          <div key={c.id} className="assurance" data-assurance={c.id}>
            <h4>Assurance {c.id}</h4>
            <ActionForm
              label={`Attest ${c.id}`}
              onSubmit={async (f) => {
                await post(`${at(p.id)}/conditions/${encodeURIComponent(c.id)}/attest`, {
                  issuer: field(f, 'issuer'),
                  grade: field(f, 'grade'),
                  evidence: field(f, 'evidence')
                    .split(',')
                    .map((x) => x.trim())
                    .filter(Boolean),
                  valid_from: field(f, 'valid_from'),
                  valid_until: field(f, 'valid_until'),
                  review_due: field(f, 'review_due'),
                });
                onChanged();
                return `attested ${c.id}`;
              }}
            >
              <label>
                Issuer <input name="issuer" required />
              </label>
              <label>
                Grade <input name="grade" placeholder="B2" maxLength={2} />
              </label>
              <label>
                Evidence <input name="evidence" placeholder="letter-2026-11, minutes-12" />
              </label>
              <label>
                Valid from <input name="valid_from" placeholder="2026-12-01T00:00:00Z" required />
              </label>
              <label>
                Valid until <input name="valid_until" placeholder="2027-06-01T00:00:00Z" required />
              </label>
              <label>
                Review due <input name="review_due" />
              </label>
            </ActionForm>
            <ActionForm
              label={`Revoke ${c.id}`}
              confirm={`Revoke ${c.id}? Releases that depend on it stop.`}
              onSubmit={async (f) => {
                await post(`${at(p.id)}/conditions/${encodeURIComponent(c.id)}/revoke`, {
                  reason: field(f, 'reason'),
                });
                onChanged();
                return `revoked ${c.id}`;
              }}
            >
              <ReasonField />
            </ActionForm>
          </div>
        ))}
      {may(me, 'condition.suspend') && (
        <ActionForm
          label={p.suspended ? 'Resume releases' : 'Suspend releases'}
          confirm={p.suspended ? `Resume releases to ${p.name}?` : `Suspend every release to ${p.name}?`}
          testId="suspension"
          onSubmit={async (f) => {
            await post(`${at(p.id)}/suspension`, { on: !p.suspended, reason: field(f, 'reason') });
            onChanged();
            return `${p.name}: suspension ${p.suspended ? 'off' : 'on'}`;
          }}
        >
          <ReasonField />
        </ActionForm>
      )}
      {may(me, 'breach.manage') && (
        <>
          <ActionForm
            label="Open a breach report"
            onSubmit={async (f) => {
              const r = await post<{ breach: string }>(`${at(p.id)}/breaches`, {
                reason: field(f, 'reason'),
              });
              onChanged();
              return `opened breach ${r.breach}`;
            }}
          >
            <ReasonField label="What happened" />
          </ActionForm>
          <ActionForm
            label="Close a breach report"
            onSubmit={async (f) => {
              await post(`${at(p.id)}/breaches/${encodeURIComponent(field(f, 'breach'))}/close`, {
                reason: field(f, 'reason'),
              });
              onChanged();
              return `closed breach ${field(f, 'breach')}`;
            }}
          >
            <label>
              Breach id <input name="breach" placeholder="B1" required />
            </label>
            <ReasonField label="How it was resolved" />
          </ActionForm>
        </>
      )}
      {may(me, 'release.recall') && (
        <ActionForm
          label="Recall"
          confirm="Revoke what this partner was given of that object?"
          testId="recall"
          onSubmit={async (f) => {
            const r = await post<{ recalled: { original_id: string }[] }>(`${at(p.id)}/recall`, {
              object_id: field(f, 'object_id'),
              reason: field(f, 'reason'),
            });
            onChanged();
            return `recalled ${r.recalled.length} object(s) from ${p.name}`;
          }}
        >
          <label>
            Object id <input name="object_id" required />
          </label>
          <ReasonField />
        </ActionForm>
      )}
      {may(me, 'agreement.set') && (
        <details>
          <summary>Write the agreement</summary>
          <AgreementEditor partnerId={p.id} initial={p.agreement?.raw ?? ''} onSaved={onChanged} />
        </details>
      )}
      {p.agreement && <AgreementVersions partnerId={p.id} latest={p.agreement.version} />}
      <History partnerId={p.id} tick={tick} />
    </div>
  );
}
