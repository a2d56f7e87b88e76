import { describe, expect, it } from 'vitest';
import { formatOperatorPolicyErrors, loadOperatorPolicies } from './operator-policy.js';

describe('loadOperatorPolicies', () => {
  it('loads valid policies with their @code and @reason', () => {
    const r = loadOperatorPolicies([
      {
        name: 'no-reports.cedar',
        text: '// reports wait for the quarterly review\n@code("reports-held")\n@reason("reports are held for the quarterly review")\nforbid (principal, action, resource)\nwhen { resource.stix_type == "report" };\n',
      },
    ]);
    expect(r).toMatchObject({
      ok: true,
      meta: { 'operator.no-reports.cedar.0': { code: 'reports-held', effect: 'forbid', source: 'operator' } },
    });
  });

  it("shows Cedar's diagnostic with file and line for a schema error", () => {
    const r = loadOperatorPolicies([
      {
        name: 'bad.cedar',
        text: '@reason("x")\nforbid (principal, action, resource)\nwhen {\n  resource.colour == "red"\n};\n',
      },
    ]);
    if (r.ok) throw new Error('expected failure');
    expect(r.errors[0]).toMatchObject({ code: 'policy-invalid', file: 'bad.cedar', line: 4 });
    expect(formatOperatorPolicyErrors(r.errors)).toMatch(/^bad\.cedar:4: .*colour/);
  });

  it('reports syntax errors with a line', () => {
    const r = loadOperatorPolicies([
      {
        name: 's.cedar',
        text: '@reason("x")\nforbid (principal, action, resource)\nwhen { resource.tlp == };\n',
      },
    ]);
    expect(r.ok || r.errors[0]).toMatchObject({ code: 'policy-invalid', line: 3 });
  });

  it('refuses a forbid without @reason and a policy naming an object', () => {
    const noReason = loadOperatorPolicies([
      {
        name: 'a.cedar',
        text: 'permit (principal, action, resource);\n\nforbid (principal, action, resource);\n',
      },
    ]);
    expect(noReason.ok || noReason.errors[0]).toMatchObject({ code: 'policy-missing-reason', line: 3 });
    const named = loadOperatorPolicies([
      {
        name: 'b.cedar',
        text: '@reason("x")\nforbid (principal, action, resource == Intel::"indicator--1");\n',
      },
    ]);
    expect(named.ok || named.errors[0]).toMatchObject({ code: 'policy-names-object', line: 2 });
  });
});
