import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { Approval } from '../policy/agreement-types.js';
import { runReleasePipeline } from '../release/release-pipeline.js';
import type { Role } from '../store/hub/user-store.js';
import { readHubSecret } from './data-dir.js';
import type { Hub } from './hub.js';
import { releaseStoresOf } from './release-stores.js';

export const ISIS_K = 'intrusion-set--d118aebe-ee43-58e9-9939-14d533fcb970';
const DAY = 86_400_000;

export const DEMO_USERS: readonly { name: string; role: Role }[] = [
  { name: 'analyst', role: 'analyst' },
  { name: 'officer-1', role: 'release-officer' },
  { name: 'officer-2', role: 'release-officer' },
  { name: 'overseer', role: 'oversight' },
  { name: 'admin', role: 'admin' },
];

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const APPROVAL_WORDS: Readonly<Record<Approval, string>> = {
  none: 'no approval',
  one: "one officer's approval",
  two: "two officers' approval",
};

/** The allied service: the demo's releases at once with no approval; tests may ask for officers. */
export function allyAgreement(nowMs: number, approval: Approval = 'none'): string {
  return `# Demo: a trusted allied service. Everything on the threat up to TLP:AMBER, at once, ${APPROVAL_WORDS[approval]}.
scope:
  types: [attack-pattern, campaign, identity, incident, indicator, intrusion-set, location, malware, note, relationship, report, sighting, threat-actor, tool]
  labels_denied: [sources-and-methods]
tlp_ceiling: amber
approval: ${approval}
sanitisation: standard
valid_from: "${iso(nowMs - DAY)}"
conditions: []
`;
}

/** The Kabul agreement: ISIS-K neighbourhood only, TLP:GREEN, a day late, two officers, while the assurance holds. */
export function kabulAgreement(nowMs: number, assuranceDays = 30): string {
  return `# Demo: the de facto authorities in Kabul, reached through the Doha channel. Intelligence flows
# only on the ISIS-K neighbourhood, at TLP:GREEN at most, a day after we have it, with two
# officers' approval, and only while the human-rights assurance holds.
scope:
  types: [intrusion-set, indicator, relationship, incident, report, location, sighting, attack-pattern]
  labels_denied: [internal, sources-and-methods]
  neighbourhood:
    of: [${ISIS_K}]
    hops: 2
tlp_ceiling: green
embargo: PT24H
approval: two
sanitisation: strict
valid_from: "${iso(nowMs - DAY)}"
valid_until: "${iso(nowMs + 365 * DAY)}"
conditions:
  - kind: assurance
    id: hr-1
    title: "Human-rights assurance: protection of women and girls; treatment of detainees"
    issuer: "Doha channel: written assurance of the de facto authorities (fictional demo data)"
    evidence: [demo-letter-1]
    grade: C3
    valid_from: "${iso(nowMs - DAY)}"
    valid_until: "${iso(nowMs + assuranceDays * DAY)}"
  - kind: review
    days: 90
  - kind: suspension
  - kind: breach
`;
}

export interface DemoSignIn {
  name: string;
  role: Role;
  /** Absent when the user already existed: its password is not known here. */
  password?: string;
}

export interface ConsoleScenario {
  partners: { name: string; token?: string }[];
  users: DemoSignIn[];
  released: number;
  queued: number;
  withheld: number;
}

/**
 * Partners, agreements and users of the demo, then one pipeline run. Idempotent: what exists is
 * kept (its token or password is then not shown again). Passwords and tokens are random.
 */
export async function loadConsoleScenario(
  hub: Hub,
  randomBytes: (n: number) => Uint8Array = nodeRandomBytes,
  actor = 'demo-setup',
): Promise<ConsoleScenario> {
  const now = hub.clock.now();
  const ctx = { actor, now, randomBytes };
  const { partners, agreements, users } = hub.state;
  const out: ConsoleScenario = { partners: [], users: [], released: 0, queued: 0, withheld: 0 };
  for (const spec of [
    {
      name: 'allied-service',
      description: 'Allied service (fictional demo partner)',
      agreement: allyAgreement,
    },
    {
      name: 'kabul-authorities',
      country: 'AF',
      description: 'De facto authorities in Kabul, reached through the Doha channel',
      agreement: (ms: number) => kabulAgreement(ms),
    },
  ]) {
    const existing = await partners.get(spec.name);
    if (existing) {
      out.partners.push({ name: spec.name });
      continue;
    }
    const added = await partners.add(
      { name: spec.name, description: spec.description, ...(spec.country && { country: spec.country }) },
      ctx,
    );
    if (!added.ok) throw new Error(`demo partner ${spec.name}: ${added.message}`);
    const set = await agreements.set(added.partner.id, spec.agreement(now.getTime()), {
      ...ctx,
      reason: 'demo scenario: the first agreement with this partner',
    });
    if (!set.ok)
      throw new Error(`demo agreement ${spec.name}: ${set.errors.map((e) => e.message).join('; ')}`);
    out.partners.push({ name: spec.name, token: added.token });
  }
  for (const u of DEMO_USERS) {
    if (await users.get(u.name)) {
      out.users.push({ name: u.name, role: u.role });
      continue;
    }
    const password = `demo-${Buffer.from(randomBytes(12)).toString('base64url')}`;
    const added = await users.add(u.name, u.role, password, { actor, now });
    if (!added.ok) throw new Error(`demo user ${u.name}: ${added.message}`);
    out.users.push({ ...u, password });
  }
  const report = await runReleasePipeline(releaseStoresOf(hub), {
    now,
    actor,
    hubSecret: readHubSecret(hub.paths.hubSecret),
  });
  await hub.checkpointIfDue();
  out.released = report.totals.released;
  out.queued = report.totals.queued;
  out.withheld = report.totals.withheld;
  return out;
}

export function formatConsoleScenario(s: ConsoleScenario): string {
  const lines = [
    `pipeline: ${s.released} released, ${s.queued} queued for approval, ${s.withheld} withheld`,
    'partner tokens (TAXII: Authorization: Bearer TOKEN):',
    ...s.partners.map(
      (p) =>
        `  ${p.name.padEnd(18)} ${p.token ?? '(exists already; rotate with: tearline partner rotate-token NAME --reason ...)'}`,
    ),
    'console sign-ins (demo passwords):',
    ...s.users.map((u) => `  ${u.name.padEnd(10)} ${u.role.padEnd(16)} ${u.password ?? '(exists already)'}`),
  ];
  return `${lines.join('\n')}\n`;
}
