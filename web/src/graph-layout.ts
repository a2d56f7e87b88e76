export interface Point {
  x: number;
  y: number;
}

/**
 * A small force layout: springs along edges, repulsion between all nodes, a pull to the
 * centre. Deterministic (start positions on a circle by index), enough for a few hundred nodes.
 */
export function layoutGraph(
  ids: readonly string[],
  edges: readonly { source: string; target: string }[],
  fixed: ReadonlyMap<string, Point>,
  size: number,
): Map<string, Point> {
  const pos = new Map<string, Point>();
  ids.forEach((id, i) => {
    const known = fixed.get(id);
    const a = (2 * Math.PI * i) / Math.max(1, ids.length);
    pos.set(
      id,
      known
        ? { ...known }
        : { x: size / 2 + (size / 3) * Math.cos(a), y: size / 2 + (size / 3) * Math.sin(a) },
    );
  });
  const ideal = size / Math.max(3, Math.sqrt(ids.length) * 1.6);
  for (let step = 0; step < 250; step++) {
    const force = new Map<string, Point>(ids.map((id) => [id, { x: 0, y: 0 }]));
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = pos.get(ids[i] as string) as Point;
        const b = pos.get(ids[j] as string) as Point;
        const dx = a.x - b.x || 0.01;
        const dy = a.y - b.y || 0.01;
        const d2 = dx * dx + dy * dy;
        const f = (ideal * ideal) / d2;
        const fa = force.get(ids[i] as string) as Point;
        const fb = force.get(ids[j] as string) as Point;
        fa.x += dx * f;
        fa.y += dy * f;
        fb.x -= dx * f;
        fb.y -= dy * f;
      }
    }
    for (const e of edges) {
      const a = pos.get(e.source);
      const b = pos.get(e.target);
      if (!a || !b) continue;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
      const f = (d - ideal) / d / 2;
      const fa = force.get(e.source) as Point;
      const fb = force.get(e.target) as Point;
      fa.x += dx * f;
      fa.y += dy * f;
      fb.x -= dx * f;
      fb.y -= dy * f;
    }
    const cool = 1 - step / 250;
    for (const id of ids) {
      const p = pos.get(id) as Point;
      const f = force.get(id) as Point;
      p.x += Math.max(-20, Math.min(20, f.x + (size / 2 - p.x) * 0.01)) * cool;
      p.y += Math.max(-20, Math.min(20, f.y + (size / 2 - p.y) * 0.01)) * cool;
      p.x = Math.max(30, Math.min(size - 30, p.x));
      p.y = Math.max(20, Math.min(size - 20, p.y));
    }
  }
  return pos;
}
