import { useState } from 'react';
import { ApiError, api } from './api.js';
import { field } from './manage-forms.js';

interface CheckError {
  code: string;
  path: string;
  line?: number;
  message: string;
}

const quote = (s: string) => JSON.stringify(s);
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** YAML from the form's fields: a starting point the editor below can change freely. */
export function agreementFromForm(form: FormData): string {
  const types = list(field(form, 'types'));
  const denied = list(field(form, 'labels_denied'));
  const of = list(field(form, 'neighbourhood'));
  const lines = [
    'scope:',
    `  types: [${types.join(', ')}]`,
    ...(denied.length ? [`  labels_denied: [${denied.join(', ')}]`] : []),
    ...(of.length
      ? ['  neighbourhood:', `    of: [${of.join(', ')}]`, `    hops: ${field(form, 'hops') || '2'}`]
      : []),
    `tlp_ceiling: ${field(form, 'tlp_ceiling')}`,
    ...(field(form, 'embargo') ? [`embargo: ${field(form, 'embargo')}`] : []),
    `approval: ${field(form, 'approval')}`,
    `sanitisation: ${field(form, 'sanitisation')}`,
    ...(field(form, 'submitter_consent') && field(form, 'submitter_consent') !== 'none'
      ? [`submitter_consent: ${field(form, 'submitter_consent')}`]
      : []),
    `valid_from: ${quote(field(form, 'valid_from'))}`,
    ...(field(form, 'valid_until') ? [`valid_until: ${quote(field(form, 'valid_until'))}`] : []),
    'conditions:',
    ...(field(form, 'assurance_id')
      ? [
          '  - kind: assurance',
          `    id: ${field(form, 'assurance_id')}`,
          `    title: ${quote(field(form, 'assurance_title') || field(form, 'assurance_id'))}`,
        ]
      : []),
    '  - kind: review',
    '    days: 90',
    '  - kind: suspension',
    '  - kind: breach',
  ];
  return `${lines.join('\n')}\n`;
}

const today = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The agreement as a form and as YAML: the form fills the editor; Check shows the errors
 * `tearline agreement check` gives (line and field); Save stores a new version.
 */
export function AgreementEditor({
  partnerId,
  initial,
  onSaved,
}: {
  partnerId: string;
  initial: string;
  onSaved: () => void;
}) {
  const [text, setText] = useState(initial);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<CheckError[]>([]);
  const [status, setStatus] = useState('');
  const check = async () => {
    const r = await api<{ ok: boolean; errors?: CheckError[] }>('/api/agreements/check', { text });
    setErrors(r.errors ?? []);
    setStatus(r.ok ? 'valid' : '');
    return r.ok;
  };
  const save = async () => {
    setStatus('');
    if (reason.trim() === '') {
      setStatus('say why you change the agreement: it is kept with the version and in the ledger');
      return;
    }
    try {
      const r = await api<{ version: number; unchanged: boolean }>(
        `/api/partners/${encodeURIComponent(partnerId)}/agreement`,
        { text, reason },
      );
      setErrors([]);
      setReason('');
      setStatus(r.unchanged ? `unchanged (still version ${r.version})` : `saved as version ${r.version}`);
      onSaved();
    } catch (e) {
      if (e instanceof ApiError) await check();
      else throw e;
    }
  };
  return (
    <div className="agreement-editor">
      <form
        className="agreement-form"
        onSubmit={(e) => {
          e.preventDefault();
          setText(agreementFromForm(new FormData(e.currentTarget)));
        }}
      >
        <label>
          Types{' '}
          <input
            name="types"
            defaultValue="intrusion-set, indicator, relationship, incident, report, location"
          />
        </label>
        <label>
          Labels denied <input name="labels_denied" defaultValue="internal, sources-and-methods" />
        </label>
        <label>
          Neighbourhood of <input name="neighbourhood" placeholder="intrusion-set--…" />
        </label>
        <label>
          Hops <input name="hops" type="number" min={1} max={5} defaultValue={2} />
        </label>
        <label>
          TLP ceiling
          <select name="tlp_ceiling" defaultValue="green">
            {['clear', 'green', 'amber', 'amber+strict', 'red'].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Approval
          <select name="approval" defaultValue="two">
            {['none', 'one', 'two'].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Embargo <input name="embargo" placeholder="PT24H" />
        </label>
        <label>
          Sanitisation
          <select name="sanitisation" defaultValue="strict">
            {['standard', 'strict'].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Submitter consent
          <select name="submitter_consent" defaultValue="none">
            {['none', 'hub-only', 'named'].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Valid from <input name="valid_from" defaultValue={today()} />
        </label>
        <label>
          Valid until <input name="valid_until" />
        </label>
        <label>
          Assurance id <input name="assurance_id" placeholder="hr-1" />
        </label>
        <label>
          Assurance title <input name="assurance_title" />
        </label>
        <button type="submit">Fill the editor from the form</button>
      </form>
      <label className="yaml">
        Agreement (YAML or JSON)
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={18} spellCheck={false} />
      </label>
      <label>
        Why (kept with the version, in the partner's history and the ledger){' '}
        <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
      </label>
      <div className="buttons">
        <button type="button" onClick={() => void check()}>
          Check
        </button>
        <button type="button" onClick={() => void save()}>
          Save as a new version
        </button>
        {status && <output className="done">{status}</output>}
      </div>
      {errors.length > 0 && (
        <ul className="errors" role="alert" data-testid="agreement-errors">
          {errors.map((e) => (
            <li key={`${e.line}:${e.path}:${e.message}`}>
              {e.line !== undefined && <>line {e.line}: </>}
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
