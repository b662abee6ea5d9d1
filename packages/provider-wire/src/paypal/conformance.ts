import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Checks a body against PayPal's own OpenAPI descriptions (specs/paypal at the repository root),
 * for tests of the emulator (what it answers) and of the connector (what it sends). PayPal's
 * files are OpenAPI 3.0 (JSON Schema draft-04 dialect), hence Ajv's default draft.
 */
const SPECS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../specs/paypal');

type Method = 'get' | 'post';
interface Operation {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Spec {
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: { schemas: Record<string, unknown> };
}

const files = {
  orders: 'checkout_orders_v2.json',
  payments: 'payments_payment_v2.json',
  webhooks: 'notifications_webhooks_v1.json',
} as const;
export type PayPalApi = keyof typeof files;

// PayPal's patterns are ECMA-262 without the u flag (its email pattern is invalid with it).
// Formats PayPal names after its internal validators (ppaas_common_country_code_v2, …) are left
// to the schemas' patterns and lengths, quietly.
const ajv = new Ajv({
  strict: false,
  allErrors: true,
  unicodeRegExp: false,
  logger: { log: () => {}, warn: () => {}, error: console.error },
});
addFormats.default(ajv);
const specs = {} as Record<PayPalApi, Spec>;
for (const [api, file] of Object.entries(files) as [PayPalApi, string][]) {
  specs[api] = JSON.parse(readFileSync(resolve(SPECS, file), 'utf8')) as Spec;
  ajv.addSchema({ $id: api, components: specs[api].components });
}

const rootedSchemas = new Map<unknown, unknown>();

/** The spec's `#/components/...` references, rooted in the schema added under `api`. */
function rooted(api: PayPalApi, schema: unknown): unknown {
  if (!rootedSchemas.has(schema)) rootedSchemas.set(schema, rewrite(api, schema));
  return schema;
}

function rewrite(api: PayPalApi, schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema), (key, value) =>
    key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${api}${value}` : value,
  );
}

const compiled = new Map<unknown, ReturnType<typeof ajv.compile>>();

function check(schema: unknown, value: unknown): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(rootedSchemas.get(schema) as object);
    compiled.set(schema, validate);
  }
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Errors of `value` against a named component schema of one of PayPal's APIs (empty when valid). */
export function schemaErrors(api: PayPalApi, schema: string, value: unknown): string[] {
  const validate = ajv.getSchema(`${api}#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema} in ${api}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/**
 * Errors of a response body against what the spec declares for that path, method and status
 * (`path` as the spec writes it, e.g. `/v2/checkout/orders/{id}/capture`). A status the spec
 * does not declare for the operation is an error too.
 */
export function responseErrors(
  api: PayPalApi,
  method: Method,
  path: string,
  status: number,
  body: unknown,
): string[] {
  const operation = specs[api].paths[path]?.[method];
  if (!operation) throw new Error(`no operation ${method} ${path} in ${api}`);
  const response = operation.responses[String(status)] ?? operation.responses.default;
  if (!response) return [`status ${status} is not declared for ${method} ${path}`];
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return body === undefined || body === '' ? [] : [`${method} ${path} ${status} has no body`];
  return check(rooted(api, schema), body);
}

/** Errors of a request body against the spec's request schema for that operation. */
export function requestErrors(api: PayPalApi, method: Method, path: string, body: unknown): string[] {
  const schema = specs[api].paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`no request body for ${method} ${path} in ${api}`);
  return check(rooted(api, schema), body);
}
