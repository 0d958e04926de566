import { clientNetwork } from './client-network';

describe('clientNetwork: what rate limits count a client address as (security review item 2)', () => {
  it('an IPv4 address as it is', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('10.0.0.1')).toBe('10.0.0.1');
  });

  it('an IPv4-mapped IPv6 address as the IPv4 address (Node reports IPv4 clients so on a dual-stack socket)', () => {
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });

  it('an IPv6 address as its /64: every address of one subscriber’s network is one client', () => {
    const network = clientNetwork('2001:db8:1:2:3:4:5:6');
    expect(network).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8:1:2::1')).toBe(network);
    expect(clientNetwork('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe(network);
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80::/64');
  });

  it('another /64 is another client', () => {
    expect(clientNetwork('2001:db8:1:3::1')).not.toBe(clientNetwork('2001:db8:1:2::1'));
  });

  it('loopback stays one address; a missing one counts as unknown', () => {
    expect(clientNetwork('::1')).toBe('::1');
    expect(clientNetwork(undefined)).toBe('unknown');
    expect(clientNetwork('')).toBe('unknown');
  });
});
