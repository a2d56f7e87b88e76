import type {
  ComparisonExpr,
  ComparisonOperator,
  Literal,
  ObjectPath,
  ObservationExpr,
  PathStep,
  Qualifier,
} from './pattern-ast.js';
import { type PatternSyntaxError, type Token, tokenizePattern } from './pattern-lexer.js';
import { isBase64, isStixTimestamp } from './stix-formats.js';

export type PatternParseResult =
  | { ok: true; ast: ObservationExpr }
  | { ok: false; errors: PatternSyntaxError[] };

class PatternParseError extends Error {
  constructor(
    readonly token: Token,
    message: string,
  ) {
    super(message);
  }
}

const MAX_NESTING = 100;
const MAX_PATTERN_LENGTH = 1_000_000;
const ORDER_OPS = new Set(['<', '<=', '>', '>=']);
const STRING_OPS = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of pattern';
  if (t.kind === 'string') return `string '${t.text}'`;
  return `'${t.text}'`;
}

/** Recursive descent over the grammar of section 9.2 (precedence: FOLLOWEDBY < OR < AND < qualifiers). */
class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Nesting is bounded so hostile input gets an error instead of a stack overflow. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) {
      throw new PatternParseError(
        this.peek(),
        `nesting deeper than ${MAX_NESTING} levels; simplify the pattern`,
      );
    }
  }

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isWord(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'keyword' || t.kind === 'punct' || t.kind === 'op') && t.text === text;
  }
  private expect(text: string, what: string): Token {
    if (!this.isWord(text))
      throw new PatternParseError(this.peek(), `expected ${what}, found ${describe(this.peek())}`);
    return this.next();
  }

  parsePattern(): ObservationExpr {
    const expr = this.observations();
    if (this.peek().kind !== 'eof') {
      throw new PatternParseError(
        this.peek(),
        `unexpected ${describe(this.peek())}; expected AND, OR, FOLLOWEDBY or a qualifier`,
      );
    }
    return expr;
  }

  private observations(): ObservationExpr {
    let left = this.observationOr();
    while (this.isWord('FOLLOWEDBY')) {
      this.next();
      left = { kind: 'observation-op', op: 'FOLLOWEDBY', left, right: this.observationOr() };
    }
    return left;
  }
  private observationOr(): ObservationExpr {
    let left = this.observationAnd();
    while (this.isWord('OR')) {
      this.next();
      left = { kind: 'observation-op', op: 'OR', left, right: this.observationAnd() };
    }
    return left;
  }
  private observationAnd(): ObservationExpr {
    let left = this.observation();
    while (this.isWord('AND')) {
      this.next();
      left = { kind: 'observation-op', op: 'AND', left, right: this.observation() };
    }
    return left;
  }
  private observation(): ObservationExpr {
    let expr: ObservationExpr;
    this.enter();
    if (this.isWord('[')) {
      this.next();
      const comparison = this.comparisonOr();
      this.expect(']', "']' to close the observation");
      expr = { kind: 'observation', expr: comparison };
    } else if (this.isWord('(')) {
      this.next();
      const inner = this.observations();
      this.expect(')', "')'");
      expr = { kind: 'observation-group', expr: inner };
    } else {
      throw new PatternParseError(
        this.peek(),
        `expected '[' or '(' to start an observation, found ${describe(this.peek())}`,
      );
    }
    this.depth--;
    for (;;) {
      const start = this.peek();
      const q = this.qualifier();
      if (!q) return expr;
      expr = { kind: 'qualified', expr, qualifier: q, at: { line: start.line, column: start.column } };
    }
  }
  private qualifier(): Qualifier | undefined {
    if (this.isWord('WITHIN')) {
      this.next();
      const t = this.next();
      if ((t.kind !== 'int' && t.kind !== 'float') || Number(t.text) <= 0) {
        throw new PatternParseError(t, `WITHIN needs a positive number of seconds, found ${describe(t)}`);
      }
      this.expect('SECONDS', "'SECONDS' after the WITHIN duration");
      return { kind: 'within', seconds: Number(t.text), literal: t.text };
    }
    if (this.isWord('REPEATS')) {
      this.next();
      const t = this.next();
      if (t.kind !== 'int' || Number(t.text) <= 0)
        throw new PatternParseError(t, `REPEATS needs a positive integer, found ${describe(t)}`);
      this.expect('TIMES', "'TIMES' after the REPEATS count");
      return { kind: 'repeats', times: Number(t.text) };
    }
    if (this.isWord('START')) {
      this.next();
      const start = this.timestamp();
      this.expect('STOP', "'STOP' after the START timestamp");
      const stop = this.timestamp();
      return { kind: 'start-stop', start, stop };
    }
    return undefined;
  }
  private timestamp(): string {
    const t = this.next();
    if (t.kind !== 'timestamp')
      throw new PatternParseError(t, `expected a timestamp literal t'...', found ${describe(t)}`);
    if (!isStixTimestamp(t.text))
      throw new PatternParseError(t, `t'${t.text}' is not a valid RFC 3339 UTC timestamp`);
    return t.text;
  }

  private comparisonOr(): ComparisonExpr {
    let left = this.comparisonAnd();
    while (this.isWord('OR')) {
      this.next();
      left = { kind: 'comparison-op', op: 'OR', left, right: this.comparisonAnd() };
    }
    return left;
  }
  private comparisonAnd(): ComparisonExpr {
    let left = this.propTest();
    while (this.isWord('AND')) {
      this.next();
      left = { kind: 'comparison-op', op: 'AND', left, right: this.propTest() };
    }
    return left;
  }
  private propTest(): ComparisonExpr {
    if (this.isWord('(')) {
      this.next();
      this.enter();
      const expr = this.comparisonOr();
      this.depth--;
      this.expect(')', "')'");
      return { kind: 'comparison-group', expr };
    }
    if (this.isWord('EXISTS')) {
      this.next();
      return { kind: 'exists', path: this.objectPath() };
    }
    const path = this.objectPath();
    let negated = false;
    if (this.isWord('NOT')) {
      this.next();
      negated = true;
    }
    const opTok = this.next();
    const op = opTok.text;
    if (opTok.kind === 'op' && (op === '=' || op === '!=')) {
      return { kind: 'test', path, negated, operator: op, value: this.literal(true) };
    }
    if (opTok.kind === 'op' && ORDER_OPS.has(op)) {
      return { kind: 'test', path, negated, operator: op as ComparisonOperator, value: this.literal(false) };
    }
    if (opTok.kind === 'keyword' && op === 'IN')
      return { kind: 'test', path, negated, operator: 'IN', value: this.set() };
    if (opTok.kind === 'keyword' && STRING_OPS.has(op)) {
      const t = this.next();
      if (t.kind !== 'string')
        throw new PatternParseError(t, `${op} needs a string literal, found ${describe(t)}`);
      return {
        kind: 'test',
        path,
        negated,
        operator: op as ComparisonOperator,
        value: { kind: 'string', value: t.text },
      };
    }
    throw new PatternParseError(
      opTok,
      `expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET), found ${describe(opTok)}`,
    );
  }
  private set(): Literal[] {
    this.expect('(', "'(' to open the IN set");
    const items: Literal[] = [];
    if (this.isWord(')')) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.literal(true));
      if (this.isWord(',')) {
        this.next();
        continue;
      }
      this.expect(')', "',' or ')' in the IN set");
      return items;
    }
  }
  private literal(allowBool: boolean): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.text };
      case 'int':
        return { kind: 'int', value: Number(t.text) };
      case 'float':
        return { kind: 'float', value: Number(t.text) };
      case 'bool':
        if (!allowBool) throw new PatternParseError(t, 'booleans cannot be ordered; use = or !=');
        return { kind: 'bool', value: t.text === 'true' };
      case 'binary':
        if (!isBase64(t.text)) throw new PatternParseError(t, `b'${t.text}' is not valid base64`);
        return { kind: 'binary', value: t.text };
      case 'hex':
        if (!/^(?:[0-9a-fA-F]{2})*$/.test(t.text))
          throw new PatternParseError(t, `h'${t.text}' is not hex (pairs of 0-9a-f)`);
        return { kind: 'hex', value: t.text };
      case 'timestamp':
        if (!isStixTimestamp(t.text))
          throw new PatternParseError(t, `t'${t.text}' is not a valid RFC 3339 UTC timestamp`);
        return { kind: 'timestamp', value: t.text };
      default:
        throw new PatternParseError(
          t,
          `expected a literal (quoted string, number, boolean, b'', h'' or t''), found ${describe(t)}`,
        );
    }
  }
  private objectPath(): ObjectPath {
    const typeTok = this.next();
    if (typeTok.kind !== 'ident')
      throw new PatternParseError(typeTok, `expected an object type like file, found ${describe(typeTok)}`);
    this.expect(':', "':' between object type and property");
    const steps: PathStep[] = [this.propertyStep(true)];
    for (;;) {
      if (this.isWord('.')) {
        this.next();
        steps.push(this.propertyStep(false));
      } else if (this.isWord('[')) {
        this.next();
        const t = this.next();
        if (t.kind === 'punct' && t.text === '*') steps.push({ kind: 'index', index: '*' });
        else if (t.kind === 'int') steps.push({ kind: 'index', index: Number(t.text) });
        else throw new PatternParseError(t, `expected a list index or *, found ${describe(t)}`);
        this.expect(']', "']' after the list index");
      } else return { objectType: typeTok.text, steps, at: { line: typeTok.line, column: typeTok.column } };
    }
  }
  private propertyStep(first: boolean): PathStep {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'property', name: t.text, quoted: true };
    if ((t.kind === 'ident' || t.kind === 'keyword' || t.kind === 'bool') && !t.text.includes('-')) {
      return { kind: 'property', name: t.text, quoted: false };
    }
    const where = first ? 'a property name' : 'a property name or quoted key';
    const hint = t.text.includes('-') ? ` (quote names with hyphens: '${t.text}')` : '';
    throw new PatternParseError(t, `expected ${where}, found ${describe(t)}${hint}`);
  }
}

/** Parses a STIX 2.1 pattern into its syntax tree, or the syntax error with line:column. */
export function parsePatternSyntax(text: string): PatternParseResult {
  if (text.length > MAX_PATTERN_LENGTH) {
    return {
      ok: false,
      errors: [{ line: 1, column: 1, message: `pattern longer than ${MAX_PATTERN_LENGTH} characters` }],
    };
  }
  const lexed = tokenizePattern(text);
  if ('error' in lexed) return { ok: false, errors: [lexed.error] };
  try {
    return { ok: true, ast: new Parser(lexed.tokens).parsePattern() };
  } catch (e) {
    if (e instanceof PatternParseError) {
      return { ok: false, errors: [{ line: e.token.line, column: e.token.column, message: e.message }] };
    }
    throw e;
  }
}
