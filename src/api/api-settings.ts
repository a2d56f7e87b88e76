import type { FastifyInstance } from 'fastify';
import { BUILT_IN_PROFILES } from '../tearline/tearline-profile.js';
import type { ConsoleContext } from './api-context.js';

/** The settings decisions are made by now, as the console shows them (forbidden terms by name only). */
export function settingsView(ctx: ConsoleContext) {
  const s = ctx.policy.current();
  const p = s.policy;
  return {
    untagged_tlp: p.untaggedTlp ?? null,
    untagged_where: p.untaggedWhere,
    operator_policies: Object.keys(p.operator.policies).sort(),
    forbidden_rules: [...p.forbiddenRuleNames],
    profiles: [...p.profiles.values()].map((profile) => ({
      name: profile.name,
      built_in: BUILT_IN_PROFILES.has(profile.name),
      unmarked_level: profile.unmarked_level,
      statement_markings: profile.statement_markings,
    })),
    files: s.files,
    digest: s.digest,
    loaded_at: s.loadedAt,
    error: s.error ?? null,
  };
}

export function registerSettingsRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/api/settings', { config: { action: 'read' } }, async () => settingsView(ctx));
}
