// Where webhooks may not go: the server's own and internal networks. Webhook URLs are typed by
// admins and delivery errors are shown back to them, so a URL such as http://127.0.0.1:6379/ or
// http://169.254.169.254/ (cloud metadata) would let them probe the internal network through the
// server. Checked after DNS resolution, on every address, and again at connect time for each delivery
// (the lookup below), so a name that later resolves elsewhere is caught too. webhookAllowPrivate
// turns it off (receivers on the same host or network, tests).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** The field message (and delivery error) for a URL that leads to such an address. */
export const PRIVATE_ADDRESS_PROBLEM = 'must not point to a loopback, private or link-local address (set webhookAllowPrivate to allow it)';

/** The error code a guarded lookup fails with. */
export const PRIVATE_ADDRESS_CODE = 'EHIKESHI_PRIVATE_ADDRESS';

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", with the unspecified 0.0.0.0
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, with cloud metadata at 169.254.169.254
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 3], // multicast, reserved and broadcast (224/4, 240/4)
] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['ff00::', 8], // multicast
] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address, else null. */
function embeddedIPv4(v6: string): string | null {
  // The URL parser writes the address canonically (RFC 5952), so the last 32 bits are at most two groups.
  const canonical = new URL(`http://[${v6}]/`).hostname.slice(1, -1);
  const m = /^(?:::ffff:|64:ff9b::)(?:(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,4}))?$/.exec(canonical);
  if (!m) return null;
  const n = (parseInt(m[1] ?? '0', 16) << 16 | parseInt(m[2] ?? '0', 16)) >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** True for an IP address a webhook may not be sent to (anything that is not an IP address counts as one). */
export function isPrivateAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(a);
  if (family === 4) return PRIVATE.check(a, 'ipv4');
  if (family !== 6) return true;
  try {
    const v4 = embeddedIPv4(a);
    return PRIVATE.check(a, 'ipv6') || (v4 !== null && PRIVATE.check(v4, 'ipv4'));
  } catch {
    return true;
  }
}

function privateAddressError(host: string, address: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${host} resolves to ${address}, a loopback, private or link-local address`), { code: PRIVATE_ADDRESS_CODE });
}

/**
 * A `lookup` for http(s).request that resolves as dns.lookup does but fails (code
 * PRIVATE_ADDRESS_CODE) when any address is private: the connection can only go where was checked.
 */
export const guardedLookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(privateAddressError(hostname, bad.address));
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}) as unknown as LookupFunction;

/**
 * Why a webhook may not go to this (well-formed) URL's host: it is, or resolves to, a private
 * address. A name that does not resolve is no problem here: the receiver may not exist yet, and a
 * delivery checks again.
 */
export async function privateTargetProblem(url: string): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isPrivateAddress(host) ? PRIVATE_ADDRESS_PROBLEM : null;
  let addresses: LookupAddress[];
  try {
    addresses = await dnsLookupAll(host, { all: true });
  } catch {
    return null;
  }
  return addresses.some((a) => isPrivateAddress(a.address)) ? PRIVATE_ADDRESS_PROBLEM : null;
}
