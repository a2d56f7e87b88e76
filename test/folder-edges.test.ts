import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * Which folder of src/ may import which: the one place the direction of dependencies is written
 * down. Every import of every source file (static, `export ... from`, `import()` and `require`),
 * as TypeScript's own pre-processor reads it, must follow an edge listed here; anything else
 * fails with the file and the import. Test code (*.test.ts, *.contract.ts, *-test-*.ts helpers)
 * is left out: tests compose real parts from every layer on purpose.
 *
 * The layers, bottom up: the pure core (stix; ledger, policy, tearline over it) and small pure
 * libraries (access, relay, osint, clock); the store (ports at its root, hub state stores in
 * portable SQL, the engine adapters); ingest, taxii and the release pipeline over the store;
 * the console API over the pipeline; app composes everything; cli and witness at the top.
 */
const CORE = ['stix', 'ledger', 'policy', 'tearline'] as const;
const LIBRARIES = ['access', 'relay', 'osint', 'clock', 'worker'] as const;
const STORE = ['store', 'store/hub', 'store/sql', 'store/sqlite', 'store/postgres'] as const;

const ALLOWED: Record<string, readonly string[]> = {
  stix: [],
  // The ledger's RFC 8785 canonical JSON is the one in stix.
  ledger: ['stix'],
  policy: ['stix'],
  // The tearline reads releasability and IEP markings as the policy parses them (one parser for
  // the decision and the copy); the policy never imports the tearline.
  tearline: ['stix', 'policy'],
  access: [],
  relay: ['stix', 'ledger'],
  // PDF text is read on a worker thread (found by the worker helper) with a time limit.
  osint: ['stix', 'worker'],
  clock: [],
  worker: [],
  // The ports. The ledger service and the ledger audit reach the engines' ledgers until the
  // doubled ledger stores are one (issue 21 part 3); reserved ids come from tearline's identity.
  // The console's JSON shapes (console-shapes.ts) name a draft's state as osint defines it.
  store: ['clock', 'stix', 'ledger', 'tearline', 'osint', 'store/hub', 'store/sqlite', 'store/postgres'],
  // Written once for both engines: the SQL port only, never an engine adapter.
  'store/hub': ['store', 'store/sql', ...CORE, 'access', 'relay', 'osint'],
  'store/sql': ['store', 'stix', 'ledger'],
  // The SQLite adapter implements the portable feed's resolver and feed table (store/sql).
  'store/sqlite': ['store', 'store/sql', 'clock', 'stix', 'ledger', 'worker'],
  // `tearline migrate` copies a SQLite hub and replays its migrations' DDL on PostgreSQL.
  'store/postgres': ['store', 'store/sql', 'store/sqlite', 'clock', 'stix', 'ledger'],
  ingest: ['store', 'stix', 'worker'],
  taxii: ['store', 'stix'],
  release: ['store', 'store/hub', 'store/sql', ...CORE, 'osint'],
  api: ['store', 'store/hub', 'store/sql', 'release', ...CORE, 'access', 'osint', 'clock'],
  app: [...STORE, 'api', 'taxii', 'ingest', 'release', ...CORE, ...LIBRARIES, 'witness'],
  cli: [...STORE, 'app', 'taxii', 'ingest', 'release', ...CORE, 'access', 'relay', 'osint', 'witness'],
  witness: ['ledger', 'store/sqlite'],
};

/** Packages the pure core may load: computation only, no I/O, no driver, no framework. */
const CORE_PACKAGES: Record<(typeof CORE)[number], readonly string[]> = {
  stix: ['node:crypto', 'iso-3166', 'iso-639-2', 'jsonc-parser', 'language-tags'],
  ledger: ['node:crypto'],
  // node:v8 only raises the stack limit Cedar's WebAssembly needs (cedar-engine.ts).
  policy: ['node:crypto', 'node:v8', '@cedar-policy/cedar-wasm/nodejs', 'yaml'],
  tearline: ['node:crypto'],
};

