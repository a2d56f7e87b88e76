import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { validatePolicies } from './cedar-engine.js';
import type { PolicyMeta } from './cedar-policy-generate.js';

export const OPERATOR_POLICY_MAX_BYTES = 256 * 1024;

export interface OperatorPolicyFile {
  /** The file name as the operator knows it; used in policy ids and messages. */
  name: string;
  text: string;
}

export interface OperatorPolicyError {
  code: 'policy-too-large' | 'policy-invalid' | 'policy-missing-reason' | 'policy-names-object';
  file: string;
  line?: number;
  message: string;
}

export type OperatorPolicies =
  | { ok: true; policies: Record<string, string>; meta: Record<string, PolicyMeta> }
  | { ok: false; errors: OperatorPolicyError[] };

/**
 * Loads operator policy files, validating each against the release schema with Cedar's own
 * diagnostics. Two rules beyond Cedar's: a forbid must carry @reason (a withhold never comes
 * without one), and no policy may name an Intel entity (policies decide on the projection, which
 * is what makes memoised decisions equal to uncached ones; name objects by label instead).
 */
export function loadOperatorPolicies(files: readonly OperatorPolicyFile[]): OperatorPolicies {
  const errors: OperatorPolicyError[] = [];
  const policies: Record<string, string> = {};
  const meta: Record<string, PolicyMeta> = {};
  for (const file of files) {
    if (Buffer.byteLength(file.text, 'utf8') > OPERATOR_POLICY_MAX_BYTES) {
      errors.push({
        code: 'policy-too-large',
        file: file.name,
        message: `larger than ${OPERATOR_POLICY_MAX_BYTES} bytes`,
      });
      continue;
    }
    const named = /\bIntel\s*::/.exec(file.text);
    if (named) {
      errors.push({
        code: 'policy-names-object',
        file: file.name,
        line: lineAtChar(file.text, named.index),
        message:
          'policies may not name an Intel entity; match on resource attributes such as labels or stix_type',
      });
      continue;
    }
    const check = validatePolicies(file.text);
    if (!check.ok) {
      for (const d of check.diagnostics) {
        errors.push({
          code: 'policy-invalid',
          file: file.name,
          ...(d.offset !== undefined && { line: lineAtByte(file.text, d.offset) }),
          message: `${d.message}${d.help ? ` (${d.help})` : ''}`,
        });
      }
      continue;
    }
    const parts = cedar.policySetTextToParts(file.text);
    if (parts.type !== 'success') {
      errors.push({
        code: 'policy-invalid',
        file: file.name,
        message: parts.errors[0]?.message ?? 'does not parse',
      });
      continue;
    }
    let cursor = 0;
    parts.policies.forEach((text, i) => {
      const found = file.text.indexOf(text, cursor);
      const line = found >= 0 ? lineAtChar(file.text, found) : undefined;
      if (found >= 0) cursor = found + text.length;
      const json = cedar.policyToJson(text);
      if (json.type !== 'success') return;
      const ann = json.json.annotations ?? {};
      const id = `operator.${file.name}.${i}`;
      if (json.json.effect === 'forbid' && !ann.reason) {
        errors.push({
          code: 'policy-missing-reason',
          file: file.name,
          ...(line !== undefined && { line }),
          message: `forbid policy ${i} has no @reason("..."): every withhold must say why`,
        });
        return;
      }
      policies[id] = text;
      meta[id] = {
        code: ann.code || 'operator-policy',
        reason: ann.reason || `permitted by operator policy ${file.name} #${i}`,
        effect: json.json.effect,
        source: 'operator',
      };
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policies, meta };
}

function lineAtChar(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Cedar reports byte offsets into UTF-8; count newlines over bytes, not characters. */
function lineAtByte(text: string, offset: number): number {
  const bytes = Buffer.from(text, 'utf8').subarray(0, offset);
  let line = 1;
  for (const b of bytes) if (b === 10) line++;
  return line;
}

export function formatOperatorPolicyErrors(errors: readonly OperatorPolicyError[]): string {
  return errors.map((e) => `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`).join('\n');
}
