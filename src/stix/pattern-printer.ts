import type { ComparisonExpr, Literal, ObjectPath, ObservationExpr, Qualifier } from './pattern-ast.js';

function quoteString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function printLiteral(l: Literal): string {
  switch (l.kind) {
    case 'string':
      return quoteString(l.value);
    case 'int':
    case 'float':
      return l.kind === 'float' && Number.isInteger(l.value) ? `${l.value}.0` : String(l.value);
    case 'bool':
      return String(l.value);
    case 'binary':
      return `b'${l.value}'`;
    case 'hex':
      return `h'${l.value}'`;
    case 'timestamp':
      return `t'${l.value}'`;
  }
}

function printPath(p: ObjectPath): string {
  let out = `${p.objectType}:`;
  p.steps.forEach((step, i) => {
    if (step.kind === 'index') out += `[${step.index}]`;
    else {
      const name = step.quoted ? quoteString(step.name) : step.name;
      out += i === 0 ? name : `.${name}`;
    }
  });
  return out;
}

function printComparison(c: ComparisonExpr): string {
  switch (c.kind) {
    case 'comparison-op':
      return `${printComparison(c.left)} ${c.op} ${printComparison(c.right)}`;
    case 'comparison-group':
      return `(${printComparison(c.expr)})`;
    case 'exists':
      return `EXISTS ${printPath(c.path)}`;
    case 'test': {
      const value = Array.isArray(c.value)
        ? `(${c.value.map(printLiteral).join(', ')})`
        : printLiteral(c.value);
      return `${printPath(c.path)} ${c.negated ? 'NOT ' : ''}${c.operator} ${value}`;
    }
  }
}

function printQualifier(q: Qualifier): string {
  if (q.kind === 'within') return `WITHIN ${q.literal} SECONDS`;
  if (q.kind === 'repeats') return `REPEATS ${q.times} TIMES`;
  return `START t'${q.start}' STOP t'${q.stop}'`;
}

/**
 * Prints a pattern back to text. Operators keep their structure only where the parser's
 * precedence puts it, so printing a parsed pattern and parsing it again gives the same text.
 */
export function printPattern(o: ObservationExpr): string {
  switch (o.kind) {
    case 'observation':
      return `[${printComparison(o.expr)}]`;
    case 'observation-group':
      return `(${printPattern(o.expr)})`;
    case 'qualified':
      return `${printPattern(o.expr)} ${printQualifier(o.qualifier)}`;
    case 'observation-op':
      return `${printPattern(o.left)} ${o.op} ${printPattern(o.right)}`;
  }
}
