import type * as TenantWorkloadsModule from '../../constructs/platform/tenant-workloads';
import type { TenantSpec } from '../../tenants/schema';
import { MOCK_KUBECONFIG, MockedRun, registration, runWithMocks } from './pulumi-mocks';

const TENANTS = `
defaults:
  image: ghcr.io/stefanprodan/podinfo:6.7.1
  port: 9898
  probes: { readiness: /readyz, liveness: /healthz }
  resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 500m, memory: 512Mi } }
  scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } }
tenants:
  - name: ahmed
    hosts: [ahmed.example.com]
`;

/** One TenantWorkloads under mocks, with or without the HTTPScaledObject migration. */
function build(migration: boolean): Promise<MockedRun<unknown>> {
  return runWithMocks(() => {
    const k8s = require('@pulumi/kubernetes');
    const { TenantWorkloads } = require('../../constructs/platform/tenant-workloads') as typeof TenantWorkloadsModule;
    const { validateTenantsText } = require('../../tenants/validate');
    const { DEFAULT_PLATFORM_SETTINGS } = require('../../constructs/platform-settings');
    const [spec] = validateTenantsText(TENANTS).tenants as TenantSpec[];
    const provider = new k8s.Provider('test-cluster', { kubeconfig: MOCK_KUBECONFIG });
    return new TenantWorkloads(
      'tenant-ahmed',
      { spec, settings: { ...DEFAULT_PLATFORM_SETTINGS, httpScaledObjectMigration: migration } },
      { providers: { kubernetes: provider } },
    );
  });
}

const IR = 'kubernetes:http.keda.sh/v1beta1:InterceptorRoute::tenant-ahmed-interceptorroute-ahmed';
const HSO = 'kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject::tenant-ahmed-httpscaledobject-ahmed';

describe('TenantWorkloads: moving from HTTPScaledObject without unrouted traffic', () => {
  test('migration deploy: the annotated HTTPScaledObject and the InterceptorRoute before the ScaledObject, the route after both', async () => {
    const run = await build(true);
    const so = registration(run.registrations, 'kubernetes:keda.sh/v1alpha1:ScaledObject', 'tenant-ahmed-scaledobject-ahmed');
    expect(so.dependsOn).toEqual(expect.arrayContaining([IR, HSO]));
    const hso = registration(run.registrations, 'kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject', 'tenant-ahmed-httpscaledobject-ahmed');
    const route = registration(run.registrations, 'kubernetes:gateway.networking.k8s.io/v1:HTTPRoute', 'tenant-ahmed-httproute-ahmed');
    expect(route.dependsOn).toEqual(expect.arrayContaining([IR, HSO]));
    // the HTTPScaledObject does not wait for the ScaledObject (that would invert the hand-over)
    expect(hso.dependsOn).not.toContain('kubernetes:keda.sh/v1alpha1:ScaledObject::tenant-ahmed-scaledobject-ahmed');
  });

  test('after the migration: no HTTPScaledObject; deleting it leaves the orphaned ScaledObject', async () => {
    const run = await build(false);
    expect(run.registrations.some((r) => r.type === 'kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject')).toBe(false);
    const so = registration(run.registrations, 'kubernetes:keda.sh/v1alpha1:ScaledObject', 'tenant-ahmed-scaledobject-ahmed');
    expect(so.dependsOn).toContain(IR);
  });
});
