/**
 * The article's text cut into runs for highlighting: a run is a stretch of text covered by the
 * same set of evidence spans. Spans may nest or overlap (a venue inside an incident's phrase), so
 * a run lists every item covering it and is coloured by the innermost (shortest) one. The runs
 * always tile the text exactly once, in order.
 */
export interface MarkSource {
  key: string;
  kind: string;
  name: string;
  evidence: { start: number; end: number; rule: string; confidence: number }[];
}

export interface RunMark {
  key: string;
  kind: string;
  name: string;
  rule: string;
  confidence: number;
}

export interface Run {
  text: string;
  /** Innermost first; empty for plain text. */
  marks: RunMark[];
}

interface Span extends RunMark {
  start: number;
  end: number;
}

export function runsOf(text: string, items: readonly MarkSource[]): Run[] {
  const spans: Span[] = [];
  for (const i of items) {
    if (i.kind === 'relationship') continue;
    for (const e of i.evidence) {
      const start = Math.max(0, Math.trunc(e.start));
      const end = Math.min(text.length, Math.trunc(e.end));
      if (!(start < end)) continue;
      spans.push({
        key: i.key,
        kind: i.kind,
        name: i.name,
        rule: e.rule,
        confidence: e.confidence,
        start,
        end,
      });
    }
  }
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort(
    (a, b) => a - b,
  );
  const byStart = [...spans].sort((a, b) => a.start - b.start);
  const active = new Set<Span>();
  const runs: Run[] = [];
  let next = 0;
  for (let c = 0; c + 1 < cuts.length; c++) {
    const from = cuts[c] as number;
    const to = cuts[c + 1] as number;
    for (const s of active) if (s.end <= from) active.delete(s);
    while (next < byStart.length && (byStart[next] as Span).start <= from) {
      const s = byStart[next++] as Span;
      if (s.end > from) active.add(s);
    }
    const seen = new Set<string>();
    const marks = [...active]
      .sort((a, b) => a.end - a.start - (b.end - b.start))
      .filter((s) => !seen.has(s.key) && Boolean(seen.add(s.key)))
      .map(({ key, kind, name, rule, confidence }) => ({ key, kind, name, rule, confidence }));
    const last = runs[runs.length - 1];
    if (last && sameKeys(last.marks, marks)) last.text += text.slice(from, to);
    else runs.push({ text: text.slice(from, to), marks });
  }
  return runs;
}

function sameKeys(a: readonly RunMark[], b: readonly RunMark[]): boolean {
  return a.length === b.length && a.every((m, i) => m.key === b[i]?.key);
}
