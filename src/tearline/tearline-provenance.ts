/**
 * The hub's submission-provenance extension (a STIX 2.1 property extension, section 7.3): an
 * object an analyst promoted from a partner's submission carries who submitted it, when, and the
 * id and version it was submitted under. It is the hub's own record and names a partner, so no
 * tearline ever carries it, whatever the profile allows (rule 'submission-provenance').
 */
export const SUBMISSION_PROVENANCE_EXTENSION_ID =
  'extension-definition--2f0b9c3e-6a4d-4e8b-9c1f-7d5a3b2e1c40';
