import { apiGroup, isCustomResource, resourceName } from '../../constructs/platform/kubernetes-resource';
import type * as KubernetesResourceModule from '../../constructs/platform/kubernetes-resource';
import { runWithMocks } from './pulumi-mocks';

describe('kubernetes-resource', () => {
  test('apiGroup: core kinds have the empty group', () => {
    expect(apiGroup('v1')).toBe('');
    expect(apiGroup('apps/v1')).toBe('apps');
    expect(apiGroup('gateway.networking.k8s.io/v1beta1')).toBe('gateway.networking.k8s.io');
  });

  test('isCustomResource: CRD groups yes (autoscaling.k8s.io is the VPA CRD), built-in groups no', () => {
    expect(isCustomResource({ apiVersion: 'http.keda.sh/v1alpha1' })).toBe(true);
    expect(isCustomResource({ apiVersion: 'autoscaling.k8s.io/v1' })).toBe(true);
    expect(isCustomResource({ apiVersion: 'autoscaling/v2' })).toBe(false);
    expect(isCustomResource({ apiVersion: 'networking.k8s.io/v1' })).toBe(false);
    expect(isCustomResource({ apiVersion: 'v1' })).toBe(false);
  });

  test('resourceName is unique per namespace, kind and name', () => {
    expect(resourceName({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ahmed', namespace: 'tenant-ahmed' } })).toBe('tenant-ahmed-deployment-ahmed');
    expect(resourceName({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-ahmed' } })).toBe('cluster-namespace-tenant-ahmed');
  });

  test('built-in kinds get their typed class, custom resources CustomResource', async () => {
    const run = await runWithMocks(() => {
      const { kubernetesResource } = require('../../constructs/platform/kubernetes-resource') as typeof KubernetesResourceModule;
      kubernetesResource({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } }, {});
      kubernetesResource({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'demo', namespace: 'demo' }, spec: { scaleTargetRef: { name: 'demo' } } }, {});
    });
    expect(run.resources.filter((r) => r.type.startsWith('kubernetes:')).map((r) => `${r.type} ${r.name}`)).toEqual([
      'kubernetes:core/v1:Namespace cluster-namespace-demo',
      'kubernetes:keda.sh/v1alpha1:ScaledObject demo-scaledobject-demo',
    ]);
  });

  test('a built-in kind without a mapped class is refused, naming the kind and the fix', async () => {
    await expect(
      runWithMocks(() => {
        const { kubernetesResource } = require('../../constructs/platform/kubernetes-resource') as typeof KubernetesResourceModule;
        kubernetesResource({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' } }, {});
      }),
    ).rejects.toThrow(/storage\.k8s\.io\/v1 StorageClass "fast" has no Pulumi class mapped.*fix: add the kind to BUILTIN_KINDS/);
  });
});
