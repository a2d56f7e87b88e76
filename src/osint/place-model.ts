import type { EntityHit } from './entity-scan.js';
import { foldName } from './text-fold.js';
import { isAllCaps, isCapitalised, NOT_PLACE_NAMES, PEOPLES_ADJECTIVE, type Token } from './text-tokens.js';

/**
 * Villages and small towns no gazetteer lists and no hand-written cue marks ("gunmen stormed
 * Fantio before dawn") are told apart from people, bodies and other capitalised words by the
 * words around them. A logistic model over those words, trained offline on our own labelled
 * articles (bench/place-model-train.ts) and committed as weights: nothing is downloaded, and
 * every decision names its candidate's features as evidence.
 */
export interface PlaceModel {
  /** The weight of each feature the training kept (features seen too rarely are dropped). */
  weights: Readonly<Record<string, number>>;
  bias: number;
  /** The probability at and above which a candidate is taken as a place. */
  threshold: number;
}

/** A run of capitalised words no earlier scan claimed, with the features the model reads. */
export interface PlaceCandidate {
  from: number;
  to: number;
  start: number;
  end: number;
  name: string;
  features: string[];
}

const MAX_WORDS = 4;
// Lower-case particles inside place names ("Vizcatán del Ene", "Dar es Salaam").
const PARTICLES = new Set(['de', 'del', 'do', 'da', 'dos', 'das', 'di', 'du', 'des', 'la', 'el', 'es', 'al']);

/** What separates two tokens: nothing but a space, or the punctuation between them. */
function gap(text: string, from: number, to: number): string | undefined {
  const s = text.slice(from, to);
  if (/\n/.test(s)) return '¶';
  const p = s.replace(/\s+/g, '');
  return p === '' ? undefined : p.slice(0, 1);
}

function hitKind(h: EntityHit | undefined): string {
  if (!h) return '-';
  const e = h.entry;
  return e.kind === 'place' ? `place:${e.placeKind}` : e.kind;
}

function nameWord(t: Token | undefined, common: ReadonlySet<string>): boolean {
  if (!t || !isCapitalised(t.text) || /\d/.test(t.text)) return false;
  return !common.has(t.fold) && !NOT_PLACE_NAMES.has(t.fold);
}

/**
 * Candidates: maximal runs of capitalised words that are not common English words, joined by
 * spaces or name particles, on tokens no hit holds.
 */
