/**
 * The field diff: JSON paths as reviewers read them, values rendered unambiguously, objects
 * matched by identity, and replacements recognized from immutable fields.
 */
import { describeRef, diffObjects, diffValues, immutableFieldOf, KubeObjectLike, objectKey } from '../../cli/plan/diff';
import { canonicalJson, joinPath, renderValue } from '../../cli/plan/values';

describe('JSON paths and values', () => {
  test('keys, indexes and keys that need quoting', () => {
    expect(joinPath('', 'spec')).toBe('spec');
    expect(joinPath('spec.template.spec.containers', 0)).toBe('spec.template.spec.containers[0]');
    expect(joinPath('metadata.labels', 'app.kubernetes.io/name')).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(joinPath('spec.hard', 'limits.cpu')).toBe('spec.hard["limits.cpu"]');
    expect(joinPath('', 'pod-security')).toBe('["pod-security"]');
  });

  test('values: bare when unambiguous, quoted when a string could read as a number or boolean', () => {
    expect(renderValue('ghcr.io/stefanprodan/podinfo:6.7.2')).toBe('ghcr.io/stefanprodan/podinfo:6.7.2');
    expect(renderValue('2')).toBe('"2"');
    expect(renderValue(2)).toBe('2');
    expect(renderValue('true')).toBe('"true"');
    expect(renderValue('on')).toBe('"on"');
    expect(renderValue('a b')).toBe('"a b"');
    expect(renderValue('')).toBe('""');
    expect(renderValue(undefined)).toBe('(absent)');
    expect(renderValue(null)).toBe('null');
    expect(renderValue({ b: 1, a: [true] })).toBe('{"a":[true],"b":1}');
    expect(renderValue('x'.repeat(50), 10)).toBe('xxxxxxxxx…');
  });

  test('canonical JSON ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: 2 } })).toBe('{"a":{"c":2},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([1, undefined])).toBe('[1,null]');
  });
});

describe('diffValues', () => {
  test('one line per changed leaf, keys in code-point order', () => {
    const before = { spec: { replicas: { min: 0, max: 5 }, hosts: ['a.example.com'] }, metadata: { labels: { plan: 'starter' } } };
    const after = { spec: { replicas: { min: 0, max: 3 }, hosts: ['a.example.com', 'b.example.com'] }, metadata: { labels: { plan: 'gold' } } };
    expect(diffValues(before, after)).toEqual([
      { path: 'metadata.labels.plan', old: 'starter', new: 'gold' },
      { path: 'spec.hosts[1]', new: 'b.example.com' },
      { path: 'spec.replicas.max', old: 5, new: 3 },
    ]);
  });

  test('a block present on one side only is one change carrying the whole block', () => {
    expect(diffValues({ a: 1 }, { a: 1, metrics: { path: '/metrics', interval: '30s' } })).toEqual([
      { path: 'metrics', new: { path: '/metrics', interval: '30s' } },
    ]);
    expect(diffValues({ a: 1, env: { X: '1' } }, { a: 1 })).toEqual([{ path: 'env', old: { X: '1' } }]);
  });

  test('a type change (string → object) is one change; equal values and key order are no change', () => {
    expect(diffValues({ v: 'x' }, { v: { secret: 's', key: 'k' } })).toEqual([{ path: 'v', old: 'x', new: { secret: 's', key: 'k' } }]);
    expect(diffValues({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toEqual([]);
  });
});

const deployment = (image: string, selector = 'ahmed'): KubeObjectLike => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'ahmed', namespace: 'tenant-ahmed' },
  spec: { selector: { matchLabels: { app: selector } }, template: { spec: { containers: [{ name: 'app', image }] } } },
});
const namespace: KubeObjectLike = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-ahmed' } };
const monitor: KubeObjectLike = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'ahmed', namespace: 'tenant-ahmed' } };

describe('diffObjects', () => {
  test('update: the object and the field path, old → new', () => {
    expect(diffObjects([namespace, deployment('app:1')], [namespace, deployment('app:2')])).toEqual([
      {
        action: 'update',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'tenant-ahmed', name: 'ahmed' },
        changes: [{ path: 'spec.template.spec.containers[0].image', old: 'app:1', new: 'app:2' }],
      },
    ]);
  });

  test('create and delete, in new-state order then old order; unchanged objects left out', () => {
    const changes = diffObjects([namespace, deployment('app:1'), monitor], [namespace, deployment('app:1')]);
    expect(changes.map((c) => `${c.action} ${describeRef(c.object)}`)).toEqual(['delete ServiceMonitor tenant-ahmed/ahmed']);
    const created = diffObjects([], [namespace, monitor]);
    expect(created.map((c) => `${c.action} ${describeRef(c.object)}`)).toEqual(['create Namespace tenant-ahmed', 'create ServiceMonitor tenant-ahmed/ahmed']);
  });

  test('a change to an immutable field is a replacement naming the field', () => {
    const [change] = diffObjects([deployment('app:1', 'old')], [deployment('app:1', 'new')]);
    expect(change.action).toBe('replace');
    expect(change.immutable).toEqual(['spec.selector']);
    expect(immutableFieldOf('Deployment', 'spec.selector.matchLabels.app')).toBe('spec.selector');
    expect(immutableFieldOf('Deployment', 'spec.selectorX')).toBeUndefined();
    expect(immutableFieldOf('Service', 'spec.clusterIPs[0]')).toBe('spec.clusterIPs');
    expect(immutableFieldOf('Service', 'spec.ports[0].port')).toBeUndefined();
  });

  test('identity ignores the API version: v1beta1 → v1 is an update of apiVersion, not delete + create', () => {
    const v1beta1: KubeObjectLike = { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'tenant-ahmed', namespace: 'keda' } };
    const v1 = { ...v1beta1, apiVersion: 'gateway.networking.k8s.io/v1' };
    expect(objectKey(v1beta1)).toBe(objectKey(v1));
    const [change] = diffObjects([v1beta1], [v1]);
    expect(change).toMatchObject({ action: 'update', changes: [{ path: 'apiVersion', old: 'gateway.networking.k8s.io/v1beta1', new: 'gateway.networking.k8s.io/v1' }] });
  });
});
