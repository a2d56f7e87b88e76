import { useEffect, useMemo, useState } from 'react';
import { api, type Graph, type ObjectSummary } from './api.js';
import { layoutRadial } from './graph-layout.js';
import { objectHref } from './route.js';

const SIZE = 640;

/**
 * The relationship graph around one object. Click (or Enter) on a node to expand it with its
 * own neighbours; the link beside each node in the list opens the object page.
 */
export function GraphView({ graph, centre }: { graph: Graph; centre: string }) {
  const [nodes, setNodes] = useState(new Map<string, ObjectSummary>());
  const [edges, setEdges] = useState<Graph['edges']>([]);
  const [expanded, setExpanded] = useState(new Set<string>());
  const [selected, setSelected] = useState(centre);

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

  const ids = useMemo(() => [...nodes.keys()], [nodes]);
  const pos = useMemo(() => layoutRadial(ids, edges, centre, SIZE), [ids, edges, centre]);
  const chosen = nodes.get(selected);

  return (
    <div className="graph" data-testid="graph">
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG drawing of focusable nodes, not a form fieldset */}
      <svg
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        role="group"
        aria-label={`Relationship graph: ${ids.length} objects, ${edges.length} links`}
      >
        {edges.map((e) => {
          const a = pos.get(e.source);
          const b = pos.get(e.target);
          if (!a || !b) return null;
          return (
            <g key={`${e.source}|${e.target}|${e.label}`} className="edge">
              <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
              <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2} className="edge-label">
                {e.label}
              </text>
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
              <text y={-14} textAnchor="middle">
                {n.name.length > 20 ? `${n.name.slice(0, 19)}…` : n.name}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="legend" data-testid="graph-legend" aria-label="Node colours by type">
        {[...new Set(ids.map((id) => nodes.get(id)?.type ?? ''))]
          .filter(Boolean)
          .sort()
          .map((type) => (
            <li key={type}>
              <svg width="14" height="14" aria-hidden="true" className={`node node-${type}`}>
                <circle cx="7" cy="7" r="5" />
              </svg>{' '}
              {type} ({ids.filter((id) => nodes.get(id)?.type === type).length})
            </li>
          ))}
      </ul>
      {chosen && (
        <p className="graph-selected">
          Selected: {chosen.type} <a href={objectHref(chosen.id)}>{chosen.name}</a>
        </p>
      )}
    </div>
  );
}
