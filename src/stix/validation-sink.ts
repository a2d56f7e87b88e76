import type { ValidationCode } from './validation-codes.js';
import type { ValidationContext, ValidationIssue, ValidationResult } from './validation-types.js';

/** Collects the findings of one object; `disabled` codes are dropped (like the reference's --disable). */
export class IssueSink {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  private readonly disabled: ReadonlySet<string> | undefined;

  constructor(ctx: ValidationContext) {
    this.disabled = ctx.disabled;
  }

  error(path: string, code: ValidationCode, message: string): void {
    if (this.disabled?.has(code)) return;
    this.errors.push({ path, code, message });
  }

  warn(path: string, code: ValidationCode, message: string): void {
    if (this.disabled?.has(code)) return;
    this.warnings.push({ path, code, message });
  }

  toResult(strict: boolean | undefined): ValidationResult {
    if (strict && this.warnings.length > 0) {
      for (const w of this.warnings) this.errors.push(w);
      this.warnings.length = 0;
    }
    return { valid: this.errors.length === 0, errors: this.errors, warnings: this.warnings };
  }
}

/**
 * Shows a value in a message: strings quoted and shortened, lists and objects only described, so
 * a hostile (huge or deeply nested) value costs nothing to report.
 */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const s = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return `'${s}'`;
  }
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