/** Database drivers load only in their engine's adapter (and where a process opens one). */
const DRIVERS = /^(better-sqlite3|pg|pg-[\w-]+)$/;
const DRIVER_FOLDERS: Record<string, RegExp> = {
  'store/sqlite': /^better-sqlite3$/,
  'store/postgres': /^pg(-[\w-]+)?$/,
  // A hub on PostgreSQL opens its pool here; the witness keeps its own small SQLite file.
  app: /^pg$/,
  witness: /^better-sqlite3$/,
};

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    const test = /\.test\.tsx?$|\.contract\.ts$|-test-[\w-]+\.ts$|\.d\.ts$/.test(e.name);
    return /\.tsx?$/.test(e.name) && !test ? [path] : [];
  });
}

/** The folder a path belongs to: a top folder of src/, a store subfolder, or 'clock'. */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split('/');
  if (parts.length === 1) return (parts[0] ?? '').replace(/\.(ts|js)$/, '');
  if (parts[0] === 'store' && parts.length > 2) return `store/${parts[1]}`;
  return parts[0] ?? '';
}

/** Every offending import of one file's text, as 'file: import (from -> to)'. */
function offendingImports(path: string, text: string): string[] {
  const from = folderOf(path);
  const allowed = ALLOWED[from];
  const where = relative(SRC, path);
  if (!allowed) return [`${where}: folder '${from}' has no entry in ALLOWED`];
  const out: string[] = [];
  for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
    if (spec.startsWith('.')) {
      const to = folderOf(resolve(dirname(path), spec));
      if (to !== from && !allowed.includes(to)) out.push(`${where}: ${spec} (${from} -> ${to})`);
    } else if (DRIVERS.test(spec) && !DRIVER_FOLDERS[from]?.test(spec)) {
      out.push(`${where}: ${spec} (a database driver outside its adapter)`);
    } else if (from in CORE_PACKAGES) {
      const packages = CORE_PACKAGES[from as keyof typeof CORE_PACKAGES];
      if (!packages.includes(spec)) out.push(`${where}: ${spec} (the pure core loads no I/O or driver)`);
    }
  }
  return out;
}

/*
 * The pipeline, the console API and TAXII reach the hub's state through ports (src/store/*-ports.ts
 * and ports.ts), never through a store class: naming one, even as a type, ties the caller to an
 * adapter and to every method it has. Only the composition root (app) and the CLI build them.
 */
const PORT_CALLERS = ['release', 'api', 'taxii'] as const;

/**
 * Store classes still named by these callers, file by file, until each has its port (issue 21).
 * Empty: every caller is ported. The check fails when an entry is no longer needed, so the list
 * only shrinks.
 */
const NOT_YET_PORTED: Record<string, readonly string[]> = {};

/*
 * Nor do they call a function of store/hub with a SQL handle: what they read and write goes
 * through a port the hub builds once (read-ports.ts, release-ports.ts, ...). From store/hub they
 * import types, and only the pure values listed here (no SQL, no handle: parsing, constants).
 * The check fails when an entry is no longer imported, so the list only shrinks.
 */
const PURE_HUB_VALUES: Record<string, readonly string[]> = {
  // The prefix that tells an API key from a session token.
  'store/hub/api-key-store.ts': ['looksLikeApiKey'],
  // The audit page's query-string filter and its limits.
  'store/hub/audit-entries.ts': ['AUDIT_EXPORT_MAX', 'AUDIT_PAGE_MAX', 'parseAuditFilter'],
  // The intel search's sort names and an object's labels read from its JSON.
  'store/hub/intel-search.ts': ['INTEL_SORTS', 'labelsOf'],
  // An object's list summary, from its JSON.
  'store/hub/object-summaries.ts': ['summarise'],
  // The review states a query string may name.
  'store/hub/submission-review-store.ts': ['isReviewState'],
};

