import { isJsonObject, type JsonObject } from '../stix/types.js';
import { SUBMISSION_PROVENANCE_EXTENSION_ID } from '../tearline/tearline-provenance.js';
import type { SubmitterCatalog, SubmitterConsent } from '../tearline/tearline-submitter.js';

/** Where a promoted object came from, for the console's object page (the hub's own people only). */
export interface ObjectProvenance {
  submitted_by: string;
  submitted_by_id: string;
  submitted_at: string | null;
  /** The submitter's consent now: what copies to other partners may say of it. */
  consent: SubmitterConsent;
}

/** The provenance of an object promoted from a partner's submission; null for any other. */
export function provenanceOf(object: JsonObject, submitters: SubmitterCatalog): ObjectProvenance | null {
  const extensions = object.extensions;
  const p = isJsonObject(extensions) ? extensions[SUBMISSION_PROVENANCE_EXTENSION_ID] : undefined;
  if (!isJsonObject(p) || typeof p.submitted_by_ref !== 'string') return null;
  const trace = submitters.get(p.submitted_by_ref);
  return {
    submitted_by: trace?.name ?? p.submitted_by_ref,
    submitted_by_id: p.submitted_by_ref,
    submitted_at: typeof p.submitted_at === 'string' ? p.submitted_at : null,
    consent: trace?.consent ?? 'none',
  };
}
