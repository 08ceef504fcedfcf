/**
 * The egress allow-list: one failing and one passing case per rule, each failure naming tenant,
 * field, value, what is allowed and the fix.
 */
import { Problem } from '../../tenants/problem';
import { containsNetwork, formatNetwork, Network, parseCidr } from '../../tenants/rules/egress';
import { validateTenantsDocument } from '../../tenants/validate';

const DEFAULTS = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { max: 3, metric: { requestRate: { target: 10 } } },
};

function problems(tenant: Record<string, unknown>): Problem[] {
  return validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'invoices', hosts: ['invoices.example.com'], ...tenant }] }).problems;
}

function only(egress: unknown): Problem {
  const ps = problems({ egress });
  expect(ps.map((p) => `${p.field}: ${p.message}`)).toHaveLength(1);
  for (const part of [ps[0].tenant, ps[0].field, ps[0].message, ps[0].allowed, ps[0].fix]) expect(part).toBeTruthy();
  expect(ps[0].value).not.toBeUndefined();
  return ps[0];
}

const passes = (egress: unknown) => expect(problems({ egress })).toEqual([]);

describe('egress entries', () => {
  test('a VPC range on the managed-PostgreSQL port passes and defaults to TCP', () => {
    const doc = { defaults: DEFAULTS, tenants: [{ name: 'invoices', hosts: ['invoices.example.com'], egress: [{ cidr: '10.110.0.0/20', ports: [25060] }] }] };
    const { tenants, problems: ps } = validateTenantsDocument(doc);
    expect(ps).toEqual([]);
    expect(tenants[0].egress).toEqual([{ cidr: '10.110.0.0/20', ports: [25060], protocol: 'TCP' }]);
  });

  test('no egress field: an empty list', () => {
    const { tenants } = validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'a', hosts: ['a.example.com'] }] });
    expect(tenants[0].egress).toEqual([]);
  });

  test('port 0 and 65536 are refused; 1 and 65535 pass', () => {
    expect(only([{ cidr: '10.110.0.0/20', ports: [0] }])).toMatchObject({ field: 'egress.0.ports.0', value: 0, allowed: 'a port number from 1 to 65535' });
    expect(only([{ cidr: '10.110.0.0/20', ports: [65536] }]).field).toBe('egress.0.ports.0');
    passes([{ cidr: '10.110.0.0/20', ports: [1, 65535] }]);
  });

  test('an empty port list is refused (a rule without ports would open every port)', () => {
    expect(only([{ cidr: '10.110.0.0/20', ports: [] }])).toMatchObject({ field: 'egress.0.ports', message: 'too few entries' });
  });

  test('protocol SCTP is refused; UDP passes', () => {
    expect(only([{ cidr: '10.110.0.0/20', ports: [53], protocol: 'SCTP' }])).toMatchObject({ field: 'egress.0.protocol', value: 'SCTP', allowed: 'TCP or UDP' });
    passes([{ cidr: '10.110.0.0/20', ports: [53], protocol: 'UDP' }]);
  });

  test('an unknown key in an entry is refused with a suggestion', () => {
    expect(problems({ egress: [{ cidr: '10.110.0.0/20', port: [25060], ports: [25060] }] })).toMatchObject([{ field: 'egress.0.port', fix: 'did you mean "ports"? rename it' }]);
  });
});

