import { errors, maskCardNumbers } from '@payin/core';
import { Agent, type Dispatcher } from 'undici';
import type { AuditLog } from '../audit/log.js';
import type { VaultDb } from '../db/connect.js';
import type { RevealedCard, TokenService } from '../tokens/service.js';
import type { ProxyAllowlist } from './allowlist.js';
import { checkAvailable, type Encoding, findPlaceholders, substitute } from './placeholders.js';

export interface ProxyInput {
  merchant: string;
  livemode: boolean;
  request: {
    url: string;
    method: string;
    headers: Record<string, string>;
    body?: string | undefined;
  };
}

export interface ProxyAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that describe one hop, not the message: never forwarded either way. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'content-encoding',
]);

/** Connection failures that happen before a byte of the request left: the provider saw nothing. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * The detokenizing forward proxy: a connector's provider request with `{{tok_….number}}`
 * placeholders goes out with the card filled in, to an allowlisted origin only, and its answer
 * comes back with any card number masked. The api never holds the card; the vault never keeps
 * the request.
 */
export class CardProxy {
  constructor(
    private readonly db: VaultDb,
    private readonly tokens: TokenService,
    private readonly allowlist: ProxyAllowlist,
    private readonly audit: AuditLog,
    private readonly timeoutMs: number,
    /**
     * Keep-alive connections to the providers, reused across requests; undici's own request
     * API (fetch's WHATWG streams cost about a third of the proxy's CPU). Redirects are never
     * followed: a provider's 3xx goes back to the api as it came.
     */
    private readonly http: Dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 256 }),
  ) {}

  async forward(input: ProxyInput, actor: string): Promise<ProxyAnswer> {
    const { request } = input;
    const target = this.allowlist.check(request.url);
    if (findPlaceholders([request.url, decodedOrAsIs(request.url)]).length > 0) {
      throw errors.proxyRefused(
        'placeholder_in_url',
        'Card data cannot travel in a URL (it would be logged); use the body.',
      );
    }
    const headerEntries = Object.entries(request.headers).filter(
      ([name]) => !HOP_BY_HOP.has(name.toLowerCase()),
    );
    const body = request.body ?? '';
    const placeholders = findPlaceholders([...headerEntries.map(([, v]) => v), body]);
    const tokenIds = [...new Set(placeholders.map((p) => p.tokenId))];

    const cards = new Map<string, RevealedCard>();
    for (const tokenId of tokenIds) {
      cards.set(tokenId, await this.tokens.reveal(input.merchant, input.livemode, tokenId, 'request'));
    }
    // Every other field is checked before a CVC is taken: a CVC serves once, and a request
    // refused for, say, a missing holder name must leave it to the request that follows.
    checkAvailable(
      placeholders.filter((p) => p.field !== 'cvc'),
      cards,
    );
    for (const tokenId of new Set(placeholders.filter((p) => p.field === 'cvc').map((p) => p.tokenId))) {
      const card = cards.get(tokenId);
      if (card?.cvcHeld) card.cvc = await this.tokens.takeCvc(tokenId);
    }
    const contentType = headerEntries.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
    const encoding: Encoding = /json/i.test(contentType)
      ? 'json'
      : /x-www-form-urlencoded/i.test(contentType)
        ? 'form'
        : 'plain';
    const headers = Object.fromEntries(headerEntries.map(([n, v]) => [n, substitute(v, cards, 'plain')]));
    const outgoing = substitute(body, cards, encoding);

    const started = performance.now();
    const detail = { host: target.host, method: request.method.toUpperCase(), path: target.pathname };
    let status: number;
    let responseHeaders: Record<string, string>;
    let text: string;
    try {
      const method = request.method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      const response = await this.http.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method,
        headers,
        body: method === 'GET' ? null : outgoing,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.statusCode;
      responseHeaders = headersOf(response.headers);
      text = await response.body.text();
    } catch (error) {
      const code =
        (error as { code?: string; cause?: { code?: string } }).code ??
        (error as { cause?: { code?: string } }).cause?.code ??
        '';
      const notSent = NOT_SENT.has(code);
      await this.audit.record(this.db, {
        actor,
        action: 'proxy.forwarded',
        merchantId: input.merchant,
        tokenId: tokenIds[0] ?? null,
        outcome: notSent ? 'unreachable' : 'no_answer',
        detail: { ...detail, tokens: tokenIds, error: code || (error as Error).name },
      });
      throw notSent
        ? errors.upstreamFailed(
            'upstream_unreachable',
            `Could not connect to ${target.host}; nothing was sent.`,
          )
        : errors.upstreamFailed(
            'upstream_timeout',
            `No complete answer from ${target.host} within ${this.timeoutMs} ms; the request may have been received.`,
          );
    }
    const answer: ProxyAnswer = { status, headers: responseHeaders, body: maskRevealed(text, cards) };
    this.audit.recordInBackground(this.db, {
      actor,
      action: 'proxy.forwarded',
      merchantId: input.merchant,
      tokenId: tokenIds[0] ?? null,
      outcome: String(status),
      detail: { ...detail, tokens: tokenIds, ms: Math.round(performance.now() - started) },
    });
    return answer;
  }
}

/**
 * A provider should never echo card data, but if one does it stops here: any Luhn-valid number
 * is masked, and the exact card numbers and CVCs just sent are masked wherever they appear as a
 * whole JSON string or number.
 */
function maskRevealed(text: string, cards: Map<string, RevealedCard>): string {
  let out = maskCardNumbers(text);
  for (const card of cards.values()) {
    out = out.split(card.number).join(`[card ••••${card.number.slice(-4)}]`);
    if (card.cvc) out = out.replace(new RegExp(`(["':=]\\s*"?)${card.cvc}(?=["',}\\s&]|$)`, 'g'), '$1***');
  }
  return out;
}

/** undici gives repeated headers as arrays; the answer carries them joined, as fetch would. */
function headersOf(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** A URL with its %-escapes undone, or as it came when they are malformed (then it is no placeholder either). */
function decodedOrAsIs(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