/** Each relative import or re-export of one file's text, with the source file it resolves to. */
function* relativeImports(
  path: string,
  text: string,
): Generator<{ s: ts.ImportDeclaration | ts.ExportDeclaration; target: string }> {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest);
  for (const s of file.statements) {
    if (!(ts.isImportDeclaration(s) || ts.isExportDeclaration(s))) continue;
    if (!s.moduleSpecifier || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const spec = s.moduleSpecifier.text;
    if (spec.startsWith('.')) yield { s, target: resolve(dirname(path), spec).replace(/\.js$/, '.ts') };
  }
}

/** Every value (not type-only) one file's text imports or re-exports from store/hub, as 'file: name (module)'. */
function hubValueImports(path: string, text: string): string[] {
  const where = relative(SRC, path);
  const out: string[] = [];
  for (const { s, target } of relativeImports(path, text)) {
    if (folderOf(target) !== 'store/hub') continue;
    const module = relative(SRC, target);
    const clause = ts.isImportDeclaration(s) ? s.importClause : undefined;
    if (clause?.isTypeOnly || (ts.isExportDeclaration(s) && s.isTypeOnly)) continue;
    const bindings = ts.isImportDeclaration(s) ? clause?.namedBindings : s.exportClause;
    if (clause?.name) out.push(`${where}: default (${module})`);
    if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) {
      for (const e of bindings.elements)
        if (!e.isTypeOnly) out.push(`${where}: ${(e.propertyName ?? e.name).text} (${module})`);
    } else if (bindings || !clause) out.push(`${where}: * (${module})`);
  }
  return out;
}

/** The classes a module of src/store exports by declaration. */
function exportedClasses(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return new Set();
  }
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest);
  const out = new Set<string>();
  for (const s of file.statements) {
    const exported =
      ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isClassDeclaration(s) && s.name && exported) out.add(s.name.text);
  }
  return out;
}

/** Every store class one file's text names in an import or re-export, as 'file: Class (module)'. */
function storeClassImports(path: string, text: string): string[] {
  const where = relative(SRC, path);
  const out: string[] = [];
  for (const { s, target } of relativeImports(path, text)) {
    if (!folderOf(target).startsWith('store')) continue;
    const classes = exportedClasses(target);
    if (classes.size === 0) continue;
    const bindings = ts.isImportDeclaration(s) ? s.importClause?.namedBindings : s.exportClause;
    const named =
      bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))
        ? bindings.elements.map((e) => (e.propertyName ?? e.name).text)
        : [...classes];
    const module = relative(SRC, target);
    for (const name of named) if (classes.has(name)) out.push(`${where}: ${name} (${module})`);
  }
  return out;
}

