import { useState } from 'react';
import { api, type Me } from './api.js';
import { useLive } from './live.js';
import { ActionForm, post } from './manage-forms.js';
import { Pager } from './pager.js';
import { BulkConfirm, type BulkSelection } from './queue-bulk-confirm.js';
import { QueueItemCard, type QueueListItem } from './queue-item-card.js';
import { useLoad } from './use-load.js';

interface QueuePageData {
  total: number;
  page: number;
  pages: number;
  partners: string[];
  types: string[];
  labels: string[];
  groups: { key: string; title: string; kind: 'report' | 'object'; total: number }[];
  items: QueueListItem[];
}

const SORTS = [
  ['group', 'grouping'],
  ['age', 'waiting longest'],
  ['title', 'title'],
  ['type', 'type'],
  ['modified', 'modified'],
] as const;
const PAGE_SIZE = 50;

/** The ids of every item of one group under the filters, across pages. */
async function idsOfGroup(base: URLSearchParams, group: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const q = new URLSearchParams(base);
    q.set('group', group);
    q.set('size', '200');
    q.set('page', String(page));
    const r = await api<QueuePageData>(`/api/queue?${q}`);
    ids.push(...r.items.map((i) => i.id));
    if (page >= r.pages) return ids;
  }
}

export function QueuePage({ me }: { me: Me }) {
  const live = useLive();
  const [partner, setPartner] = useState('');
  const [type, setType] = useState('');
  const [label, setLabel] = useState('');
  const [sort, setSort] = useState('group');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirm, setConfirm] = useState<BulkSelection | undefined>();
  const [done, setDone] = useState('');
  const filters = new URLSearchParams();
  if (partner) filters.set('partner', partner);
  if (type) filters.set('type', type);
  if (label) filters.set('label', label);
  const query = new URLSearchParams(filters);
  query.set('sort', sort);
  query.set('page', String(page));
  query.set('size', String(PAGE_SIZE));
  const [data, reload] = useLoad<QueuePageData>(`/api/queue?${query}`, [live.queue]);
  const canDecide = me.permissions.includes('queue.decide');
  const selectable = canDecide && partner !== '';
  // A change of filter starts again at page 1 with nothing selected.
  const refilter = (set: (v: string) => void) => (v: string) => {
    set(v);
    setPage(1);
    setSelected(new Set());
  };
  const toggle = (ids: readonly string[], on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const finish = (msg?: string) => {
    setConfirm(undefined);
    if (msg) {
      setDone(msg);
      setSelected(new Set());
      reload();
    }
  };
  if (data.state === 'loading') return <p>Loading…</p>;
  if (data.state === 'error') return <p className="error">{data.message}</p>;
  const d = data.data;
  return (
    <>
      <h1>Release queue</h1>
      {me.permissions.includes('release.run') && (
        <ActionForm
          label="Run the release pipeline now"
          onSubmit={async () => {
            const r = await post<{ released: number; queued: number; withheld: number }>(
              '/api/release/run',
              {},
            );
            reload();
            return `pipeline: ${r.released} released, ${r.queued} queued, ${r.withheld} withheld`;
          }}
        />
      )}
      <p role="status" className="done">
        {done}
      </p>
      <div className="search">
        <label>
          Partner
          <select value={partner} onChange={(e) => refilter(setPartner)(e.target.value)}>
            <option value="">all</option>
            {d.partners.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => refilter(setType)(e.target.value)}>
            <option value="">any</option>
            {d.types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Label
          <select value={label} onChange={(e) => refilter(setLabel)(e.target.value)}>
            <option value="">any</option>
            {d.labels.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <label>
          Sort by
          <select value={sort} onChange={(e) => refilter(setSort)(e.target.value)}>
            {SORTS.map(([v, name]) => (
              <option key={v} value={v}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {canDecide && !partner && d.total > 0 && (
        <p>Choose a partner to select items and decide them in bulk.</p>
      )}
      {selectable && d.total > 0 && (
        <div className="bulk-bar" data-testid="bulk-bar">
          <span>{selected.size} selected</span>{' '}
          <button
            type="button"
            disabled={selected.size === 0}
            onClick={() => setConfirm({ partner, ids: [...selected] })}
          >
            Review the {selected.size} selected
          </button>{' '}
          <button
            type="button"
            onClick={() =>
              setConfirm({
                partner,
                ...(type && { types: [type] }),
                ...(label && { labels: [label] }),
              })
            }
          >
            Review all {d.total} matching
          </button>
        </div>
      )}
      {confirm && <BulkConfirm selection={confirm} canDecide={canDecide} onClose={finish} />}
      {d.total === 0 && <p>Nothing waits for approval.</p>}
      {d.total > 0 && <Pager page={d.page} pages={d.pages} total={d.total} onPage={setPage} />}
      {d.groups.map((g) => {
        const items = d.items.filter((i) => i.group === g.key);
        const all = items.length > 0 && items.every((i) => selected.has(i.id));
        return (
          <section key={g.key} className="queue-group" data-group={g.key} aria-labelledby={`g-${g.key}`}>
            <h2 id={`g-${g.key}`}>
              {selectable && (
                <input
                  type="checkbox"
                  aria-label={`Select all ${g.total} in ${g.title}`}
                  checked={all}
                  onChange={(e) => {
                    const on = e.target.checked;
                    // This page's items at once; the group's items on other pages as they arrive.
                    toggle(
                      items.map((i) => i.id),
                      on,
                    );
                    if (on && g.total > items.length)
                      void idsOfGroup(filters, g.key).then(
                        (ids) => toggle(ids, true),
                        (err: Error) => setDone(err.message),
                      );
                  }}
                />
              )}{' '}
              {g.kind === 'report' ? 'Report' : 'Around'} {g.title}{' '}
              <span className="count">
                ({g.total} item{g.total === 1 ? '' : 's'})
              </span>
            </h2>
            {items.map((i) => (
              <QueueItemCard
                key={i.id}
                item={i}
                canDecide={canDecide}
                selectable={selectable}
                selected={selected.has(i.id)}
                onSelect={(on) => toggle([i.id], on)}
                onDone={(msg) => {
                  setDone(msg);
                  reload();
                }}
              />
            ))}
          </section>
        );
      })}
    </>
  );
}
