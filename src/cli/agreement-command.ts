import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { diffAgreements, formatAgreementChanges } from '../policy/agreement-diff.js';
import {
  AGREEMENT_MAX_BYTES,
  decodeAgreementFile,
  formatAgreementErrors,
  parseAgreementFile,
} from '../policy/agreement-parse.js';
import { type Agreement, type SubmitterConsent, submitterConsentOf } from '../policy/agreement-types.js';
import { formatPolicySetText, generateAgreementPolicies } from '../policy/cedar-policy-generate.js';
import type { JsonValue } from '../stix/types.js';
import type { AgreementStore, AgreementVersion } from '../store/hub/agreement-store.js';
import type { SqlQueries } from '../store/sql/sql-database.js';
import { DATA_OPTION, type DataOption, requireReason } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { READ_ONLY, requirePartner, withHubState } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';

/** The file's bytes: decoded by the agreement parser, which refuses what is not UTF-8 and says where. */
function readAgreementFile(file: string): Buffer {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile())
      throw new CliError(`${file}: not a file; give the path of an agreement file (YAML or JSON)`);
    size = st.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${file}: cannot read the file (does it exist?)`);
  }
  if (size > AGREEMENT_MAX_BYTES) {
    throw new CliError(
      `${file}: ${size} bytes is larger than the ${AGREEMENT_MAX_BYTES}-byte limit for agreements`,
    );
  }
  return readFileSync(file);
}

function parseVersion(value: string, what: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value))
    throw usageError(`${what} "${value}" must be a version number such as 1`);
  return Number(value);
}

async function requireVersion(store: AgreementStore, partnerId: string, name: string, version?: number) {
  const v = version === undefined ? await store.latest(partnerId) : await store.get(partnerId, version);
  if (!v) {
    const known = (await store.list(partnerId)).map((x) => x.version);
    throw new CliError(
      version === undefined
        ? `partner ${name} has no agreement yet (set one with: tearline agreement set ${name} FILE)`
        : `partner ${name} has no agreement version ${version} (versions: ${known.join(', ') || 'none'})`,
    );
  }
  return v;
}

/** Anchors of the neighbourhood and location filter that are not stored (yet): nothing is near them. */
async function listMissingAnchors(sql: SqlQueries, body: Agreement | undefined): Promise<string[]> {
  if (!body) return [];
  const anchors = [
    ...(body.scope.neighbourhood?.of ?? []).map((id, i) => [`scope.neighbourhood.of[${i}]`, id] as const),
    ...(body.scope.locations ?? []).map((id, i) => [`scope.locations[${i}]`, id] as const),
  ];
  const missing: (typeof anchors)[number][] = [];
  for (const anchor of anchors) {
    const found = await sql.get('SELECT 1 AS one FROM objects WHERE id = ? AND is_latest', [anchor[1]]);
    if (!found) missing.push(anchor);
  }
  return missing.map(
    ([path, id]) => `${path} ${id} is not in the store yet: until it is, nothing is within its reach`,
  );
}

const summary = (v: AgreementVersion) => ({
  version: v.version,
  set_at: v.set_at,
  actor: v.actor,
  format: v.format,
});

export function registerAgreement(program: Command): void {
  // `agreement show --version N` must reach the subcommand rather than the program's own
  // --version flag: program options are then only read before the subcommand name.
  program.enablePositionalOptions();
  const agreement = program
    .command('agreement')
    .description("partners' agreements: versioned, validated, explained");

  agreement
    .command('check <file>')
    .description('validate an agreement file (YAML or JSON) without storing it')
    .option('--json', 'print {ok, errors} as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const r = parseAgreementFile(readAgreementFile(file));
      if (opts.json) printJson(r.ok ? { ok: true, agreement: r.agreement } : { ok: false, errors: r.errors });
      else if (r.ok) process.stdout.write(`${file}: valid\n`);
      else process.stderr.write(`${formatAgreementErrors(file, r.errors)}\n`);
      if (!r.ok) process.exitCode = 1;
    });

  agreement
    .command('set <partner> <file>')
    .description("store a new version of the partner's agreement (every version is kept)")
    .requiredOption('--reason <text>', "why (kept with the version, in the partner's history and the ledger)")
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action((nameOrId: string, file: string, opts: DataOption & { json?: boolean; reason: string }) =>
      withHubState(opts, 'agreement.set', async (state, actor) => {
        const reason = requireReason(opts.reason, 'change the agreement');
        const p = await requirePartner(state, nameOrId);
        const decoded = decodeAgreementFile(readAgreementFile(file));
        const r = decoded.ok
          ? await state.agreements.set(p.id, decoded.text, { actor: actor.name, now: new Date(), reason })
          : decoded;
        if (!r.ok) {
          if (opts.json) printJson({ ok: false, errors: r.errors });
          else process.stderr.write(`${formatAgreementErrors(file, r.errors)}\n`);
          process.exitCode = 1;
          return;
        }
        const warnings = await listMissingAnchors(
          state.sql,
          (await state.agreements.get(p.id, r.version))?.body,
        );
        for (const w of warnings) process.stderr.write(`tearline: warning: ${w}\n`);
        if (opts.json) {
          printJson({ ok: true, partner: p.name, version: r.version, unchanged: r.unchanged, warnings });
        } else {
          process.stdout.write(
            r.unchanged
              ? `agreement for ${p.name} unchanged (still version ${r.version})\n`
              : `agreement for ${p.name} is now version ${r.version}\n`,
          );
        }
      }),
    );

  agreement
    .command('show <partner>')
    .description('show an agreement version as written (default: the latest)')
    .option('--version <n>', 'the version to show')
    .option('--policies', 'show the Cedar policies generated from it instead')
    .option(...DATA_OPTION)
    .option('--json', 'print the normalised agreement as JSON')
    .action((nameOrId: string, opts: DataOption & { version?: string; policies?: boolean; json?: boolean }) =>
      withHubState(
        opts,
        'read',
        async (state) => {
          const p = await requirePartner(state, nameOrId);
          const n = opts.version === undefined ? undefined : parseVersion(opts.version, '--version');
          const v = await requireVersion(state.agreements, p.id, p.name, n);
          const policies = generateAgreementPolicies(p.id, v.body);
          if (opts.json) {
            return printJson({
              partner: p.name,
              ...summary(v),
              submitter_consent: submitterConsentOf(v.body),
              agreement: v.body,
              ...(opts.policies && { policies: policies.policies }),
            });
          }
          if (opts.policies) return void process.stdout.write(`${formatPolicySetText(policies)}\n`);
          process.stdout.write(
            `# ${p.name} agreement version ${v.version}, set ${v.set_at} by ${v.actor}${v.reason ? `: ${v.reason.replace(/\s+/g, ' ')}` : ''}\n# ${describeConsent(submitterConsentOf(v.body))}\n${v.raw_text}`,
          );
          if (!v.raw_text.endsWith('\n')) process.stdout.write('\n');
        },
        READ_ONLY,
      ),
    );

  agreement
    .command('diff <partner> <a> <b>')
    .description('what changed between two agreement versions')
    .option(...DATA_OPTION)
    .option('--json', 'print the changes as JSON')
    .action((nameOrId: string, a: string, b: string, opts: DataOption & { json?: boolean }) =>
      withHubState(
        opts,
        'read',
        async (state) => {
          const p = await requirePartner(state, nameOrId);
          const va = await requireVersion(state.agreements, p.id, p.name, parseVersion(a, 'version A'));
          const vb = await requireVersion(state.agreements, p.id, p.name, parseVersion(b, 'version B'));
          const changes = diffAgreements(va.body as unknown as JsonValue, vb.body as unknown as JsonValue);
          if (opts.json) printJson({ partner: p.name, from: va.version, to: vb.version, changes });
          else process.stdout.write(`${formatAgreementChanges(changes)}\n`);
        },
        READ_ONLY,
      ),
    );
}

/** The consent in words, for the header of `agreement show`. */
function describeConsent(consent: SubmitterConsent): string {
  switch (consent) {
    case 'none':
      return "submitter consent: none (what the hub promotes from this partner's submissions goes to no other partner)";
    case 'hub-only':
      return 'submitter consent: hub-only (promoted submissions go to other partners naming the hub, never this partner)';
    case 'named':
      return 'submitter consent: named (promoted submissions go to other partners and may name this partner)';
  }
}