describe('folder edges', () => {
  const files = sourceFiles(SRC);

  it('every import in src/ follows an allowed folder-to-folder edge', () => {
    const offending = files.flatMap((f) => offendingImports(f, readFileSync(f, 'utf8')));
    expect(offending).toEqual([]);
  });

  it('walks the whole tree, every folder listed', () => {
    expect(files.length).toBeGreaterThan(300);
    const folders = new Set(files.map(folderOf));
    for (const folder of Object.keys(ALLOWED)) expect(folders, folder).toContain(folder);
  });

  it('the pipeline, the console API and TAXII name no store class, only ports', () => {
    const callers = files.filter((f) => (PORT_CALLERS as readonly string[]).includes(folderOf(f)));
    const found = callers.flatMap((f) => storeClassImports(f, readFileSync(f, 'utf8')));
    const pending = new Set(
      Object.entries(NOT_YET_PORTED).flatMap(([file, names]) => names.map((n) => `${file}: ${n}`)),
    );
    const unexpected = found.filter((line) => !pending.has(line.replace(/ \(.*\)$/, '')));
    const stale = [...pending].filter((p) => !found.some((line) => line.startsWith(`${p} (`)));
    expect(unexpected).toEqual([]);
    expect(stale).toEqual([]);
  });

  it('the pipeline, the console API and TAXII call no store/hub function, only ports', () => {
    const callers = files.filter((f) => (PORT_CALLERS as readonly string[]).includes(folderOf(f)));
    const found = callers.flatMap((f) => hubValueImports(f, readFileSync(f, 'utf8')));
    const allowed = (line: string) => {
      const m = /^[^:]+: (\S+) \((.+)\)$/.exec(line);
      return m !== null && (PURE_HUB_VALUES[m[2] as string] ?? []).includes(m[1] as string);
    };
    expect(found.filter((line) => !allowed(line))).toEqual([]);
    const stale = Object.entries(PURE_HUB_VALUES).flatMap(([module, names]) =>
      names
        .filter((n) => !found.some((line) => line.endsWith(`: ${n} (${module})`)))
        .map((n) => `${module}: ${n}`),
    );
    expect(stale).toEqual([]);
  });

  it('catches a store/hub value imported, re-exported or imported whole, not a type', () => {
    const at = (p: string) => join(SRC, p);
    expect(
      hubValueImports(
        at('release/x.ts'),
        "import { findNeighbourhood, type Partner } from '../store/hub/neighbourhood.js';",
      ),
    ).toEqual(['release/x.ts: findNeighbourhood (store/hub/neighbourhood.ts)']);
    expect(
      hubValueImports(
        at('api/x.ts'),
        "export { readChangeStamp } from '../store/hub/release-pass-state.js';",
      ),
    ).toHaveLength(1);
    expect(
      hubValueImports(at('api/x.ts'), "import * as s from '../store/hub/outcome-history.js';"),
    ).toHaveLength(1);
    expect(
      hubValueImports(
        at('release/x.ts'),
        "import type { Reason } from '../store/hub/release-store.js'; export type { Session } from '../store/hub/session-store.js'; import { PassReads } from '../store/read-ports.js';",
      ),
    ).toEqual([]);
  });

  it('catches a store class named as a value, a type or a re-export', () => {
    const at = (p: string) => join(SRC, p);
    expect(
      storeClassImports(
        at('release/x.ts'),
        "import type { ReleaseStore } from '../store/hub/release-store.js';",
      ),
    ).toEqual(['release/x.ts: ReleaseStore (store/hub/release-store.ts)']);
    expect(
      storeClassImports(
        at('api/x.ts'),
        "export { ConditionEvents } from '../store/hub/condition-events.js';",
      ),
    ).toHaveLength(1);
    expect(
      storeClassImports(at('api/x.ts'), "import * as s from '../store/hub/release-store.js';"),
    ).toHaveLength(1);
    expect(
      storeClassImports(
        at('release/x.ts'),
        "import type { Reason } from '../store/hub/release-store.js'; import type { PipelineReleases } from '../store/release-ports.js';",
      ),
    ).toEqual([]);
  });

  it('catches static, re-exported and dynamic imports, and I/O in the core', () => {
    const at = (p: string) => join(SRC, p);
    expect(
      offendingImports(at('store/sql/x.ts'), "import type { A } from '../../taxii/taxii-ports.js';"),
    ).toEqual(['store/sql/x.ts: ../../taxii/taxii-ports.js (store/sql -> taxii)']);
    expect(offendingImports(at('api/x.ts'), "export { h } from '../app/hub.js';")).toHaveLength(1);
    expect(offendingImports(at('release/x.ts'), "const m = await import('../cli/main.js');")).toHaveLength(1);
    expect(
      offendingImports(at('store/hub/x.ts'), "import { openSqlite } from '../sqlite/database.js';"),
    ).toEqual(['store/hub/x.ts: ../sqlite/database.js (store/hub -> store/sqlite)']);
    expect(offendingImports(at('store/hub/x.ts'), "import pg from 'pg';")).toHaveLength(1);
    expect(offendingImports(at('ledger/x.ts'), "import { readFileSync } from 'node:fs';")).toHaveLength(1);
    expect(offendingImports(at('tearline/x.ts'), "import Database from 'better-sqlite3';")).toHaveLength(1);
    expect(
      offendingImports(
        at('policy/x.ts'),
        "import { a } from './y.js'; import { b } from '../stix/types.js';",
      ),
    ).toEqual([]);
  });
});
