import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * A second factor per RFC 6238 (30-second steps, 6 digits, SHA-1: what authenticator apps
 * take), through the otpauth library. The shared secret must be readable to check a code, so it
 * cannot be hashed: it is sealed (AES-256-GCM) under a key derived from the hub secret, and a
 * copy of the database alone does not reveal it.
 */
const PERIOD_S = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, user: string, issuer: string): string {
  return new TOTP({
    issuer,
    label: user,
    secret: Secret.fromBase32(secretBase32),
    period: PERIOD_S,
  }).toString();
}

/** The code for a time (tests and the enrolment check). */
export function totpCode(secretBase32: string, nowMs: number): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), period: PERIOD_S }).generate({
    timestamp: nowMs,
  });
}

/**
 * The time step a code belongs to (one step of clock drift either way), or undefined. The caller
 * must refuse a step at or before the last one used, so a code works once.
 */
export function totpStepOf(secretBase32: string, code: string, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    period: PERIOD_S,
    timestamp: nowMs,
    window: 1,
  });
  return delta === null ? undefined : Math.floor(nowMs / 1000 / PERIOD_S) + delta;
}

export function totpKeyOf(hubSecret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', hubSecret, Buffer.alloc(0), 'tearline totp secret v1', 32));
}

export function sealTotpSecret(key: Buffer, secretBase32: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(secretBase32, 'utf8'), c.final()]);
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${c.getAuthTag().toString('base64url')}`;
}

/** The secret, or undefined when the seal is damaged or made under another hub secret. */
export function openTotpSecret(key: Buffer, sealed: string): string | undefined {
  const [v, iv, body, tag] = sealed.split('.');
  if (v !== 'v1' || !iv || !body || !tag) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
