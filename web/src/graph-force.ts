import {
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  forceX,
  forceY,
  type SimulationNodeDatum,
} from 'd3-force';
import { type GraphLayout, layoutRadial, linksAmong, type Point } from './graph-layout.js';

interface Node extends SimulationNodeDatum {
  id: string;
}

const TICKS = 300;

/**
 * A force-directed layout (d3-force) started from the radial one, with the centre pinned in the
 * middle: linked objects pull together, all others push apart, and no two nodes sit closer than a
 * label's height. Run to rest before drawing, from a fixed start, so the same graph always gives
 * the same picture. Fitted into the square of `size` with `margin` for labels.
 */
export const layoutForce: GraphLayout = (ids, edges, centre, size, margin = 60) => {
  const start = layoutRadial(ids, edges, centre, size, margin);
  const mid = size / 2;
  const nodes: Node[] = ids.map((id) => {
    const p = start.get(id) ?? { x: mid, y: mid };
    return id === centre ? { id, x: mid, y: mid, fx: mid, fy: mid } : { id, x: p.x, y: p.y };
  });
  const links = linksAmong(new Set(ids), edges);
  // Denser graphs get shorter links and a weaker push, so they still fit the square.
  const spread = Math.max(0.35, Math.min(1, 40 / Math.sqrt(Math.max(1, ids.length))));
  const sim = forceSimulation(nodes)
    .force(
      'link',
      forceLink<Node, { source: string; target: string }>(links)
        .id((n) => n.id)
        .distance(70 * spread),
    )
    .force('charge', forceManyBody<Node>().strength(-160 * spread))
    .force('collide', forceCollide<Node>(12))
    .force('x', forceX<Node>(mid).strength(0.04))
    .force('y', forceY<Node>(mid).strength(0.04))
    .stop();
  for (let i = 0; i < TICKS; i++) sim.tick();
  // Fit into the square, keeping the aspect and the centre in the middle.
  let reach = 1;
  for (const n of nodes) reach = Math.max(reach, Math.abs((n.x ?? mid) - mid), Math.abs((n.y ?? mid) - mid));
  const scale = (mid - margin) / reach;
  const out = new Map<string, Point>();
  for (const n of nodes)
    out.set(n.id, { x: mid + ((n.x ?? mid) - mid) * scale, y: mid + ((n.y ?? mid) - mid) * scale });
  return out;
};
