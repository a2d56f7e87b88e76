import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initDataDir } from './data-dir.js';
import { loadHubPolicy } from './hub-policy-load.js';
import { HubPolicySource } from './hub-policy-watch.js';

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'tearline-settings-')), 'hub');
  initDataDir(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config = (extra: object) =>
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ hub_name: 'h.test', ...extra }));

describe('loadHubPolicy', () => {
  it("reads untagged_tlp, forbidden terms and the hub's own profiles, naming where the default is set", () => {
    config({ untagged_tlp: 'clear' });
    writeFileSync(
      join(dir, 'forbidden-terms.json'),
      JSON.stringify([{ name: 'codenames', term: 'NIGHTJAR' }]),
    );
    mkdirSync(join(dir, 'profiles'));
    writeFileSync(
      join(dir, 'profiles', 'liaison.json'),
      JSON.stringify({ name: 'liaison', extends: 'standard', statement_markings: 'drop' }),
    );
    const r = loadHubPolicy(dir);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.policy.untaggedTlp).toBe('clear');
    expect(r.policy.untaggedWhere).toBe(`untagged_tlp in ${join(dir, 'config.json')}`);
    expect(r.policy.forbiddenRuleNames).toEqual(['codenames']);
    expect(r.policy.forbidden.scan('"x":"nightjar"')).toEqual({ name: 'codenames', source: 'hub' });
    expect(r.policy.profiles.get('liaison')).toMatchObject({
      statement_markings: 'drop',
      unmarked_level: 'green',
    });
    expect(r.policy.profiles.has('strict')).toBe(true);
    expect(r.files).toEqual(['config.json', 'forbidden-terms.json', join('profiles', 'liaison.json')]);
  });

  it('fails as a whole, naming every bad file and field', () => {
    config({ untagged_tlp: 'red' });
    writeFileSync(join(dir, 'forbidden-terms.json'), '[{"name": "x", "regex": "("}]');
    mkdirSync(join(dir, 'profiles'));
    writeFileSync(join(dir, 'profiles', 'a.json'), JSON.stringify({ name: 'strict' }));
    writeFileSync(join(dir, 'profiles', 'b.json'), JSON.stringify({ name: 'b', keep_confidance: true }));
    const r = loadHubPolicy(dir);
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.errors.join('\n');
    expect(text).toContain('untagged_tlp must be one of clear, green, amber, amber+strict');
    expect(text).toContain('forbidden-terms.json: invalid rules');
    expect(text).toContain("a profile named 'strict' exists already (built in)");
  });

  it('changes its digest with any file, and a source keeps the last good settings', () => {
    config({});
    const source = new HubPolicySource(dir);
    const first = source.current();
    expect(source.reload()).toBe(false);
    config({ untagged_tlp: 'green' });
    expect(source.reload()).toBe(true);
    expect(source.current().policy.untaggedTlp).toBe('green');
    expect(source.current().digest).not.toBe(first.digest);
    writeFileSync(join(dir, 'config.json'), '{"untagged_tlp": ');
    expect(source.reload()).toBe(false);
    expect(source.current().policy.untaggedTlp).toBe('green');
    expect(source.current().error?.message).toContain('not valid JSON');
    config({ untagged_tlp: 'green' });
    source.reload();
    expect(source.current().error).toBeUndefined();
  });
});
