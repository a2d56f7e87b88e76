/**
 * Who may do what: the one table the CLI and the HTTP API both enforce. Every command and every
 * route names one action; a role not listed for it is refused before anything is read or changed.
 * Analysts import, propose and review partners' submissions; release officers approve, deny and recall; admins manage partners,
 * agreements, conditions and users; oversight reads everything and changes nothing.
 */
export const ROLES = ['analyst', 'release-officer', 'oversight', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

const ALL: readonly Role[] = ROLES;

export const ACTIONS = {
  /** Intel, partners, agreements, conditions, the queue, releases, reports, receipts. */
  read: { roles: ALL, what: 'read the hub' },
  /** Ledger entries, consistency proofs, exports and the full audit. */
  'ledger.audit': { roles: ['oversight', 'admin'], what: 'audit the ledger' },
  'ledger.checkpoint': { roles: ['admin'], what: 'sign ledger checkpoints' },
  'intel.import': { roles: ['analyst'], what: 'import intel' },
  /**
   * Markings given at import by default (an analyst's TAXII pushes, a pulled source): analysts,
   * who import and know where intel comes from, and admins, who set sources up. A default only
   * ever adds a marking an object lacks, never lowers one, and each change is recorded.
   */
  'marking.manage': { roles: ['analyst', 'admin'], what: 'set or clear default import markings' },
  /** Partner input becomes intel (or is turned away) only by an analyst's review. */
  'submission.review': { roles: ['analyst'], what: "promote or reject partners' submissions" },
  /** Articles become drafts, and drafts intel, only by an analyst (who then counts as importer). */
  'draft.write': { roles: ['analyst'], what: 'draft intel from articles, edit, confirm or reject drafts' },
  'release.run': { roles: ['analyst', 'release-officer', 'admin'], what: 'run the release pipeline' },
  'queue.decide': { roles: ['release-officer'], what: 'approve or deny releases' },
  'release.recall': { roles: ['release-officer'], what: 'recall releases' },
  'partner.manage': { roles: ['admin'], what: 'add, disable or re-key partners' },
  'agreement.set': { roles: ['admin'], what: 'write agreements' },
  'condition.attest': { roles: ['admin'], what: 'attest, review or revoke assurances' },
  'condition.suspend': { roles: ['release-officer', 'admin'], what: 'suspend or resume a partner' },
  'breach.manage': { roles: ['release-officer', 'admin'], what: 'open or close breach reports' },
  /** The overseers' chart: each condition met and lapsed over time, with the items it gated. */
  'condition.history': {
    roles: ['release-officer', 'oversight'],
    what: "read a partner's history of conditions met and lapsed",
  },
  'user.manage': { roles: ['admin'], what: "manage users, other users' keys and lockouts" },
  /** One's own API keys, password and second factor. */
  'self.manage': { roles: ALL, what: 'manage your own keys and password' },
  'hub.demo': { roles: ['admin'], what: 'load the demo scenario' },
} as const satisfies Record<string, { roles: readonly Role[]; what: string }>;

export type Action = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as Action[];

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && Object.hasOwn(ACTIONS, value);
}

export function mayDo(role: Role, action: Action): boolean {
  return (ACTIONS[action].roles as readonly Role[]).includes(role);
}

export function actionsOf(role: Role): Action[] {
  return ACTION_NAMES.filter((a) => mayDo(role, a));
}

/** The refusal every surface gives, naming who was refused and who may. */
export function refusalOf(who: { name: string; role: Role }, action: Action): string {
  const spec = ACTIONS[action];
  return `${who.name} (${who.role}) may not ${spec.what}; that takes: ${spec.roles.join(' or ')}`;
}

/**
 * A credential may be narrower than its user (an API key scoped to oversight reads only): it may
 * do what both its own role and its user's role allow.
 */
export function mayDoScoped(userRole: Role, scope: Role, action: Action): boolean {
  return mayDo(userRole, action) && mayDo(scope, action);
}
