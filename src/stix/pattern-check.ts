import type { ComparisonExpr, ObjectPath, ObservationExpr, SourcePosition } from './pattern-ast.js';
import type { PatternSyntaxError } from './pattern-lexer.js';
import { parsePatternSyntax } from './pattern-parser.js';
import { compareTimestamps, isPropertyName, isTypeName } from './stix-formats.js';
import { hashShapeOf } from './stix-hashes.js';
import { categoryOfType } from './type-categories.js';

export type { PatternSyntaxError };
export type PatternResult = { ok: true; ast: ObservationExpr } | { ok: false; errors: PatternSyntaxError[] };

function err(at: SourcePosition, message: string): PatternSyntaxError {
  return { line: at.line, column: at.column, message };
}

function checkPath(path: ObjectPath, errors: PatternSyntaxError[]): void {
  // section 9.5: the object type is a STIX type name; the first component a property name.
  if (!isTypeName(path.objectType)) {
    errors.push(
      err(path.at, `'${path.objectType}' is not a valid object type (3-250 chars of a-z, 0-9, hyphens)`),
    );
  } else {
    // Patterns match cyber-observables: a spec SDO, SRO or meta type can never match.
    const category = categoryOfType(path.objectType);
    if (category !== undefined && category !== 'sco') {
      errors.push(
        err(
          path.at,
          `'${path.objectType}' is not a cyber-observable type; patterns match SCOs like file or ipv4-addr`,
        ),
      );
    }
  }
  const first = path.steps[0];
  if (first?.kind === 'property' && !first.quoted && !isPropertyName(first.name)) {
    errors.push(err(path.at, `'${first.name}' is not a valid property name (3-250 chars of a-z, 0-9, _)`));
  }
}

function checkComparison(c: ComparisonExpr, errors: PatternSyntaxError[]): void {
  switch (c.kind) {
    case 'comparison-op':
      checkComparison(c.left, errors);
      checkComparison(c.right, errors);
      return;
    case 'comparison-group':
      checkComparison(c.expr, errors);
      return;
    case 'exists':
      checkPath(c.path, errors);
      return;
    case 'test': {
      checkPath(c.path, errors);
      const steps = c.path.steps;
      const last = steps[steps.length - 1];
      const parent = steps[steps.length - 2];
      const values = Array.isArray(c.value) ? c.value : [c.value];
      if (last?.kind !== 'property' || parent?.kind !== 'property' || parent.name !== 'hashes') return;
      if (c.operator !== '=' && c.operator !== '!=' && c.operator !== 'IN') return;
      const known = hashShapeOf(last.name);
      if (!known) return;
      for (const v of values) {
        if (v.kind === 'string' && !known.shape.test(v.value)) {
          errors.push(err(c.path.at, `'${v.value}' is not a valid ${known.name} hash`));
        }
      }
    }
  }
}

/**
 * Walks observations; `applied` collects the qualifier kinds stacked directly on one bracketed
 * observation, where a repeat is ambiguous (the reference grammar's rule); a parenthesised group
 * starts afresh.
 */
function checkObservation(
  o: ObservationExpr,
  errors: PatternSyntaxError[],
  applied: Set<string> | undefined,
): void {
  switch (o.kind) {
    case 'observation':
      checkComparison(o.expr, errors);
      return;
    case 'observation-group':
      checkObservation(o.expr, errors, undefined);
      return;
    case 'observation-op':
      checkObservation(o.left, errors, undefined);
      checkObservation(o.right, errors, undefined);
      return;
    case 'qualified': {
      const q = o.qualifier;
      if (q.kind === 'start-stop' && compareTimestamps(q.stop, q.start) <= 0) {
        errors.push(err(o.at, `STOP t'${q.stop}' must be later than START t'${q.start}'`));
      }
      let inner = o.expr;
      const kinds = applied ?? new Set<string>();
      while (inner.kind === 'qualified') inner = inner.expr;
      if (inner.kind === 'observation') {
        if (kinds.has(q.kind))
          errors.push(
            err(
              o.at,
              `duplicate ${q.kind.toUpperCase()} qualifier on one observation; group it in parentheses`,
            ),
          );
        kinds.add(q.kind);
      }
      checkObservation(o.expr, errors, o.expr.kind === 'qualified' ? kinds : undefined);
    }
  }
}

/**
 * Parses and checks a STIX 2.1 pattern: syntax (section 9.2), object types and property names,
 * hash values against their algorithm, qualifier sanity. Errors carry line:column.
 */
export function parsePattern(text: string): PatternResult {
  const parsed = parsePatternSyntax(text);
  if (!parsed.ok) return parsed;
  const errors: PatternSyntaxError[] = [];
  checkObservation(parsed.ast, errors, undefined);
  return errors.length > 0 ? { ok: false, errors } : parsed;
}
