import { describe, expect, it } from 'vitest';
import type { RevealedCard } from '../tokens/service.js';
import { checkAvailable, findPlaceholders, substitute } from './placeholders.js';

const card = (over: Partial<RevealedCard> = {}): Map<string, RevealedCard> =>
  new Map([
    [
      'tok_1',
      {
        number: '4111111111111111',
        expMonth: 3,
        expYear: 2031,
        holderName: null,
        cvc: null,
        cvcHeld: false,
        ...over,
      },
    ],
  ]);

describe('optional placeholders', () => {
  it('are found as optional, and a missing one is no refusal', () => {
    const found = findPlaceholders(['{{tok_1.number}} {{ tok_1.holder_name? }}']);
    expect(found).toEqual([
      { tokenId: 'tok_1', field: 'number', optional: false },
      { tokenId: 'tok_1', field: 'holder_name', optional: true },
    ]);
    expect(() => checkAvailable(found, card())).not.toThrow();
    expect(() =>
      checkAvailable([{ tokenId: 'tok_1', field: 'holder_name', optional: false }], card()),
    ).toThrow(/holder name/);
  });

  it('drop the JSON member they are the whole value of, at any depth and in arrays of objects', () => {
    const body = JSON.stringify({
      a: '{{tok_1.cvc?}}',
      nested: { keep: 1.5, name: '{{tok_1.holder_name?}}', number: '{{tok_1.number}}' },
      list: [{ cvc: '{{tok_1.cvc?}}', n: null }],
    });
    expect(JSON.parse(substitute(body, card(), 'json'))).toEqual({
      nested: { keep: 1.5, number: '4111111111111111' },
      list: [{ n: null }],
    });
  });

  it('keep every other member as JSON.parse read it, "__proto__" included', () => {
    const body = '{"__proto__":{"x":1},"h":"{{tok_1.holder_name?}}","n":"{{tok_1.number}}"}';
    expect(substitute(body, card(), 'json')).toBe('{"__proto__":{"x":1},"n":"4111111111111111"}');
  });

  it('are filled in, escaped for JSON, when the card has them; the body is then left as written', () => {
    const body = '{ "holderName" : "{{tok_1.holder_name?}}" }';
    expect(substitute(body, card({ holderName: 'A "B"' }), 'json')).toBe('{ "holderName" : "A \\"B\\"" }');
  });

  it('become the empty string inside a longer string, in a form, in a header, or in a body that is not JSON', () => {
    expect(JSON.parse(substitute('{"s":"by {{tok_1.holder_name?}}"}', card(), 'json'))).toEqual({ s: 'by ' });
    expect(substitute('cvc={{tok_1.cvc?}}&n={{tok_1.number}}', card(), 'form')).toBe(
      'cvc=&n=4111111111111111',
    );
    expect(substitute('{{tok_1.cvc?}}', card(), 'plain')).toBe('');
    expect(substitute('not json {{tok_1.cvc?}}', card(), 'json')).toBe('not json ');
  });

  it('leave required placeholders refused as before', () => {
    expect(() => substitute('{"c":"{{tok_1.cvc}}","h":"{{tok_1.holder_name?}}"}', card(), 'json')).toThrow(
      /CVC/,
    );
  });
});
