/** Every way a relay check can fail, one literal code each (messages name what and where). */
export type RelayErrorCode =
  | 'bad-envelope'
  | 'bad-hub-receipt'
  | 'bad-relay-receipt'
  | 'missing-hub-receipt'
  | 'bad-key'
  | 'bad-payload'
  | 'bad-signature'
  | 'cannot-open'
  | 'wrong-recipient'
  | 'wrong-sender'
  | 'too-large';

export interface RelayError {
  ok: false;
  code: RelayErrorCode;
  message: string;
}

export type RelayResult<T> = ({ ok: true } & T) | RelayError;

export function relayFail(code: RelayErrorCode, message: string): RelayError {
  return { ok: false, code, message };
}
