import { useState } from 'react';
import { useLoad } from './use-load.js';

const TABLES = ['releases', 'denials', 'withheld', 'withheld-summary', 'fetched', 'receipts'] as const;

/**
 * A partner's disclosure report for a period: the HTML opens in its own tab (print it from
 * there), each table downloads as a CSV of its own.
 */
export function ReportLinks() {
  const [partners] = useLoad<{ id: string; name: string }[]>('/api/partners');
  const today = new Date().toISOString().slice(0, 10);
  const [partner, setPartner] = useState('');
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const chosen = partner || (partners.state === 'ok' ? (partners.data[0]?.name ?? '') : '');
  const query = (extra: string) =>
    `/api/reports/disclosures?partner=${encodeURIComponent(chosen)}&from=${from}&to=${to}${extra}`;
  return (
    <div className="report-links">
      <div className="search">
        <label>
          Partner
          <select value={chosen} onChange={(e) => setPartner(e.target.value)}>
            {partners.state === 'ok' &&
              partners.data.map((p) => (
                <option key={p.id} value={p.name}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To (inclusive)
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      {chosen && (
        <p>
          <a href={query('')} target="_blank" rel="noopener">
            Open the report (HTML, for print)
          </a>{' '}
          · CSV:{' '}
          {TABLES.map((t, i) => (
            <span key={t}>
              {i > 0 && ', '}
              <a href={query(`&format=csv&table=${t}`)} download>
                {t}
              </a>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
