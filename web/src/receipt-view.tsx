import type { ReceiptView } from './receipt-verify.js';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A receipt as this browser read and checked it: the entry's fields, then each check. */
export function ReceiptPanel({ view, raw }: { view: ReceiptView; raw: string }) {
  if (view.error) {
    return (
      <section className="receipt" data-testid="receipt-view">
        <p className="error" data-testid="receipt-verdict">
          Cannot check this receipt: {view.error}
        </p>
      </section>
    );
  }
  const failed = view.checks.filter((c) => c.state !== 'good');
  return (
    <section className="receipt" data-testid="receipt-view">
      <h3>
        Entry {view.index} of tree {view.size} ({view.origin})
      </h3>
      <dl className="receipt-entry">
        {Object.entries(view.entry ?? {}).map(([k, v]) => (
          <div key={k} data-field={k}>
            <dt>{k}</dt>
            <dd>{show(v)}</dd>
          </div>
        ))}
      </dl>
      <ul className="receipt-checks">
        {view.checks.map((c) => (
          <li
            key={`${c.id}:${c.label}`}
            data-check={c.id}
            data-state={c.state}
            className={c.state === 'good' ? 'good' : 'error'}
          >
            {c.state === 'good' ? '\u2713 ' : '\u2717 '}
            {c.label}
          </li>
        ))}
      </ul>
      <p data-testid="receipt-verdict" className={view.ok ? 'good' : 'error'}>
        {view.ok
          ? `Verified in this browser: signed by the hub, included, and cosigned by ${view.cosigned} witness${view.cosigned === 1 ? '' : 'es'}.`
          : `Not verified: ${failed.length} check${failed.length === 1 ? '' : 's'} failed.`}
      </p>
      <details>
        <summary>Receipt as received</summary>
        <pre className="note">{raw}</pre>
      </details>
    </section>
  );
}
