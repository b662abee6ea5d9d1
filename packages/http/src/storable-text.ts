/**
 * Text PostgreSQL can store and JSON can carry: no NUL characters, no unpaired UTF-16
 * surrogates. A JSON Schema `pattern`, so schemas refuse such strings with a 400.
 */
export const STORABLE_TEXT = '^(?:[^\\u0000\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$';
