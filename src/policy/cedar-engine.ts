import { setFlagsFromString } from 'node:v8';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { CEDAR_SCHEMA, CEDAR_SCHEMA_NAME } from './cedar-schema.js';

// Node 20's V8 aborts the process ("unreachable code" in the deoptimizer) when optimised code
// that inlined a JS-to-Wasm call is lazily deoptimised, which a hot decision loop over Cedar
// triggers within seconds. Turning that inlining off before any such code is optimised avoids it
// at no measurable cost here (the memo keeps Wasm calls rare).
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

/** The intel attributes policies see (the schema's Intel entity). */
export interface IntelAttrs {
  stix_type: string;
  marking_state: 'tlp' | 'unmarked' | 'unknown';
  tlp: number;
  labels: readonly string[];
  in_neighbourhood: boolean;
  in_location: boolean;
}

export interface CedarRequest {
  partnerId: string;
  enabled: boolean;
  unmetConditions: readonly string[];
  agreementState: 'active' | 'expired' | 'not-yet-valid';
  intel: IntelAttrs;
}

/** Cedar's verdict reduced to what a decision needs; `errors` are policies that failed to evaluate. */
export interface CedarAnswer {
  decision: 'allow' | 'deny';
  policies: string[];
  errors: string[];
}

export interface CedarDiagnostic {
  policyId?: string;
  message: string;
  help?: string;
  /** Byte offset into the policy text, when Cedar reports one. */
  offset?: number;
}

export type PolicyCheck = { ok: true } | { ok: false; diagnostics: CedarDiagnostic[] };

// Policies never see the object id: a fixed resource uid keeps decisions a function of the projection.
const RESOURCE = { type: 'Intel', id: 'intel' } as const;
const ACTION = { type: 'Action', id: 'release' } as const;

function buildCall(req: CedarRequest) {
  const principal = { type: 'Partner', id: req.partnerId };
  return {
    principal,
    action: ACTION,
    resource: RESOURCE,
    context: { agreement_state: req.agreementState },
    entities: [
      {
        uid: principal,
        attrs: { enabled: req.enabled, unmet_conditions: [...req.unmetConditions] },
        parents: [],
      },
      { uid: RESOURCE, attrs: { ...req.intel, labels: [...req.intel.labels] }, parents: [] },
    ],
  };
}

function toDiagnostics(errors: readonly cedar.DetailedError[], policyId?: string): CedarDiagnostic[] {
  return errors.map((e) => ({
    ...(policyId !== undefined && { policyId }),
    message: e.message,
    ...(e.help ? { help: e.help } : {}),
    ...(e.sourceLocations?.[0] ? { offset: e.sourceLocations[0].start } : {}),
  }));
}

function toAnswer(a: cedar.AuthorizationAnswer): CedarAnswer {
  if (a.type === 'failure') {
    return { decision: 'deny', policies: [], errors: a.errors.map((e) => e.message) };
  }
  const d = a.response.diagnostics;
  return {
    decision: a.response.decision,
    policies: [...d.reason].sort(),
    errors: d.errors.map((e) => `${e.policyId}: ${e.error.message}`),
  };
}

/** Validates policy text (one or many policies) against the release schema in strict mode. */
export function validatePolicies(policies: string | Record<string, string>): PolicyCheck {
  const answer = cedar.validate({ schema: CEDAR_SCHEMA, policies: { staticPolicies: policies } });
  if (answer.type === 'failure') return { ok: false, diagnostics: toDiagnostics(answer.errors) };
  if (answer.validationErrors.length === 0) return { ok: true };
  return {
    ok: false,
    diagnostics: answer.validationErrors.flatMap((v) => toDiagnostics([v.error], v.policyId)),
  };
}

/**
 * Authorises against policy sets parsed once per process (Cedar keeps them in the Wasm instance),
 * the fast path. Registering the same text twice returns the same handle.
 */
export class CedarEngine {
  static #schemaReady = false;
  static #handles = new Map<string, string>();

  constructor() {
    if (!CedarEngine.#schemaReady) {
      const r = cedar.preparseSchema(CEDAR_SCHEMA_NAME, CEDAR_SCHEMA);
      if (r.type !== 'success') throw new Error(`release schema does not parse: ${r.errors[0]?.message}`);
      CedarEngine.#schemaReady = true;
    }
  }

  /** Validates and pre-parses a policy set; the handle is then passed to `authorize`. */
  register(
    policies: Record<string, string>,
  ): { ok: true; handle: string } | { ok: false; diagnostics: CedarDiagnostic[] } {
    const key = JSON.stringify(policies);
    const known = CedarEngine.#handles.get(key);
    if (known !== undefined) return { ok: true, handle: known };
    const check = validatePolicies(policies);
    if (!check.ok) return check;
    const handle = `set-${CedarEngine.#handles.size + 1}`;
    const r = cedar.preparsePolicySet(handle, { staticPolicies: policies });
    if (r.type !== 'success') return { ok: false, diagnostics: toDiagnostics(r.errors) };
    CedarEngine.#handles.set(key, handle);
    return { ok: true, handle };
  }

  authorize(handle: string, req: CedarRequest): CedarAnswer {
    return toAnswer(
      cedar.statefulIsAuthorized({
        ...buildCall(req),
        preparsedPolicySetId: handle,
        preparsedSchemaName: CEDAR_SCHEMA_NAME,
        validateRequest: true,
      }),
    );
  }
}

/** The reference path: parses schema and policies on every call. Tests and the benchmark baseline use it. */
export function authorizeUncached(policies: Record<string, string>, req: CedarRequest): CedarAnswer {
  return toAnswer(
    cedar.isAuthorized({
      ...buildCall(req),
      policies: { staticPolicies: policies },
      schema: CEDAR_SCHEMA,
      validateRequest: true,
    }),
  );
}
