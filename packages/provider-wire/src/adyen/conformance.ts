import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Checks a body against Adyen's own OpenAPI descriptions (specs/ at the repository root), for
 * tests of the emulator (what it answers) and of the connector (what it sends).
 */
const SPECS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../specs/adyen');

interface Spec {
  components: { schemas: Record<string, unknown> };
  webhooks?: Record<
    string,
    { post: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }
  >;
}
const load = (file: string) => JSON.parse(readFileSync(resolve(SPECS, file), 'utf8')) as Spec;
const checkout = load('CheckoutService-v71.json');
const webhooks = load('Webhooks-v1.json');

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'checkout', components: checkout.components });
ajv.addSchema({ $id: 'webhooks', components: webhooks.components });

function errorsOf(ref: string, value: unknown): string[] {
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema ${ref}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Errors of `value` against a Checkout API v71 schema (empty when valid). */
export function schemaErrors(schema: string, value: unknown): string[] {
  return errorsOf(`checkout#/components/schemas/${schema}`, value);
}

/** Errors of a webhook body against the request schema Adyen publishes for its event code. */
export function webhookErrors(eventCode: string, body: unknown): string[] {
  const ref = webhooks.webhooks?.[`/${eventCode}`]?.post.requestBody.content['application/json']?.schema.$ref;
  if (!ref) throw new Error(`no webhook ${eventCode}`);
  return errorsOf(`webhooks${ref}`, body);
}
