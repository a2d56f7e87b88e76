import { describe, expect, it } from 'vitest';
import { computeScoId } from './sco-id.js';
import { uuidV5 } from './uuid.js';

describe('uuidV5', () => {
  it('matches the RFC 9562 DNS-namespace example', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

describe('computeScoId', () => {
  it('gives the same id whatever the key order and ignores non-contributing properties', () => {
    const a = computeScoId({ type: 'file', name: 'a.exe', hashes: { 'SHA-256': 'ab', MD5: 'cd' }, size: 3 });
    const b = computeScoId({ type: 'file', hashes: { MD5: 'cd' }, name: 'a.exe' });
    expect(a).toMatch(/^file--[0-9a-f-]{36}$/);
    expect(a).toBe(b);
  });
  it('has no deterministic id for process or when nothing contributes', () => {
    expect(computeScoId({ type: 'process', pid: 1 })).toBeUndefined();
    expect(computeScoId({ type: 'url' })).toBeUndefined();
  });
});
