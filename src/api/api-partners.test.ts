import { describe, expect, it } from 'vitest';
import { describeLapse } from './api-partners.js';

const NOW = Date.parse('2026-11-28T10:00:00Z');

describe('describeLapse', () => {
  it('says days, hours, future and past in words', () => {
    expect(describeLapse('2026-12-01T10:00:00Z', NOW)).toBe('in 3 days');
    expect(describeLapse('2026-11-29T10:00:00Z', NOW)).toBe('in 1 day');
    expect(describeLapse('2026-11-28T15:00:00Z', NOW)).toBe('in 5 hours');
    expect(describeLapse('2026-11-28T10:10:00Z', NOW)).toBe('in 1 hour');
    expect(describeLapse('2026-11-25T10:00:00Z', NOW)).toBe('3 days ago');
  });
});
