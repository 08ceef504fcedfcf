/**
 * Issue 22 item 7: tenant egress may not reopen the cluster's own ranges (pods, Services) nor a
 * private network wider than /16; brokers named by hostname are warned about, brokers given by
 * address open only their /32. Failing and passing case per rule.
 */
import { parseStackConfig, StackConfigError } from '../../infra/config';
import { clusterRanges } from '../../infra/cluster-facts';
import { brokerRules } from '../../constructs/tenant-guardrails';
import { egressNotes } from '../../cli/egress-notes';
import { brokerEgress, brokerHostnameWarnings, DOKS_DEFAULT_CLUSTER_RANGES } from '../../tenants/rules/egress';
import { validateTenantsDocument, ValidationOptions } from '../../tenants/validate';

const DEFAULTS = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { max: 3, metric: { requestRate: { target: 10 } } },
};
const problems = (egress: unknown, options: ValidationOptions = {}) =>
  validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'ahmed', hosts: ['ahmed.example.com'], egress }] }, options).problems;

describe('egress entries against the cluster ranges', () => {
  test('the DOKS pod range (10.244.0.0/16, ports 8080 and 9898) is refused offline, saying the defaults were used', () => {
    const [p, ...rest] = problems([{ cidr: '10.244.0.0/16', ports: [8080, 9898] }]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'egress.0.cidr', value: '10.244.0.0/16' });
    expect(p.message).toMatch(/^it overlaps the cluster's pod network 10\.244\.0\.0\/16 \(the DOKS defaults; set tenantscale:clusterSubnet/);
    expect(p.message).toMatch(/the KEDA interceptor and Prometheus/);
    expect(p.allowed).toBe("a network outside 10.244.0.0/16 and 10.245.0.0/16: the managed database's VPC range or address");
  });

  test('one address inside the Service range is refused; a VPC database range passes', () => {
    expect(problems([{ cidr: '10.245.3.7/32', ports: [5432] }])[0].message).toMatch(/Service network 10\.245\.0\.0\/16/);
    expect(problems([{ cidr: '10.110.0.0/20', ports: [25060] }, { cidr: '10.110.0.5/32', ports: [6379] }])).toEqual([]);
  });

  test("a stack's own ranges replace the defaults: 10.244.0.0/16 then passes, the stack's range is refused naming the stack", () => {
    const ranges = clusterRanges(parseStackConfig({ clusterMode: 'kubeconfig', clusterSubnet: '10.42.0.0/16', serviceSubnet: '10.43.0.0/16' }, true));
    expect(ranges).toEqual({ podSubnet: '10.42.0.0/16', serviceSubnet: '10.43.0.0/16', source: 'stack' });
    expect(problems([{ cidr: '10.244.0.0/16', ports: [5432] }], { clusterRanges: ranges })).toEqual([]);
    const [p] = problems([{ cidr: '10.42.7.0/24', ports: [5432] }], { clusterRanges: ranges });
    expect(p.message).toMatch(/pod network 10\.42\.0\.0\/16 \(the stack's tenantscale:clusterSubnet\/serviceSubnet\)/);
    expect(clusterRanges(parseStackConfig({ clusterMode: 'kubeconfig' }, true))).toBe(DOKS_DEFAULT_CLUSTER_RANGES);
  });

  test('10.0.0.0/9 (no overlap with the default ranges) is refused as wider than /16; a /16 VPC passes', () => {
    const [p] = problems([{ cidr: '10.0.0.0/9', ports: [443] }]);
    expect(p).toMatchObject({ field: 'egress.0.cidr', value: '10.0.0.0/9', allowed: "a private network of /16 or narrower: the database's VPC range or address" });
    expect(p.message).toBe("a /9 private network (8,388,608 addresses) reaches the cluster's nodes and every VPC of the account on these ports");
    expect(problems([{ cidr: '10.110.0.0/16', ports: [443] }])).toEqual([]);
    // Public networks may be wide: the internet rule already opens them.
    expect(problems([{ cidr: '8.0.0.0/8', ports: [443] }])).toEqual([]);
  });
});

describe('stack clusterSubnet / serviceSubnet', () => {
  const refused = (raw: Record<string, unknown>) => {
    try {
      parseStackConfig({ clusterMode: 'kubeconfig', ...raw }, true);
    } catch (err) {
      if (err instanceof StackConfigError) return err.problems;
      throw err;
    }
    return [];
  };
  test('a non-canonical, a non-CIDR and overlapping ranges are refused; canonical distinct ranges pass', () => {
    expect(refused({ clusterSubnet: '10.244.1.0/16' })[0]).toMatchObject({ key: 'tenantscale:clusterSubnet', message: 'not in canonical form (the network is 10.244.0.0/16)' });
    expect(refused({ serviceSubnet: 'ten' })[0].message).toMatch(/^not a CIDR network/);
    expect(refused({ clusterSubnet: '10.0.0.0/8', serviceSubnet: '10.245.0.0/16' })[0]).toMatchObject({ key: 'tenantscale:serviceSubnet', message: 'overlaps clusterSubnet 10.0.0.0/8' });
    expect(refused({ clusterSubnet: '10.244.0.0/16', serviceSubnet: '10.245.0.0/16' })).toEqual([]);
  });
});

describe('queue brokers', () => {
  test('a hostname opens the port to every private range (warned); an IPv4 address only its /32 (no warning)', () => {
    expect(brokerEgress('kafka-0.kafka:9092,kafka-1.kafka:9092,10.110.0.7:9093')).toEqual([{ port: 9092 }, { port: 9093, cidr: '10.110.0.7/32' }]);
    expect(brokerRules(brokerEgress('kafka.kafka:9092,10.110.0.7:9093,10.110.0.7:9094'))).toEqual([
      { cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'], ports: [9092] },
      { cidrs: ['10.110.0.7/32'], ports: [9093, 9094] },
    ]);
    const [w] = brokerHostnameWarnings('invoices', [{ type: 'kafka', bootstrapServers: 'kafka.kafka:9092' }]);
    expect(w).toMatch(/^tenant "invoices" triggers\[0\] \(kafka\): kafka\.kafka:9092 names its broker by hostname, .*TCP 9092 is open to every private range \(10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16, 100\.64\.0\.0\/10\)/);
    expect(w).toMatch(/prefer its IPv4 address/);
    expect(brokerHostnameWarnings('invoices', [{ type: 'kafka', bootstrapServers: '10.110.0.7:9092' }])).toEqual([]);
  });

  test('synth notes say which ranges egress was checked against', () => {
    const tenant = validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'ahmed', hosts: ['ahmed.example.com'], egress: [{ cidr: '10.110.0.0/20', ports: [25060] }] }] }).tenants;
    expect(egressNotes(tenant)).toEqual([expect.stringMatching(/^ {2}egress of 1 tenant checked against cluster ranges 10\.244\.0\.0\/16 \(pods\) and 10\.245\.0\.0\/16 \(Services\): the DOKS defaults \(offline;/)]);
    expect(egressNotes(tenant, { podSubnet: '10.42.0.0/16', serviceSubnet: '10.43.0.0/16', source: 'stack' }, 'dev')[0]).toMatch(/: stack dev's$/);
  });
});
