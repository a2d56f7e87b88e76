import { useEffect, useMemo, useState } from 'react';
import { api, type Graph, type ObjectSummary } from './api.js';
import { layoutForce } from './graph-force.js';
import { labelWidth, placeLabels } from './graph-labels.js';
import { objectHref } from './route.js';

const NODE_FONT = 11;
const EDGE_FONT = 9;
const MAX_LABEL = 40;

const short = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);

/** A label's centre, moved inwards so the whole label stays inside the drawing. */
const labelX = (x: number, width: number, size: number) =>
  Math.min(Math.max(x, width / 2 + 2), size - width / 2 - 2);

/**
 * The relationship graph around one object. Click (or Enter) on a node to expand it with its
 * own neighbours; the link beside each node in the list opens the object page.
 */
export function GraphView({ graph, centre }: { graph: Graph; centre: string }) {
  const [nodes, setNodes] = useState(new Map<string, ObjectSummary>());
  const [edges, setEdges] = useState<Graph['edges']>([]);
  const [expanded, setExpanded] = useState(new Set<string>());
  const [selected, setSelected] = useState(centre);
  const [hiddenTypes, setHiddenTypes] = useState(new Set<string>());

  useEffect(() => {
    setNodes(new Map(graph.nodes.map((n) => [n.id, n])));
    setEdges(graph.edges);
    setExpanded(new Set([centre]));
    setSelected(centre);
  }, [graph, centre]);

  const expand = async (id: string) => {
    setSelected(id);
    if (expanded.has(id)) return;
    const more = await api<Graph>(`/api/graph?id=${encodeURIComponent(id)}`);
    setNodes((old) => {
      const next = new Map(old);
      for (const n of more.nodes) next.set(n.id, n);
      return next;
    });
    setEdges((old) => {
      const seen = new Set(old.map((e) => `${e.source}|${e.target}|${e.label}`));
      return [...old, ...more.edges.filter((e) => !seen.has(`${e.source}|${e.target}|${e.label}`))];
    });
    setExpanded((old) => new Set(old).add(id));
  };

  const allIds = useMemo(() => [...nodes.keys()], [nodes]);
  // Hidden types leave the drawing (never the centre), and so do the links to them.
  const ids = useMemo(
    () => allIds.filter((id) => id === centre || !hiddenTypes.has(nodes.get(id)?.type ?? '')),
    [allIds, nodes, hiddenTypes, centre],
  );
  const shownEdges = useMemo(() => {
    const on = new Set(ids);
    return edges.filter((e) => on.has(e.source) && on.has(e.target));
  }, [ids, edges]);
  // Room grows with the graph so hundreds of nodes do not sit on each other.
  const size = Math.round(Math.min(800, Math.max(640, 60 * Math.sqrt(ids.length))));
  const pos = useMemo(() => layoutForce(ids, shownEdges, centre, size), [ids, shownEdges, centre, size]);
  const labelled = useMemo(() => {
    const degree = new Map<string, number>();
    for (const e of shownEdges) {
      degree.set(e.source, (degree.get(e.source) ?? 0) + 1);
      degree.set(e.target, (degree.get(e.target) ?? 0) + 1);
    }
    const boxes = [];
    for (const id of ids) {
      const p = pos.get(id);
      const n = nodes.get(id);
      if (!p || !n) continue;
      // Each node's circle is kept clear too, so no label covers another node.
      boxes.push({ key: `c:${id}`, x: p.x, y: p.y, width: 18, height: 18, priority: 3e6 });
      const text = short(n.name);
      boxes.push({
        key: `n:${id}`,
        x: labelX(p.x, labelWidth(text.length, NODE_FONT), size),
        y: p.y - 18,
        width: labelWidth(text.length, NODE_FONT),
        height: NODE_FONT + 4,
        priority: id === centre ? 2e6 : id === selected ? 1e6 : 1000 + (degree.get(id) ?? 0),
      });
    }
    for (const e of shownEdges) {
      const a = pos.get(e.source);
      const b = pos.get(e.target);
      if (!a || !b) continue;
      boxes.push({
        key: `e:${e.source}|${e.target}|${e.label}`,
        x: (a.x + b.x) / 2,
        y: (a.y + b.y) / 2 - 3,
        width: labelWidth(e.label.length, EDGE_FONT),
        height: EDGE_FONT + 3,
        priority: 0,
      });
    }
    return placeLabels(boxes);
  }, [ids, shownEdges, pos, nodes, centre, selected, size]);
  const chosen = nodes.get(selected);
  const types = [...new Set(allIds.map((id) => nodes.get(id)?.type ?? ''))].filter(Boolean).sort();

  return (
    <div className="graph" data-testid="graph">
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG drawing of focusable nodes, not a form fieldset */}
      <svg
        viewBox={`0 0 ${size} ${size}`}
        role="group"
        aria-label={`Relationship graph: ${ids.length} objects, ${shownEdges.length} links`}
      >
        {shownEdges.map((e) => {
          const a = pos.get(e.source);
          const b = pos.get(e.target);
          if (!a || !b) return null;
          return (
            <g key={`${e.source}|${e.target}|${e.label}`} className="edge">
              <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
              {labelled.has(`e:${e.source}|${e.target}|${e.label}`) && (
                <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2} className="edge-label">
                  {e.label}
                </text>
              )}
            </g>
          );
        })}
        {ids.map((id) => {
          const p = pos.get(id);
          const n = nodes.get(id);
          if (!p || !n) return null;
          return (
            // biome-ignore lint/a11y/useSemanticElements: an SVG node cannot be a <button>
            <g
              key={id}
              className={`node node-${n.type}${id === selected ? ' selected' : ''}${expanded.has(id) ? ' expanded' : ''}`}
              transform={`translate(${p.x},${p.y})`}
              role="button"
              tabIndex={0}
              aria-label={`${n.type} ${n.name}${expanded.has(id) ? '' : ', press Enter to expand'}`}
              onClick={() => void expand(id)}
              onKeyDown={(ev) => {
                if (ev.key === 'Enter' || ev.key === ' ') {
                  ev.preventDefault();
                  void expand(id);
                }
              }}
            >
              <title>{`${n.type}: ${n.name}`}</title>
              <circle r={id === centre ? 12 : 8} />
              <text
                x={labelX(p.x, labelWidth(short(n.name).length, NODE_FONT), size) - p.x}
                y={-14}
                textAnchor="middle"
                className={labelled.has(`n:${id}`) ? 'node-label' : 'node-label label-hidden'}
              >
                {short(n.name)}
              </text>
            </g>
          );
        })}
      </svg>
      <fieldset className="legend" data-testid="graph-legend">
        <legend>Node colours by type (untick to hide a type)</legend>
        {types.map((type) => (
          <label key={type}>
            <input
              type="checkbox"
              checked={!hiddenTypes.has(type)}
              onChange={(ev) =>
                setHiddenTypes((old) => {
                  const next = new Set(old);
                  if (ev.target.checked) next.delete(type);
                  else next.add(type);
                  return next;
                })
              }
            />
            <svg width="14" height="14" aria-hidden="true" className={`node node-${type}`}>
              <circle cx="7" cy="7" r="5" />
            </svg>{' '}
            {type} ({allIds.filter((id) => nodes.get(id)?.type === type).length})
          </label>
        ))}
      </fieldset>
      {chosen && (
        <p className="graph-selected">
          Selected: {chosen.type} <a href={objectHref(chosen.id)}>{chosen.name}</a>
        </p>
      )}
    </div>
  );
}
