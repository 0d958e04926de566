import { normalizeIp } from '@nestjs/throttler';

/** How much of an IPv6 address one subscriber holds: a /64 (a host picks any address in it at will). */
export const IPV6_SUBNET_PREFIX = 64;

/**
 * What every rate limit counts a client address as: an IPv4 address as it is (an IPv4-mapped
 * IPv6 one, `::ffff:a.b.c.d`, as that IPv4 address), an IPv6 address as its /64 network
 * (`2001:db8:1:2::/64`, zone ids dropped; loopback stays `::1`). The address is the one Express
 * reports (`req.ip`, see TRUST_PROXY); one that is missing counts as `unknown`.
 */
export function clientNetwork(ip: string | undefined | null): string {
  return normalizeIp(ip ?? '', IPV6_SUBNET_PREFIX) || 'unknown';
}
