import type { ObjectSummary } from '../../src/store/console-shapes.js';

export type { ObjectSummary };

/** The console API client: same-origin JSON, the CSRF token on every POST. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf = '';
export function setCsrf(token: string): void {
  csrf = token;
}

export async function api<T>(path: string, body?: unknown): Promise<T> {
  const post = body !== undefined;
  const res = await fetch(path, {
    method: post ? 'POST' : 'GET',
    credentials: 'same-origin',
    headers: post ? { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } : {},
    ...(post && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (data ?? {}) as { code?: string; message?: string };
    throw new ApiError(res.status, e.code ?? 'error', e.message ?? `HTTP ${res.status}`);
  }
  return data as T;
}

export type Permission = string;

export interface Me {
  name: string;
  role: string;
  permissions: Permission[];
  csrf: string;
}

export interface GraphEdge {
  source: string;
  target: string;
  label: string;
}

export interface Graph {
  nodes: ObjectSummary[];
  edges: GraphEdge[];
}

export interface Reason {
  code: string;
  message: string;
}
