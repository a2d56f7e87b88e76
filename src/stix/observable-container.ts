import { categoryOfType } from './type-categories.js';
import type { IssueSink } from './validation-sink.js';
import { quote } from './validation-sink.js';

/**
 * Section 2.13 (deprecated observable container): each value is a cyber-observable object, and
 * the embedded references inside it (`src_ref`, `resolves_to_refs`, ...) name keys of the same
 * container, which MUST be present. The STIX identifiers that object_refs uses are not keys, so
 * a reference that is not a key of the container does not resolve.
 */
export function checkObservableContainer(container: unknown, s: IssueSink): void {
  if (typeof container !== 'object' || container === null || Array.isArray(container)) return;
  const entries = container as Record<string, unknown>;
  for (const [key, value] of Object.entries(entries)) {
    const at = `objects.${key}`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      s.error(at, 'invalid-property-type', `${at}: must be a cyber-observable object`);
      continue;
    }
    const type = (value as Record<string, unknown>).type;
    if (typeof type !== 'string') {
      s.error(`${at}.type`, 'missing-required', `${at}: a cyber-observable object needs a type`);
    } else if (categoryOfType(type) === 'sdo' || categoryOfType(type) === 'sro') {
      s.error(`${at}.type`, 'co-constraint', `${at}: ${quote(type)} is not a cyber-observable type`);
    }
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      const refs = name.endsWith('_ref') ? [v] : name.endsWith('_refs') && Array.isArray(v) ? v : [];
      refs.forEach((r, i) => {
        const path = name.endsWith('_refs') ? `${at}.${name}[${i}]` : `${at}.${name}`;
        if (typeof r !== 'string' || !Object.hasOwn(entries, r))
          s.error(
            path,
            'unresolved-container-ref',
            `${path}: ${quote(r)} must be a key of this observed-data's objects`,
          );
      });
    }
  }
}
