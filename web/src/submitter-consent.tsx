/** What each agreement `submitter_consent` lets the hub do with a partner's promoted submissions. */
export const CONSENT_WORDS: Record<string, string> = {
  none: 'none: nothing promoted from its submissions goes to any other partner',
  'hub-only': 'hub only: promoted submissions go to other partners naming the hub, never this partner',
  named: 'named: promoted submissions go to other partners and may name this partner',
};

export interface Provenance {
  submitted_by: string;
  submitted_at: string | null;
  consent: string;
}

/** The object page's note on an object promoted from a partner's submission. */
export function ProvenanceNote({ provenance }: { provenance: Provenance }) {
  return (
    <section aria-labelledby="provenance-h" data-testid="provenance">
      <h2 id="provenance-h">Provenance</h2>
      <p>
        Promoted from a submission by <strong>{provenance.submitted_by}</strong>
        {provenance.submitted_at ? `, received ${provenance.submitted_at}` : ''}. Submitter consent{' '}
        {CONSENT_WORDS[provenance.consent] ?? provenance.consent}.
      </p>
    </section>
  );
}
