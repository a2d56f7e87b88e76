export interface LabelBox {
  key: string;
  /** Centre of the label's box. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Higher first: the centre, then nodes by how many links they have, edge labels last. */
  priority: number;
}

/** Width of a label of `chars` characters at `fontPx`, on the generous side so boxes hold the text. */
export function labelWidth(chars: number, fontPx: number): number {
  return chars * fontPx * 0.62 + 4;
}

const overlaps = (a: LabelBox, b: LabelBox) =>
  Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;

/**
 * Which labels to draw so that none overlaps another: greedily by priority (ties by key, so the
 * same graph always shows the same labels); a label that would cover one already placed is left
 * to its hover title. At hundreds of nodes a drawing of every label is unreadable; this keeps the
 * most connected names legible and every name one pointer away.
 */
export function placeLabels(boxes: readonly LabelBox[]): Set<string> {
  const order = [...boxes].sort(
    (a, b) => b.priority - a.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const placed: LabelBox[] = [];
  // A coarse grid of placed boxes: each new box is checked against its neighbours only.
  const cell = 64;
  const grid = new Map<string, LabelBox[]>();
  const cellsOf = (b: LabelBox) => {
    const out: string[] = [];
    for (let cx = Math.floor((b.x - b.width / 2) / cell); cx <= Math.floor((b.x + b.width / 2) / cell); cx++)
      for (
        let cy = Math.floor((b.y - b.height / 2) / cell);
        cy <= Math.floor((b.y + b.height / 2) / cell);
        cy++
      )
        out.push(`${cx},${cy}`);
    return out;
  };
  const shown = new Set<string>();
  for (const b of order) {
    const cells = cellsOf(b);
    if (cells.some((c) => grid.get(c)?.some((p) => overlaps(p, b)))) continue;
    placed.push(b);
    shown.add(b.key);
    for (const c of cells) {
      const list = grid.get(c) ?? [];
      list.push(b);
      grid.set(c, list);
    }
  }
  return shown;
}
