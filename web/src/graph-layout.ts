export interface Point {
  x: number;
  y: number;
}

/** Where a layout puts each node of a graph drawn around `centre`, fitted into a square of `size` with `margin` for labels. */
export type GraphLayout = (
  ids: readonly string[],
  edges: readonly { source: string; target: string }[],
  centre: string,
  size: number,
  margin?: number,
) => Map<string, Point>;

/** The edges a layout draws: between two distinct nodes it holds (a self-loop or a dangling end is not). */
export function linksAmong(
  known: ReadonlySet<string>,
  edges: readonly { source: string; target: string }[],
): { source: string; target: string }[] {
  return edges
    .filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target)
    .map((e) => ({ source: e.source, target: e.target }));
}

/**
 * A radial layout: the centre in the middle, every other node on the ring of its hop distance,
 * each ring ordered by the angle of the node's parent so branches stay together. Nodes not
 * connected to the centre go on an outer ring. Deterministic: the same graph, the same drawing.
 */
export const layoutRadial: GraphLayout = (ids, edges, centre, size, margin = 60) => {
  const mid = size / 2;
  const known = new Set(ids);
  const adjacent = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of linksAmong(known, edges)) {
    adjacent.get(e.source)?.push(e.target);
    adjacent.get(e.target)?.push(e.source);
  }
  const depth = new Map<string, number>();
  const parent = new Map<string, string>();
  const rings: string[][] = [];
  if (known.has(centre)) {
    depth.set(centre, 0);
    let frontier = [centre];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const n of [...(adjacent.get(id) ?? [])].sort()) {
          if (depth.has(n)) continue;
          depth.set(n, (depth.get(id) ?? 0) + 1);
          parent.set(n, id);
          next.push(n);
        }
      }
      if (next.length > 0) rings.push(next);
      frontier = next;
    }
  }
  const loose = ids.filter((id) => !depth.has(id)).sort();
  if (loose.length > 0) rings.push(loose);
  const pos = new Map<string, Point>();
  if (known.has(centre)) pos.set(centre, { x: mid, y: mid });
  const angle = new Map<string, number>([[centre, 0]]);
  // Inner rings get more than an even share of the radius (square root): they hold the most
  // nodes around the shortest circumference.
  const radius = (i: number) => (mid - margin) * Math.sqrt((i + 1) / Math.max(1, rings.length));
  rings.forEach((ring, i) => {
    const ordered = [...ring].sort(
      (a, b) =>
        (angle.get(parent.get(a) ?? '') ?? 0) - (angle.get(parent.get(b) ?? '') ?? 0) || a.localeCompare(b),
    );
    const r = radius(i);
    // Offset odd rings by half a slot so labels of neighbouring rings do not line up.
    const offset = i % 2 === 0 ? -Math.PI / 2 : -Math.PI / 2 + Math.PI / Math.max(1, ordered.length);
    ordered.forEach((id, k) => {
      const a = offset + (2 * Math.PI * k) / ordered.length;
      angle.set(id, a);
      pos.set(id, { x: mid + r * Math.cos(a), y: mid + r * Math.sin(a) });
    });
  });
  return pos;
};
