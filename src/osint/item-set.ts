import type { Evidence, Extraction, ItemData } from './osint-types.js';
import { type Sentence, sentenceAt } from './text-sentences.js';

/** The items one article supports, keyed; each keeps every place in the text that supports it. */
export class ItemSet {
  readonly #items = new Map<string, Extraction>();

  add(key: string, name: string, data: ItemData, evidence: Evidence): Extraction {
    const have = this.#items.get(key);
    if (have) {
      if (!have.evidence.some((e) => e.start === evidence.start && e.end === evidence.end))
        have.evidence.push(evidence);
      have.confidence = Math.max(have.confidence, evidence.confidence);
      return have;
    }
    const item: Extraction = {
      key,
      kind: data.kind,
      name,
      data,
      evidence: [evidence],
      confidence: evidence.confidence,
    };
    this.#items.set(key, item);
    return item;
  }

  /** Files an item under a new key and name (an incident whose place a later sentence corrected); false if that key is taken. */
  rekey(item: Extraction, key: string, name: string): boolean {
    if (key === item.key) return true;
    if (this.#items.has(key) || this.#items.get(item.key) !== item) return false;
    this.#items.delete(item.key);
    item.key = key;
    item.name = name;
    this.#items.set(key, item);
    return true;
  }

  /** Forgets an item (an incident found to retell another). */
  remove(item: Extraction): void {
    if (this.#items.get(item.key) === item) this.#items.delete(item.key);
  }

  get(key: string): Extraction | undefined {
    return this.#items.get(key);
  }

  list(): Extraction[] {
    return [...this.#items.values()];
  }
}

export function evidenceOf(
  sentences: readonly Sentence[],
  start: number,
  end: number,
  rule: string,
  confidence: number,
): Evidence {
  const s = sentenceAt(sentences, start) ?? { start, end };
  return { start, end, sentenceStart: s.start, sentenceEnd: Math.max(s.end, end), rule, confidence };
}
