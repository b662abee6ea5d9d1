import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** Validates answers against the response schemas of Adyen's own CheckoutService-v71.json. */
const SPEC = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/specs/adyen/CheckoutService-v71.json',
);

const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as { components: { schemas: Record<string, unknown> } };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'checkout', components: spec.components });

export function schemaErrors(schema: string, value: unknown): string[] {
  const validate = ajv.getSchema(`checkout#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
