import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every command the binary offers, in help order: the names each file registers (a test holds
 * these to what the register functions do) and how to load it. A run loads only the file of the
 * command it names: an import does not load the HTTP server, the policy engine or the
 * PostgreSQL driver into its main thread (about 40 MB of its peak RSS).
 */
export const COMMANDS: ReadonlyArray<{ names: readonly string[]; load: () => Promise<Register> }> = [
  { names: ['init'], load: async () => (await import('./init-command.js')).registerInit },
  {
    names: ['login', 'logout', 'whoami'],
    load: async () => (await import('./login-command.js')).registerLogin,
  },
  { names: ['validate'], load: async () => (await import('./validate-command.js')).registerValidate },
  { names: ['import'], load: async () => (await import('./import-command.js')).registerImport },
  { names: ['marking'], load: async () => (await import('./marking-command.js')).registerMarking },
  { names: ['export'], load: async () => (await import('./export-command.js')).registerExport },
  { names: ['stats'], load: async () => (await import('./stats-command.js')).registerStats },
  { names: ['partner'], load: async () => (await import('./partner-command.js')).registerPartner },
  { names: ['agreement'], load: async () => (await import('./agreement-command.js')).registerAgreement },
  { names: ['condition'], load: async () => (await import('./condition-command.js')).registerCondition },
  { names: ['breach'], load: async () => (await import('./breach-command.js')).registerBreach },
  { names: ['explain'], load: async () => (await import('./explain-command.js')).registerExplain },
  { names: ['decide'], load: async () => (await import('./decide-command.js')).registerDecide },
  { names: ['user'], load: async () => (await import('./user-command.js')).registerUser },
  { names: ['ledger'], load: async () => (await import('./ledger-command.js')).registerLedger },
  {
    names: ['release', 'queue', 'recall', 'recalls'],
    load: async () => (await import('./release-command.js')).registerRelease,
  },
  {
    names: ['submissions'],
    load: async () => (await import('./submissions-command.js')).registerSubmissions,
  },
  {
    names: ['ingest-article'],
    load: async () => (await import('./ingest-article-command.js')).registerIngestArticle,
  },
  { names: ['drafts'], load: async () => (await import('./drafts-command.js')).registerDrafts },
  { names: ['report'], load: async () => (await import('./report-command.js')).registerReport },
  { names: ['demo'], load: async () => (await import('./demo-command.js')).registerDemo },
  { names: ['preview'], load: async () => (await import('./preview-command.js')).registerPreview },
  { names: ['serve'], load: async () => (await import('./serve-command.js')).registerServe },
  { names: ['taxii'], load: async () => (await import('./taxii-command.js')).registerTaxii },
  { names: ['migrate'], load: async () => (await import('./migrate-command.js')).registerMigrate },
  { names: ['relay'], load: async () => (await import('./relay-command.js')).registerRelay },
  { names: ['witness'], load: async () => (await import('./witness-command.js')).registerWitness },
];

/**
 * The register functions a command line needs: the one for the command it names, or all of
 * them (help, a version request, an unknown command: commander lists or suggests them all).
 */
export async function commandsFor(argv: readonly string[]): Promise<Register[]> {
  const name = argv.find((a) => !a.startsWith('-'));
  const entry = COMMANDS.find((c) => name !== undefined && c.names.includes(name));
  return Promise.all((entry ? [entry] : COMMANDS).map((c) => c.load()));
}
