import { createHmac, randomBytes } from 'node:crypto';
import { hmacValidator } from '@adyen/api-library';
import { webhookErrors } from '@payin/provider-wire/adyen/conformance';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AdyenNotificationItem,
  adyenFact,
  eventKey,
  notificationItems,
  signingString,
  verifyNotification,
} from './webhooks.js';

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

/** Signs as Adyen documents it, written out here rather than taken from the code under test. */
function sign(fields: AdyenNotificationItem, hexKey: string): string {
  const data = [
    fields.pspReference,
    fields.originalReference ?? '',
    fields.merchantAccountCode,
    fields.merchantReference,
    String(fields.amount.value),
    fields.amount.currency,
    fields.eventCode,
    fields.success,
  ].join(':');
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(data, 'utf8').digest('base64');
}

function signed(item: AdyenNotificationItem, hexKey = HMAC_KEY): AdyenNotificationItem {
  return { ...item, additionalData: { hmacSignature: sign(item, hexKey) } };
}

const authorisation: AdyenNotificationItem = {
  eventCode: 'AUTHORISATION',
  eventDate: '2026-11-25T10:00:00+01:00',
  merchantAccountCode: 'PayinECOM',
  merchantReference: 'att_123',
  pspReference: 'QFQTPCQ8HXSKGK82',
  amount: { value: 1999, currency: 'EUR' },
  paymentMethod: 'visa',
  reason: '012345:1111:03/2030',
  success: 'true',
};

const capture: AdyenNotificationItem = {
  ...authorisation,
  eventCode: 'CAPTURE',
  merchantReference: 'cap_1',
  pspReference: 'V4HZ4RBFJGXXGN82',
  originalReference: 'QFQTPCQ8HXSKGK82',
  reason: undefined,
};

