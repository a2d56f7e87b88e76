import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { buildServer } from '../src/app/server.js';
import { importStream } from '../src/ingest/import-stream.js';
import { TLP_MARKINGS } from '../src/stix/markings-tlp.js';
import type { JsonObject } from '../src/stix/types.js';
import { RESERVED_MESSAGE } from '../src/taxii/taxii-submissions.js';
import { buildReleasingIdentity } from '../src/tearline/tearline-identity.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { describeOnHubEngines } from './hub-engines.js';
import { basic, TAXII } from './taxii-fixture.js';

const RED = TLP_MARKINGS.find((m) => m.level === 'red' && m.version === '2.0')?.definition as JsonObject;

async function* chunks(objects: readonly unknown[]): AsyncIterable<string> {
  yield JSON.stringify(objects);
}

describeOnHubEngines(
  'reserved ids: only the hub defines TLP markings, its identity and partner identities',
  (open) => {
    it('an import stores nothing under them: the same content is a duplicate, any other a conflict', async () => {
      const { hub, clock, close } = await open();
      try {
        const added = await hub.state.partners.add(
          { name: 'alpha', description: 'a partner' },
          { actor: 'test', now: clock.now(), randomBytes: (n) => randomBytes(n) },
        );
        if (!added.ok) throw new Error(added.message);
        const partner = added.partner.identity;
        const hubIdentity = buildReleasingIdentity(hub.config.hub_name);
        const ordinary = {
          type: 'identity',
          spec_version: '2.1',
          id: 'identity--5a0a3c0e-1111-4222-8333-444455556666',
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          name: 'A victim organisation',
        };
        const summary = await importStream(
          chunks([
            partner,
            { ...partner, modified: '2027-01-01T00:00:00.000Z', name: 'bravo' },
            { ...hubIdentity, modified: '2027-01-01T00:00:00.000Z', name: 'someone else' },
            RED,
            { ...RED, name: 'TLP:RED', definition_type: 'statement', definition: { statement: 'share it' } },
            ordinary,
          ]),
          hub.objects,
          { source: 'file:reserved.json', actor: 'analyst', maxObjectBytes: 1_000_000 },
        );
        expect(summary).toMatchObject({ read: 6, added: 1, duplicates: 2, conflicts: 3, rejected: 0 });
        const stored = await hub.state.sql.all<{ id: string }>('SELECT id FROM objects');
        expect(stored.map((r) => r.id)).toEqual([ordinary.id]);
      } finally {
        await close();
      }
    });

    it('an analyst pushing one over TAXII is told the id is reserved', async () => {
      const { hub, clock, close } = await open();
      const app = buildServer(hub, { throttle: LENIENT_THROTTLE });
      try {
        const user = await hub.state.users.add('analyst-a', 'analyst', 'a long enough password', {
          actor: 'test',
          now: clock.now(),
        });
        if (!user.ok) throw new Error(user.message);
        const res = await app.inject({
          method: 'POST',
          url: '/taxii2/hub/collections/intel/objects/',
          headers: {
            authorization: basic('analyst-a', 'a long enough password'),
            accept: TAXII,
            'content-type': TAXII,
          },
          payload: JSON.stringify({ objects: [{ ...RED, name: 'TLP:RED but shareable' }] }),
        });
        expect(res.statusCode).toBe(202);
        expect(JSON.parse(res.body).failures).toEqual([
          { id: RED.id, version: RED.created, message: RESERVED_MESSAGE },
        ]);
        expect(await hub.state.sql.all('SELECT id FROM objects')).toEqual([]);
      } finally {
        await app.close();
        await close();
      }
    });
  },
);
