/**
 * Every error the TAXII routes answer, as the TAXII error resource (section 3.6.1). One catalog:
 * routes name a literal code, never a status number or a free-form title.
 */
export type TaxiiErrorCode =
  | 'bad-request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'not-acceptable'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'too-many-requests'
  | 'insufficient-storage'
  | 'unavailable'
  | 'internal';

const CATALOG: Record<TaxiiErrorCode, { status: number; title: string }> = {
  'bad-request': { status: 400, title: 'Bad request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not permitted' },
  'not-found': { status: 404, title: 'Not found' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'payload-too-large': { status: 413, title: 'Request too large' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'insufficient-storage': { status: 507, title: 'Insufficient storage' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
};

export interface TaxiiErrorBody {
  title: string;
  description: string;
  error_code: TaxiiErrorCode;
  http_status: string;
}

export class TaxiiError extends Error {
  override readonly name = 'TaxiiError';
  constructor(
    readonly code: TaxiiErrorCode,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }

  get status(): number {
    return CATALOG[this.code].status;
  }

  toBody(): TaxiiErrorBody {
    const c = CATALOG[this.code];
    return {
      title: c.title,
      description: this.description,
      error_code: this.code,
      http_status: String(c.status),
    };
  }
}

/**
 * The single answer for anything a principal may not see: unknown and unreleased objects,
 * other partners' collections and statuses all read the same, so a partner learns nothing.
 */
export function notFound(): TaxiiError {
  return new TaxiiError('not-found', 'no such resource, or not visible to this credential');
}

export function statusOfCode(code: TaxiiErrorCode): number {
  return CATALOG[code].status;
}