describe('Adyen webhook signature', () => {
  it('signs the eight documented fields in order, an absent originalReference empty', () => {
    expect(signingString(authorisation)).toBe(
      'QFQTPCQ8HXSKGK82::PayinECOM:att_123:1999:EUR:AUTHORISATION:true',
    );
    expect(signingString(capture)).toBe(
      'V4HZ4RBFJGXXGN82:QFQTPCQ8HXSKGK82:PayinECOM:cap_1:1999:EUR:CAPTURE:true',
    );
  });

  it('accepts an item signed with the key', () => {
    expect(verifyNotification(signed(authorisation), HMAC_KEY)).toBe(true);
    expect(verifyNotification(signed(capture), HMAC_KEY)).toBe(true);
    // The Customer Area shows the key in upper case; lower case is the same key.
    expect(verifyNotification(signed(authorisation), HMAC_KEY.toLowerCase())).toBe(true);
  });

  it('refuses a tampered amount', () => {
    const item = signed(authorisation);
    expect(verifyNotification({ ...item, amount: { value: 1, currency: 'EUR' } }, HMAC_KEY)).toBe(false);
    expect(verifyNotification({ ...item, amount: { value: 1999, currency: 'USD' } }, HMAC_KEY)).toBe(false);
  });

  it('refuses an item signed with another key', () => {
    const other = randomBytes(32).toString('hex');
    expect(verifyNotification(signed(authorisation, other), HMAC_KEY)).toBe(false);
    expect(verifyNotification(signed(authorisation), other)).toBe(false);
  });

  it('refuses an item without a signature, or with a signature that is not one', () => {
    expect(verifyNotification(authorisation, HMAC_KEY)).toBe(false);
    expect(verifyNotification({ ...authorisation, additionalData: {} }, HMAC_KEY)).toBe(false);
    expect(verifyNotification({ ...authorisation, additionalData: { hmacSignature: '' } }, HMAC_KEY)).toBe(
      false,
    );
    expect(
      verifyNotification({ ...authorisation, additionalData: { hmacSignature: 'c2lnbmF0dXJl' } }, HMAC_KEY),
    ).toBe(false);
    const valid = sign(authorisation, HMAC_KEY);
    for (const junk of [`!!${valid}`, valid.replace(/=$/, ''), `${valid} `]) {
      expect(
        verifyNotification({ ...authorisation, additionalData: { hmacSignature: junk } }, HMAC_KEY),
      ).toBe(false);
    }
    expect(verifyNotification({ ...authorisation, additionalData: { hmacSignature: valid } }, HMAC_KEY)).toBe(
      true,
    );
    const truncated = sign(authorisation, HMAC_KEY).slice(0, 20);
    expect(
      verifyNotification({ ...authorisation, additionalData: { hmacSignature: truncated } }, HMAC_KEY),
    ).toBe(false);
  });

  it('refuses every item when the key is not hex', () => {
    const item = signed(authorisation);
    expect(verifyNotification(item, 'not-a-hex-key')).toBe(false);
    expect(verifyNotification(item, '')).toBe(false);
    expect(verifyNotification(item, `${HMAC_KEY}0`)).toBe(false); // odd length
    expect(verifyNotification(item, `${HMAC_KEY.slice(0, -2)}zz`)).toBe(false);
  });

  const signedFields = [
    'pspReference',
    'originalReference',
    'merchantAccountCode',
    'merchantReference',
    'value',
    'currency',
    'eventCode',
    'success',
  ] as const;

  const itemArb = fc.record({
    pspReference: fc.string({ minLength: 1, maxLength: 20 }),
    originalReference: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    merchantAccountCode: fc.string({ maxLength: 20 }),
    merchantReference: fc.string({ maxLength: 30 }),
    value: fc.nat(),
    currency: fc.string({ maxLength: 3 }),
    eventCode: fc.constantFrom('AUTHORISATION', 'CAPTURE', 'CAPTURE_FAILED', 'REFUND', 'CANCELLATION'),
    success: fc.constantFrom('true', 'false'),
  });
  type Fields = typeof itemArb extends fc.Arbitrary<infer T> ? T : never;

  const toItem = (f: Fields): AdyenNotificationItem => ({
    eventCode: f.eventCode as AdyenNotificationItem['eventCode'],
    eventDate: '2026-11-25T10:00:00+01:00',
    merchantAccountCode: f.merchantAccountCode,
    merchantReference: f.merchantReference,
    pspReference: f.pspReference,
    ...(f.originalReference === undefined ? {} : { originalReference: f.originalReference }),
    amount: { value: f.value, currency: f.currency },
    success: f.success,
  });

  it('breaks when any one of the signed fields changes', () => {
    const change = fc
      .tuple(itemArb, fc.constantFrom(...signedFields), fc.string({ maxLength: 20 }), fc.nat())
      .filter(([fields, name, text, number]) => {
        if (name === 'value') return number !== fields.value;
        // An absent originalReference signs as empty: setting it to '' changes nothing signed.
        if (name === 'originalReference') return text !== (fields.originalReference ?? '');
        return text !== fields[name];
      });
    fc.assert(
      fc.property(
        change,
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        ([fields, name, text, number], key) => {
          const hexKey = Buffer.from(key).toString('hex');
          const item = signed(toItem(fields), hexKey);
          expect(verifyNotification(item, hexKey)).toBe(true);
          const tampered: AdyenNotificationItem =
            name === 'value'
              ? { ...item, amount: { ...item.amount, value: number } }
              : name === 'currency'
                ? { ...item, amount: { ...item.amount, currency: text } }
                : ({ ...item, [name]: text } as AdyenNotificationItem);
          expect(verifyNotification(tampered, hexKey)).toBe(false);
        },
      ),
    );
  });

  it("agrees with Adyen's own library on signed and tampered items", () => {
    const validator = new hmacValidator();
    fc.assert(
      fc.property(
        itemArb,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.boolean(),
        (fields, key, tamper) => {
          const hexKey = Buffer.from(key).toString('hex').toUpperCase();
          const item = signed(toItem(fields), hexKey);
          const given = tamper ? { ...item, merchantReference: `${item.merchantReference}x` } : item;
          const ours = verifyNotification(given, hexKey);
          expect(ours).toBe(!tamper);
          expect(validator.validateHMAC(given as never, hexKey)).toBe(ours);
          // And a signature made by the library is accepted here.
          const theirs = validator.calculateHmac(toItem(fields) as never, hexKey);
          expect(
            verifyNotification({ ...toItem(fields), additionalData: { hmacSignature: theirs } }, hexKey),
          ).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('Adyen webhook event keys', () => {
  it('are the same for a redelivery of the same notification', () => {
    const first = signed(capture);
    const again = { ...signed(capture), eventDate: '2026-11-25T10:05:00+01:00' };
    expect(eventKey(again)).toBe(eventKey(first));
  });

  it('differ between a CAPTURE and the CAPTURE_FAILED that follows it', () => {
    expect(eventKey({ ...capture, eventCode: 'CAPTURE_FAILED' })).not.toBe(eventKey(capture));
  });

  it('differ between a success and a failure, and between payments', () => {
    expect(eventKey({ ...authorisation, success: 'false' })).not.toBe(eventKey(authorisation));
    expect(eventKey({ ...authorisation, pspReference: 'OTHER' })).not.toBe(eventKey(authorisation));
    expect(eventKey({ ...capture, pspReference: 'SECOND_CAPTURE' })).not.toBe(eventKey(capture));
  });
});

describe('Adyen notifications as facts', () => {
  it('reads a successful AUTHORISATION for the attempt named as merchant reference', () => {
    expect(adyenFact(authorisation)).toEqual({
      kind: 'authorization',
      attemptId: 'att_123',
      providerReference: 'QFQTPCQ8HXSKGK82',
      succeeded: true,
    });
  });

  it('reads a refused AUTHORISATION with its reason as a decline', () => {
    expect(adyenFact({ ...authorisation, success: 'false', reason: 'Not enough balance' })).toEqual({
      kind: 'authorization',
      attemptId: 'att_123',
      providerReference: 'QFQTPCQ8HXSKGK82',
      succeeded: false,
      error: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'The card was declined.' },
    });
    expect(adyenFact({ ...authorisation, success: 'false', reason: 'CVC Declined' })).toMatchObject({
      error: { declineCode: 'incorrect_cvc' },
    });
    expect(adyenFact({ ...authorisation, success: 'false', reason: '3D Not Authenticated' })).toMatchObject({
      error: { code: 'authentication_failed', declineCode: 'authentication_required' },
    });
    expect(adyenFact({ ...authorisation, success: 'false', reason: undefined })).toMatchObject({
      succeeded: false,
      error: { code: 'card_declined', declineCode: 'generic_decline' },
    });
  });

  it('reads CAPTURE and CAPTURE_FAILED as the capture named as merchant reference', () => {
    expect(adyenFact(capture)).toEqual({
      kind: 'capture',
      captureId: 'cap_1',
      providerReference: 'V4HZ4RBFJGXXGN82',
      succeeded: true,
      reason: undefined,
    });
    expect(
      adyenFact({ ...capture, success: 'false', reason: 'Insufficient balance on payment' }),
    ).toMatchObject({
      kind: 'capture',
      succeeded: false,
      reason: 'Insufficient balance on payment',
    });
    // Adyen sends CAPTURE_FAILED with success "true": the event itself is the failure.
    expect(adyenFact({ ...capture, eventCode: 'CAPTURE_FAILED' })).toEqual({
      kind: 'capture',
      captureId: 'cap_1',
      providerReference: 'V4HZ4RBFJGXXGN82',
      succeeded: false,
      reason: 'CAPTURE_FAILED',
    });
  });

  it('reads REFUND, REFUND_FAILED and REFUNDED_REVERSED as the refund named as merchant reference', () => {
    const refund: AdyenNotificationItem = { ...capture, eventCode: 'REFUND', merchantReference: 're_1' };
    expect(adyenFact(refund)).toEqual({
      kind: 'refund',
      refundId: 're_1',
      providerReference: 'V4HZ4RBFJGXXGN82',
      succeeded: true,
      reason: undefined,
    });
    expect(adyenFact({ ...refund, success: 'false', reason: 'Transaction not refundable' })).toMatchObject({
      kind: 'refund',
      succeeded: false,
    });
    expect(adyenFact({ ...refund, eventCode: 'REFUND_FAILED' })).toEqual({
      kind: 'refund',
      refundId: 're_1',
      providerReference: 'V4HZ4RBFJGXXGN82',
      succeeded: false,
      reason: 'REFUND_FAILED',
    });
    expect(adyenFact({ ...refund, eventCode: 'REFUNDED_REVERSED', reason: 'Returned by bank' })).toEqual({
      kind: 'refund',
      refundId: 're_1',
      providerReference: 'V4HZ4RBFJGXXGN82',
      succeeded: false,
      reason: 'Returned by bank',
    });
  });

  it('reads CANCELLATION as the cancellation of the attempt named as merchant reference', () => {
    const cancellation: AdyenNotificationItem = {
      ...capture,
      eventCode: 'CANCELLATION',
      merchantReference: 'att_123',
    };
    expect(adyenFact(cancellation)).toEqual({
      kind: 'cancellation',
      attemptId: 'att_123',
      providerReference: 'V4HZ4RBFJGXXGN82',
      succeeded: true,
    });
    expect(adyenFact({ ...cancellation, success: 'false' })).toMatchObject({ succeeded: false });
  });

  it('ignores events it does not act on', () => {
    expect(adyenFact({ ...authorisation, eventCode: 'REPORT_AVAILABLE' })).toEqual({
      kind: 'ignored',
      description: 'REPORT_AVAILABLE is not acted on',
    });
    expect(adyenFact({ ...authorisation, eventCode: 'CHARGEBACK' })).toMatchObject({ kind: 'ignored' });
  });

  it('reads nothing from what is not an item', () => {
    expect(adyenFact(undefined)).toBeUndefined();
    expect(adyenFact(null)).toBeUndefined();
    expect(adyenFact('AUTHORISATION')).toBeUndefined();
    expect(adyenFact({ eventCode: 'AUTHORISATION' })).toBeUndefined();
    expect(adyenFact({ merchantReference: 'att_1' })).toBeUndefined();
  });
});

describe('Adyen webhook bodies', () => {
  const body = {
    live: 'false',
    notificationItems: [
      { NotificationRequestItem: signed(authorisation) },
      { NotificationRequestItem: signed(capture) },
    ],
  };

  it('take the items of a body of the documented shape', () => {
    expect(
      webhookErrors('AUTHORISATION', { ...body, notificationItems: [body.notificationItems[0]] }),
    ).toEqual([]);
    const items = notificationItems(body);
    expect(items?.map((i) => i.eventCode)).toEqual(['AUTHORISATION', 'CAPTURE']);
    expect(items?.every((i) => verifyNotification(i, HMAC_KEY))).toBe(true);
  });

  it('refuse malformed bodies', () => {
    const item = signed(authorisation);
    const withItem = (entry: unknown) => ({ live: 'false', notificationItems: [entry] });
    for (const malformed of [
      undefined,
      null,
      'notificationItems',
      42,
      {},
      { notificationItems: [] },
      { notificationItems: 'x' },
      { notificationItems: { NotificationRequestItem: item } },
      { notificationItems: [null] },
      withItem({}),
      withItem(item), // not wrapped in NotificationRequestItem
      withItem({ NotificationRequestItem: null }),
      withItem({ NotificationRequestItem: 'item' }),
      withItem({ NotificationRequestItem: { ...item, pspReference: 123 } }),
      withItem({ NotificationRequestItem: { ...item, eventCode: undefined } }),
      withItem({ NotificationRequestItem: { ...item, success: true } }),
      withItem({ NotificationRequestItem: { ...item, amount: undefined } }),
      withItem({ NotificationRequestItem: { ...item, amount: '1999' } }),
      // One bad item spoils the batch.
      { notificationItems: [{ NotificationRequestItem: item }, { NotificationRequestItem: {} }] },
    ]) {
      expect(notificationItems(malformed), JSON.stringify(malformed) ?? String(malformed)).toBeUndefined();
    }
  });
});
