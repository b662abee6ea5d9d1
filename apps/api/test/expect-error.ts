import { expect } from 'vitest';
import type { TestResponse } from './harness.js';

/** The contract's error shape: `{"error": {type, message, code?, param?, decline_code?, payment?}}`. */
const ERROR_KEYS = ['type', 'code', 'message', 'param', 'decline_code', 'payment'];
/** What a stack trace or a source path looks like: never in an answer. */
export const STACK = /\n\s+at |\bat \S+ \(|node_modules|\.[jt]s:\d+/;

export function expectError(
  res: TestResponse,
  status: number,
  type: string,
  fields: Record<string, unknown> = {},
) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(['error']);
  const e = res.body.error as Record<string, unknown>;
  expect(e.type).toBe(type);
  expect(typeof e.message).toBe('string');
  expect((e.message as string).length).toBeGreaterThan(0);
  for (const [k, v] of Object.entries(e)) {
    expect(ERROR_KEYS).toContain(k);
    expect(typeof v).toBe('string');
  }
  expect(e).toMatchObject(fields);
  expect(res.text).not.toMatch(STACK);
}
