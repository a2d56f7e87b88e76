import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { importStream } from '../src/ingest/import-stream.js';
import { EVENT_DATE_PROPERTY, incidentDates } from '../src/store/hub/incident-dates.js';
import { describeOnHubEngines } from './hub-engines.js';

// When an incident happened, on both engines: the hub's event-date property first, then the
// earliest sighting of it, then the earliest report citing it, else when the object was made.
const T = '2026-11-01T09:00:00.000Z';
const id = (type: string, n: number) => `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const base = (type: string, n: number) => ({
  type,
  spec_version: '2.1',
  id: id(type, n),
  created: T,
  modified: T,
});
const INC = [1, 2, 3, 4].map((n) => id('incident', n));

const bundle = {
  type: 'bundle',
  id: 'bundle--00000000-0000-4000-8000-000000000000',
  objects: [
    { ...base('incident', 1), name: 'Crocus City Hall attack', [EVENT_DATE_PROPERTY]: '2024-03-22' },
    { ...base('incident', 2), name: 'Kerman bombings' },
    { ...base('incident', 3), name: 'sighted and reported' },
    { ...base('incident', 4), name: 'nothing known' },
    {
      ...base('report', 1),
      name: 'weekly',
      published: '2024-01-05T00:00:00Z',
      object_refs: [INC[0], INC[1], INC[2]],
    },
    { ...base('report', 2), name: 'later', published: '2024-06-01T00:00:00Z', object_refs: [INC[1]] },
    { ...base('sighting', 1), sighting_of_ref: INC[2], first_seen: '2023-12-30T00:00:00Z' },
  ],
};

describeOnHubEngines('incident dates for the timeline', (open) => {
  it('take the event date, else a sighting, else the earliest report, else created', async () => {
    const { hub, close } = await open();
    try {
      const imported = await importStream(Readable.from([JSON.stringify(bundle)]), hub.objects, {
        source: 'test',
        actor: 'analyst',
        maxObjectBytes: hub.config.max_object_bytes,
      });
      expect(imported.rejections).toEqual([]);
      expect(imported.added).toBe(bundle.objects.length);
      const incidents = bundle.objects
        .filter((o) => o.type === 'incident')
        .map((o) => ({ id: o.id, json: o as Record<string, unknown>, created: T }));
      const dates = await incidentDates(hub.sql, incidents);
      expect(Object.fromEntries(dates)).toEqual({
        [INC[0] as string]: '2024-03-22',
        [INC[1] as string]: '2024-01-05T00:00:00Z',
        [INC[2] as string]: '2023-12-30T00:00:00Z',
        [INC[3] as string]: T,
      });
    } finally {
      await close();
    }
  });
});
