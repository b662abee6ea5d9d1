import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export type WebhookUrlCheck = { ok: true } | { ok: false; reason: string };

/** A checked destination; `address` is set in live mode: the IP the request must connect to. */
export type WebhookTarget = { ok: true; address: LookupAddress | null } | { ok: false; reason: string };

/** Every address a host name resolves to (A and AAAA). Replaceable so tests need no DNS. */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface WebhookUrlCheckOptions {
  livemode: boolean;
  resolve?: HostResolver;
}

const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

// Why an address is refused, in words a merchant understands. Anything ipaddr.js does not
// classify as plain 'unicast' is refused, including ranges not listed here (6to4, NAT64…):
// they can tunnel to private networks and no real webhook receiver needs them.
const rangeNames: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  linkLocal: 'a link-local address (such as cloud metadata services)',
  uniqueLocal: 'a private network (unique local) address',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'the unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

/** Why `address` may not receive live webhooks, or null when it is a public unicast address. */
export function nonPublicReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  // process() turns ::ffff:10.0.0.1 into 10.0.0.1, so a mapped address is judged as IPv4.
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return null;
  return rangeNames[range] ?? `a special-purpose address (${range})`;
}

/**
 * Validates a webhook URL before an endpoint is saved (the api) and again before each live
 * delivery, because DNS can change between the two. Test mode goes anywhere a developer
 * points it, localhost included; live mode must reach the public internet over https, so that
 * merchant-supplied URLs cannot be used to probe payin's own network (OWASP SSRF prevention).
 */
export async function checkWebhookUrl(url: string, opts: WebhookUrlCheckOptions): Promise<WebhookUrlCheck> {
  const target = await resolveWebhookTarget(url, opts);
  return target.ok ? { ok: true } : target;
}

/**
 * Same checks as checkWebhookUrl, and in live mode also the address that passed them. The
 * delivery connects to that address and no other (see pinnedLookup): resolving again at connect
 * time would let a host answer with a public IP to the check and a private one to the request
 * (DNS rebinding).
 */
export async function resolveWebhookTarget(
  url: string,
  opts: WebhookUrlCheckOptions,
): Promise<WebhookTarget> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'The URL is not valid.' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, reason: 'Webhook URLs must use https (or http in test mode).' };
  }
  if (!opts.livemode) return { ok: true, address: null };

  if (parsed.protocol !== 'https:') return { ok: false, reason: 'Live mode webhook URLs must use https.' };
  if (parsed.username || parsed.password) {
    return { ok: false, reason: 'Webhook URLs must not contain a user name or password.' };
  }
  // WHATWG URL already normalised forms like http://2130706433/ to 127.0.0.1; IPv6 keeps brackets.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: LookupAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = await (opts.resolve ?? systemResolver)(host);
    } catch {
      return { ok: false, reason: `The host ${host} could not be resolved.` };
    }
    if (addresses.length === 0) return { ok: false, reason: `The host ${host} could not be resolved.` };
  }
  // Every address must be public: a client may connect to any of them.
  for (const { address } of addresses) {
    const why = nonPublicReason(address);
    if (why) {
      const shown = address === host ? host : `${host} resolves to ${address}, which`;
      return { ok: false, reason: `${shown} is ${why}; live mode webhooks must go to a public address.` };
    }
  }
  return { ok: true, address: addresses[0] ?? null };
}
