import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROFILES, matchesNameList, parseProfile, STRICT_PROFILE } from './tearline-profile.js';

describe('profiles', () => {
  it('has the built-in strict, standard and ally profiles', () => {
    expect([...BUILT_IN_PROFILES.keys()]).toEqual(['strict', 'standard', 'ally']);
    expect(STRICT_PROFILE).toMatchObject({
      keep_confidence: false,
      coordinate_decimals: 1,
      allow_custom_properties: [],
    });
  });

  it('reads a custom profile that extends a built-in one', () => {
    const result = parseProfile({
      name: 'gulf-partner',
      extends: 'standard',
      keep_confidence: true,
      deny_labels: ['tier:*'],
    });
    expect(result).toEqual({
      ok: true,
      profile: {
        ...BUILT_IN_PROFILES.get('standard'),
        name: 'gulf-partner',
        keep_confidence: true,
        deny_labels: ['tier:*'],
      },
    });
  });

  it.each([
    [{ name: 'x', keep_confidance: true }, 'keep_confidance'],
    [{ name: 'Bad Name' }, 'name'],
    [{ name: 'x', extends: 'lenient' }, 'extends'],
    [{ name: 'x', unmarked_level: 'white' }, 'unmarked_level'],
    [{ name: 'x', coordinate_decimals: 2.5 }, 'coordinate_decimals'],
    [{ name: 'x', allow_custom_properties: 'x_*' }, 'allow_custom_properties'],
    [{ name: 'x', deny_labels: ['ok', ''] }, 'deny_labels[1]'],
    [{ name: 'x', keep_confidence: 'yes' }, 'keep_confidence'],
  ])('rejects %j naming the field', (input, field) => {
    const result = parseProfile(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual([field]);
  });

  it('rejects input that is not an object', () => {
    expect(parseProfile([1])).toMatchObject({ ok: false, errors: [{ field: '' }] });
  });

  it('matches exact names and trailing-star prefixes', () => {
    expect(matchesNameList(['x_mitre_*', 'cve'], 'x_mitre_version')).toBe(true);
    expect(matchesNameList(['x_mitre_*', 'cve'], 'cve')).toBe(true);
    expect(matchesNameList(['x_mitre_*', 'cve'], 'cve2')).toBe(false);
  });
});