export function* placeCandidates(
  text: string,
  tokens: readonly Token[],
  hits: readonly EntityHit[],
  common: ReadonlySet<string>,
): Generator<PlaceCandidate> {
  const held: (EntityHit | undefined)[] = new Array(tokens.length);
  for (const h of hits) for (let k = h.from; k < h.to && k < tokens.length; k++) held[k] = h;
  const spans: { from: number; to: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (held[i] || !nameWord(tokens[i], common)) continue;
    let to = i + 1;
    while (to < tokens.length && to - i < MAX_WORDS && !held[to]) {
      const prev = tokens[to - 1] as Token;
      const t = tokens[to] as Token;
      if (text.slice(prev.end, t.start) !== ' ') break;
      if (nameWord(t, common)) to++;
      else if (
        to + 2 - i <= MAX_WORDS &&
        PARTICLES.has(t.text) &&
        nameWord(tokens[to + 1], common) &&
        !held[to + 1]
      )
        to += 2;
      else break;
    }
    spans.push({ from: i, to });
    i = to - 1;
  }
  // How often, and how, the article names each candidate elsewhere.
  const bySurface = new Map<string, { from: number; to: number }[]>();
  for (const s of spans) {
    const key = foldName(text.slice((tokens[s.from] as Token).start, (tokens[s.to - 1] as Token).end));
    const list = bySurface.get(key) ?? [];
    list.push(s);
    bySurface.set(key, list);
  }
  // One at a time: a long pasted text has many, and only those the model takes are kept.
  for (const s of spans) {
    const first = tokens[s.from] as Token;
    const last = tokens[s.to - 1] as Token;
    const name = text.slice(first.start, last.end);
    const f = contextFeatures(text, tokens, held, s.from, s.to);
    const n = s.to - s.from;
    f.push(`len=${Math.min(n, 3)}`);
    if (isAllCaps(name.replace(/[^\p{L}]/gu, ''))) f.push('caps');
    if (/[-‐‑]/.test(name)) f.push('hyphen');
    if (/['’]/.test(name)) f.push('apostrophe');
    if (PEOPLES_ADJECTIVE.test(name)) f.push('peoples');
    if (!text.slice(0, first.start).includes('\n')) f.push('headline');
    const word = last.fold.replace(/[^\p{L}]/gu, '');
    f.push(`suf3=${word.slice(-3)}`, `suf2=${word.slice(-2)}`);
    if (n > 1) f.push(`head=${word}`);
    const others = bySurface.get(foldName(name)) ?? [];
    f.push(`mentions=${Math.min(others.length, 3)}`);
    for (const o of others) {
      if (o === s) continue;
      const before = tokens[o.from - 1];
      if (before && /^(?:in|at|near|outside|into|of)$/.test(before.fold)) {
        f.push('elsewhere-after-preposition');
        break;
      }
    }
    yield { from: s.from, to: s.to, start: first.start, end: last.end, name, features: f };
  }
}

/** The words, punctuation and hits on either side of tokens from..to-1. */
function contextFeatures(
  text: string,
  tokens: readonly Token[],
  held: readonly (EntityHit | undefined)[],
  from: number,
  to: number,
): string[] {
  const left: string[] = [];
  let at = (tokens[from] as Token).start;
  for (let k = from - 1; k >= 0 && left.length < 3; k--) {
    const t = tokens[k] as Token;
    const p = gap(text, t.end, at);
    if (p !== undefined) left.push(p);
    if (left.length < 3) left.push(held[k] ? `[${hitKind(held[k])}]` : t.fold);
    at = t.start;
    if (p === '¶' || p === '.') break;
  }
  if (from === 0 || gap(text, (tokens[from - 1] as Token).end, (tokens[from] as Token).start) === '¶')
    left.unshift('¶');
  const right: string[] = [];
  at = (tokens[to - 1] as Token).end;
  for (let k = to; k < tokens.length && right.length < 3; k++) {
    const t = tokens[k] as Token;
    const p = gap(text, at, t.start);
    if (p !== undefined) right.push(p);
    if (right.length < 3) right.push(held[k] ? `[${hitKind(held[k])}]` : t.fold);
    at = t.end;
    if (p === '¶' || p === '.') break;
  }
  if (/^['’]s\b/.test(text.slice((tokens[to - 1] as Token).end))) right.unshift("'s");
  const l1 = left[0] ?? '^';
  const l2 = left[1] ?? '^';
  const r1 = right[0] ?? '$';
  const r2 = right[1] ?? '$';
  return [
    `l1=${l1}`,
    `l2=${l2}`,
    `l21=${l2} ${l1}`,
    `l3=${left[2] ?? '^'}`,
    `r1=${r1}`,
    `r2=${r2}`,
    `r12=${r1} ${r2}`,
    `l1r1=${l1} _ ${r1}`,
  ];
}

/** The probability the model gives a candidate's features. */
export function placeProbability(model: PlaceModel, features: readonly string[]): number {
  let z = model.bias;
  for (const f of features) z += model.weights[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
}

export interface PlaceExample {
  features: readonly string[];
  place: boolean;
}

/**
 * Logistic regression by AdaGrad with L2, features seen fewer than `minCount` times dropped:
 * deterministic (examples in the order given), so the committed weights can be rebuilt exactly.
 */
export function trainPlaceModel(
  examples: readonly PlaceExample[],
  opts: { epochs?: number; rate?: number; l2?: number; minCount?: number; threshold?: number } = {},
): PlaceModel {
  const { epochs = 30, rate = 0.3, l2 = 1e-3, minCount = 3, threshold = 0.7 } = opts;
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of new Set(e.features)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const kept = (f: string) => (counts.get(f) ?? 0) >= minCount;
  const w = new Map<string, number>();
  const g2 = new Map<string, number>();
  let bias = 0;
  let biasG2 = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const e of examples) {
      const fs = [...new Set(e.features)].filter(kept);
      let z = bias;
      for (const f of fs) z += w.get(f) ?? 0;
      const err = 1 / (1 + Math.exp(-z)) - (e.place ? 1 : 0);
      biasG2 += err * err;
      bias -= (rate * err) / Math.sqrt(biasG2 + 1e-8);
      for (const f of fs) {
        const cur = w.get(f) ?? 0;
        const grad = err + l2 * cur;
        const acc = (g2.get(f) ?? 0) + grad * grad;
        g2.set(f, acc);
        w.set(f, cur - (rate * grad) / Math.sqrt(acc + 1e-8));
      }
    }
  }
  const weights: Record<string, number> = {};
  for (const [f, v] of [...w].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (Math.abs(v) >= 1e-3) weights[f] = Math.round(v * 1e4) / 1e4;
  return { weights, bias: Math.round(bias * 1e4) / 1e4, threshold };
}
