import { compareTimestamps, isStixTimestamp } from './stix-formats.js';
import type { ObjectRule } from './type-spec.js';

/**
 * `later` MUST be >= `earlier` (or > when `strictlyAfter`), when both are valid timestamps.
 * `advisory` orders the spec does not state as a MUST are only warned about.
 */
export function ruleTimeOrder(
  earlier: string,
  later: string,
  strictlyAfter = false,
  advisory = false,
): ObjectRule {
  return (o, s) => {
    const a = o[earlier];
    const b = o[later];
    if (typeof a !== 'string' || typeof b !== 'string' || !isStixTimestamp(a) || !isStixTimestamp(b)) return;
    const c = compareTimestamps(b, a);
    if (c < 0 || (strictlyAfter && c === 0)) {
      const rel = strictlyAfter ? 'later than' : 'equal to or later than';
      if (advisory) s.warn(later, 'timestamp-order', `${later}: '${b}' should be ${rel} ${earlier} '${a}'`);
      else s.error(later, 'timestamp-order', `${later}: '${b}' must be ${rel} ${earlier} '${a}'`);
    }
  };
}

/** At least one of `props` MUST be present. */
export function ruleAnyOf(props: readonly string[]): ObjectRule {
  return (o, s) => {
    for (const p of props) if (o[p] !== undefined) return;
    s.error('', 'co-constraint', `one of ${props.join(', ')} is required; add one`);
  };
}

/** `a` and `b` MUST NOT both be present. */
export function ruleNotBoth(a: string, b: string): ObjectRule {
  return (o, s) => {
    if (o[a] !== undefined && o[b] !== undefined) {
      s.error(b, 'co-constraint', `${b}: must not be present together with ${a}; keep only one`);
    }
  };
}

/** When `when` is present, `then` MUST be too. */
export function ruleRequires(when: string, then: string): ObjectRule {
  return (o, s) => {
    if (o[when] !== undefined && o[then] === undefined) {
      s.error(then, 'missing-required', `${then}: is required when ${when} is present; add it`);
    }
  };
}
