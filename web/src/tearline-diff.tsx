type Json = Record<string, unknown>;

interface Line {
  kind: 'same' | 'removed' | 'added';
  key: string;
  text: string;
  why?: string;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Property by property: what the partner would get against the original, with the rule that removed each part. */
export function diffLines(original: Json, tearline: Json, removed: { path: string; rule: string }[]): Line[] {
  const whyOf = (key: string) =>
    removed
      .filter((r) => r.path === key || r.path.startsWith(`${key}.`) || r.path.startsWith(`${key}[`))
      .map((r) => `${r.path}: ${r.rule}`)
      .join('; ');
  const lines: Line[] = [];
  for (const [key, value] of Object.entries(original)) {
    const why = whyOf(key);
    if (!(key in tearline))
      lines.push({ kind: 'removed', key, text: `${key}: ${show(value)}`, ...(why && { why }) });
    else if (JSON.stringify(value) !== JSON.stringify(tearline[key])) {
      lines.push({ kind: 'removed', key, text: `${key}: ${show(value)}`, ...(why && { why }) });
      lines.push({ kind: 'added', key, text: `${key}: ${show(tearline[key])}` });
    } else lines.push({ kind: 'same', key, text: `${key}: ${show(value)}` });
  }
  for (const [key, value] of Object.entries(tearline)) {
    if (!(key in original)) lines.push({ kind: 'added', key, text: `${key}: ${show(value)}` });
  }
  return lines;
}

export function TearlineDiff(props: {
  original: Json | null;
  tearline: Json;
  removed: { path: string; rule: string }[];
}) {
  const lines = props.original ? diffLines(props.original, props.tearline, props.removed) : [];
  return (
    <div className="diff" data-testid="tearline-diff">
      <ul aria-label="Tearline against the original: removed lines are marked minus, added plus">
        {lines.map((l) => (
          <li key={`${l.kind}:${l.key}`} className={`diff-${l.kind}`}>
            <span aria-hidden="true">{l.kind === 'removed' ? '−' : l.kind === 'added' ? '+' : ' '}</span>
            <span className="sr-only">{l.kind === 'same' ? '' : `${l.kind}: `}</span>
            <code>{l.text.length > 300 ? `${l.text.slice(0, 299)}…` : l.text}</code>
            {l.why && <span className="why">{l.why}</span>}
          </li>
        ))}
      </ul>
      {props.removed.length > 0 && (
        <details>
          <summary>{props.removed.length} removed paths and rules</summary>
          <ul>
            {props.removed.map((r) => (
              <li key={r.path + r.rule}>
                <code>{r.path}</code>: {r.rule}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
