/**
 * What the tenant's `egress` allow-list and `imagePullSecret` synthesize: one NetworkPolicy rule
 * per entry beside the private-range block, and a pull Secret reference (never the Secret).
 */
import { tenantManifests } from '../../constructs/manifests';
import { BLOCKED_EGRESS_CIDRS } from '../../constructs/tenant-guardrails';
import { TenantSpec } from '../../tenants/schema';
import { validateTenantsDocument } from '../../tenants/validate';

const DEFAULTS = {
  image: 'registry.digitalocean.com/acme/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { max: 3, metric: { requestRate: { target: 10 } } },
};

function tenant(extra: Record<string, unknown>): TenantSpec {
  const { tenants, problems } = validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'ahmed', hosts: ['ahmed.example.com'], ...extra }] });
  expect(problems).toEqual([]);
  return tenants[0];
}

const byKind = (spec: TenantSpec, kind: string) => tenantManifests(spec).filter((m) => m.kind === kind) as any[];

describe('egress allow-list in the NetworkPolicy', () => {
  test('each entry is one egress rule with its network and ports; the private-range block stays', () => {
    const [np] = byKind(tenant({ egress: [{ cidr: '10.110.0.0/20', ports: [25060] }, { cidr: '2001:db8::/48', ports: [443, 8443], protocol: 'UDP' }] }), 'NetworkPolicy');
    expect(np.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: BLOCKED_EGRESS_CIDRS } }] });
    expect(np.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.110.0.0/20' } }], ports: [{ protocol: 'TCP', port: 25060 }] });
    expect(np.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '2001:db8::/48' } }], ports: [{ protocol: 'UDP', port: 443 }, { protocol: 'UDP', port: 8443 }] });
    expect(np.spec.egress).toHaveLength(4);
  });

  test('without entries the NetworkPolicy has only DNS and the internet rule', () => {
    const [np] = byKind(tenant({}), 'NetworkPolicy');
    expect(np.spec.egress).toHaveLength(2);
    expect(JSON.stringify(np.spec.egress)).not.toContain('10.110.0.0/20');
  });
});

describe('imagePullSecret', () => {
  test('the Deployment references the pull Secret by name; no Secret is synthesized', () => {
    const spec = tenant({ imagePullSecret: 'docr' });
    const [deployment] = byKind(spec, 'Deployment');
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'docr' }]);
    expect(byKind(spec, 'Secret')).toEqual([]);
  });

  test('without imagePullSecret the pod lists none', () => {
    const [deployment] = byKind(tenant({}), 'Deployment');
    expect(deployment.spec.template.spec).not.toHaveProperty('imagePullSecrets');
  });

  test('a name that is not a Secret name is refused; defaults may set it for every tenant', () => {
    const { problems } = validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'ahmed', hosts: ['ahmed.example.com'], imagePullSecret: 'DOCR_creds' }] });
    expect(problems).toMatchObject([{ tenant: 'ahmed', field: 'imagePullSecret', value: 'DOCR_creds', message: 'malformed value' }]);
    expect(problems[0].allowed).toMatch(/a Secret name \(lowercase DNS subdomain/);
    const ok = validateTenantsDocument({ defaults: { ...DEFAULTS, imagePullSecret: 'docr' }, tenants: [{ name: 'a', hosts: ['a.example.com'] }] });
    expect(ok.tenants[0].imagePullSecret).toBe('docr');
  });
});