describe('egress CIDR rules', () => {
  test.each([
    ['10.110.0.0', /no prefix length/],
    ['10.110.0.0/33', /prefix length must be a number from 0 to 32/],
    ['010.110.0.0/20', /without leading zeros/],
    ['db.example.com/32', /not four decimal numbers/],
    ['fe80::1%eth0/128', /no zone/],
    ['2001:db8::g/64', /not an IPv6 address/],
  ])('%s is not a CIDR network', (cidr, reason) => {
    const p = only([{ cidr, ports: [5432] }]);
    expect(p).toMatchObject({ tenant: 'invoices', field: 'egress.0.cidr', value: cidr });
    expect(p.message).toMatch(reason);
  });

  test('IPv4 and IPv6 networks in canonical form pass', () => {
    passes([{ cidr: '10.110.0.0/20', ports: [25060] }, { cidr: '203.0.113.7/32', ports: [443] }, { cidr: '2001:db8::/48', ports: [443] }]);
  });

  test('host bits below the prefix are refused with the network Kubernetes would open', () => {
    const p = only([{ cidr: '10.110.0.5/20', ports: [25060] }]);
    expect(p.message).toBe('the address has host bits set below the /20 prefix; Kubernetes would open the whole 10.110.0.0/20');
    expect(p.fix).toBe('write "10.110.0.0/20" (or "10.110.0.5/32" for that one address)');
  });

  test('a non-canonical IPv6 spelling is refused with the canonical one', () => {
    expect(only([{ cidr: '2001:DB8:0:0::/48', ports: [443] }]).fix).toBe('write "2001:db8::/48"');
  });

  test('an IPv4-mapped IPv6 address is refused (metadata under another name)', () => {
    expect(only([{ cidr: '::ffff:169.254.169.254/128', ports: [80] }]).message).toMatch(/IPv4-mapped IPv6/);
  });

  test.each([['169.254.169.254/32'], ['169.254.0.0/16'], ['169.0.0.0/8']])('%s reaches the cloud metadata service and is refused', (cidr) => {
    const p = only([{ cidr, ports: [80] }]);
    expect(p.message).toMatch(/link-local addresses \(169\.254\.0\.0\/16\), including the cloud metadata service at 169\.254\.169\.254/);
    expect(p.allowed).toBe('a network outside 169.254.0.0/16 and fe80::/10');
  });

  test('IPv6 link-local is refused; a global IPv6 network passes', () => {
    expect(only([{ cidr: 'fe80::/64', ports: [80] }]).message).toMatch(/link-local addresses \(fe80::\/10\)/);
    passes([{ cidr: '2600:3c00::/32', ports: [80] }]);
  });

  test.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.0.0.0/7', '10.0.0.0/8'],
    ['172.16.0.0/12', '172.16.0.0/12'],
    ['192.168.0.0/16', '192.168.0.0/16'],
    ['100.64.0.0/10', '100.64.0.0/10'],
    ['fc00::/7', 'fc00::/7'],
  ])('%s contains the whole private range %s and is refused', (cidr, range) => {
    const p = only([{ cidr, ports: [5432] }]);
    expect(p.message).toBe(`it contains the whole private range ${range}, which holds every pod, Service and node of the cluster; the tenant could reach all of them on these ports`);
  });

  test('0.0.0.0/0 is refused (it holds the metadata service and every private range)', () => {
    expect(only([{ cidr: '0.0.0.0/0', ports: [5432] }]).field).toBe('egress.0.cidr');
  });

  test('a network inside a private range passes: the VPC of a managed database', () => {
    passes([{ cidr: '10.110.0.0/16', ports: [25060] }, { cidr: '172.16.5.0/24', ports: [6379] }, { cidr: 'fd12:3456::/48', ports: [5432] }]);
  });

  test('every entry is checked, each problem names its index', () => {
    const ps = problems({ egress: [{ cidr: '10.110.0.0/20', ports: [25060] }, { cidr: '169.254.169.254/32', ports: [80] }, { cidr: '10.0.0.0/8', ports: [1] }] });
    expect(ps.map((p) => p.field)).toEqual(['egress.1.cidr', 'egress.2.cidr']);
  });

  test('more than 32 entries are refused; 32 pass', () => {
    const rules = (n: number) => Array.from({ length: n }, (_, i) => ({ cidr: `10.110.${i}.0/24`, ports: [25060] }));
    expect(only(rules(33))).toMatchObject({ field: 'egress', message: 'too many entries' });
    passes(rules(32));
  });
});

describe('CIDR arithmetic', () => {
  const n = (t: string) => parseCidr(t) as Network;
  test('formatNetwork compresses the longest zero run (RFC 5952) and clears host bits', () => {
    expect(formatNetwork(n('2001:db8:0:0:1:0:0:1/128'))).toBe('2001:db8::1:0:0:1/128');
    expect(formatNetwork(n('::ffff:1.2.3.4/128'))).toBe('::ffff:102:304/128');
    expect(formatNetwork(n('10.110.7.9/20'))).toBe('10.110.0.0/20');
  });
  test('containsNetwork: by family and prefix', () => {
    expect(containsNetwork(n('10.0.0.0/8'), n('10.110.0.0/20'))).toBe(true);
    expect(containsNetwork(n('10.110.0.0/20'), n('10.0.0.0/8'))).toBe(false);
    expect(containsNetwork(n('::/0'), n('10.0.0.0/8'))).toBe(false);
  });
});
