import type { ImportMarking } from '../stix/markings-import.js';
import type {
  CollectionInfo,
  CollectionKind,
  FeedPage,
  FeedQuery,
  Principal,
  TaxiiCollection,
} from './taxii-ports.js';
import {
  type IntelWriter,
  type SubmissionPorts,
  submitIntelEnvelope,
  submitPartnerObject,
} from './taxii-submissions.js';

/** The feeds the collections read; adapters over the store (release-feed*.ts, sql-submissions.ts). */
export interface CollectionPorts {
  releases: { page(partnerId: string, q: FeedQuery, now: Date): Promise<FeedPage> };
  submissions: { page(partnerId: string, q: FeedQuery): Promise<FeedPage> };
  intel: { page(q: FeedQuery): Promise<FeedPage> };
  intelWriter: IntelWriter;
  /** The marking an analyst's pushes get by default (`tearline marking set --user`), if any. */
  intelMarking?: (user: string) => Promise<ImportMarking | undefined>;
  submit: SubmissionPorts;
  now(): Date;
}

// Fixed ids: every partner's view of `releases` has the same id, so ids reveal nothing either.
export const RELEASES_COLLECTION_ID = '6f1a5a7e-1f57-4c1e-9a0e-7b3c52a1e001';
export const SUBMISSIONS_COLLECTION_ID = '6f1a5a7e-1f57-4c1e-9a0e-7b3c52a1e002';
export const INTEL_COLLECTION_ID = '6f1a5a7e-1f57-4c1e-9a0e-7b3c52a1e003';

function withIds(q: FeedQuery, id: string): FeedQuery {
  return { ...q, ids: [id] };
}

function view(
  kind: Omit<CollectionKind, 'open'>,
  access: { canRead: boolean; canWrite: boolean },
  page: (q: FeedQuery) => Promise<FeedPage>,
  add?: TaxiiCollection['add'],
  discloses = false,
): TaxiiCollection {
  const info: CollectionInfo = {
    id: kind.id,
    alias: kind.alias,
    title: kind.title,
    description: kind.description,
    ...access,
  };
  return {
    info,
    page,
    objectPage: (id, q) => page(withIds(q, id)),
    ...(add && { add }),
    ...(discloses && { discloses }),
  };
}

/** Every collection the hub offers, each saying who gets it and what they see. */
export function createCollectionKinds(ports: CollectionPorts): CollectionKind[] {
  const releases = {
    id: RELEASES_COLLECTION_ID,
    alias: 'releases',
    title: 'Releases',
    description:
      'Intelligence the hub has released to you (sanitised copies; a recall is a revoked version).',
  };
  const submissions = {
    id: SUBMISSIONS_COLLECTION_ID,
    alias: 'submissions',
    title: 'Submissions',
    description: 'Send sightings, notes, opinions and other intelligence to the hub; read back your own.',
  };
  const intel = {
    id: INTEL_COLLECTION_ID,
    alias: 'intel',
    title: 'Intel',
    description: "The hub's intelligence store (analysts only).",
  };
  return [
    {
      ...releases,
      open: (p: Principal) =>
        p.kind === 'partner'
          ? view(
              releases,
              { canRead: true, canWrite: false },
              (q) => ports.releases.page(p.partnerId, q, ports.now()),
              undefined,
              true,
            )
          : undefined,
    },
    {
      ...submissions,
      open: (p: Principal) =>
        p.kind === 'partner'
          ? view(
              submissions,
              { canRead: true, canWrite: true },
              (q) => ports.submissions.page(p.partnerId, q),
              async (objects, statusId) => {
                // One after another: each object's transaction commits before the next is checked.
                const outcomes = [];
                for (const o of objects) {
                  const who = { partnerId: p.partnerId, name: p.name };
                  outcomes.push(await submitPartnerObject(ports.submit, who, o, statusId));
                }
                return outcomes;
              },
            )
          : undefined,
    },
    {
      ...intel,
      open: (p: Principal) =>
        p.kind === 'user' && p.role === 'analyst'
          ? view(
              intel,
              { canRead: true, canWrite: true },
              (q) => ports.intel.page(q),
              async (objects) =>
                submitIntelEnvelope(ports.intelWriter, p.user, objects, await ports.intelMarking?.(p.user)),
            )
          : undefined,
    },
  ];
}
