import type { ImportMarking } from '../../stix/markings-import.js';
import type { SqlDatabase } from '../sql/sql-database.js';

/** Whose default it is: an analyst's TAXII pushes, or a TAXII source pulled from. */
export type ImportMarkingScope = 'user' | 'source';

export interface ImportMarkingDefault {
  scope: ImportMarkingScope;
  name: string;
  marking: ImportMarking;
  set_by: string;
  set_at: string;
}

/** Markings given at import by default (migration 1700-import-markings). */
export class ImportMarkingStore {
  constructor(readonly sql: SqlDatabase) {}

  async get(scope: ImportMarkingScope, name: string): Promise<ImportMarking | undefined> {
    const r = await this.sql.get<{ marking: string; kind: string }>(
      'SELECT marking, kind FROM import_marking_defaults WHERE scope = ? AND name = ?',
      [scope, name],
    );
    if (!r || (r.kind !== 'tlp' && r.kind !== 'statement')) return undefined;
    return { id: r.marking, kind: r.kind };
  }

  async set(
    scope: ImportMarkingScope,
    name: string,
    marking: ImportMarking,
    by: string,
    at: Date,
  ): Promise<void> {
    await this.sql.run(
      `INSERT INTO import_marking_defaults (scope, name, marking, kind, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (scope, name) DO UPDATE SET marking = excluded.marking, kind = excluded.kind,
         set_by = excluded.set_by, set_at = excluded.set_at`,
      [scope, name, marking.id, marking.kind, by, at.toISOString()],
    );
  }

  /** True when there was a default to remove. */
  async clear(scope: ImportMarkingScope, name: string): Promise<boolean> {
    const r = await this.sql.run('DELETE FROM import_marking_defaults WHERE scope = ? AND name = ?', [
      scope,
      name,
    ]);
    return r.changes > 0;
  }

  async list(): Promise<ImportMarkingDefault[]> {
    const rows = await this.sql.all<{
      scope: ImportMarkingScope;
      name: string;
      marking: string;
      kind: 'tlp' | 'statement';
      set_by: string;
      set_at: string;
    }>('SELECT scope, name, marking, kind, set_by, set_at FROM import_marking_defaults ORDER BY scope, name');
    return rows.map((r) => ({
      scope: r.scope,
      name: r.name,
      marking: { id: r.marking, kind: r.kind },
      set_by: r.set_by,
      set_at: r.set_at,
    }));
  }
}
