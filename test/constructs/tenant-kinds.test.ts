/** One end-to-end test per kind: the objects each gets, their wiring, and no policy rule broken. */
import { stringify } from 'yaml';
import { tenantManifests, Manifest } from '../../constructs/manifests';
import { runRules } from '../../policies/engine';
import type { KubeObject } from '../../policies/types';
import { validateTenantsText } from '../../tenants/validate';

const DEFAULTS = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { min: 0, max: 3, scaledownPeriod: 600, metric: { requestRate: { target: 10 } } },
};
const PROM = { serverAddress: 'http://kube-prometheus-stack-prometheus.monitoring:9090', query: 'sum(rate(http_requests_total[2m]))', threshold: 50 };

function build(entry: Record<string, unknown>): Manifest[] {
  const result = validateTenantsText(stringify({ defaults: DEFAULTS, tenants: [entry] }));
  expect(result.problems).toEqual([]);
  return tenantManifests(result.tenants[0]);
}
const kinds = (o: Manifest[]) => o.map((m) => m.kind);
const one = (o: Manifest[], kind: string): any => {
  const found = o.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('kinds, end to end', () => {
  test('queue: ScaledObject with the Kafka trigger and a TriggerAuthentication from the Secret; no route; broker port reachable', () => {
    const o = build({
      name: 'invoices',
      kind: 'queue',
      scaling: { max: 6 },
      triggers: [{ type: 'kafka', bootstrapServers: 'kafka.kafka:9092', consumerGroup: 'invoices', topic: 'invoices', partitions: 6, sasl: 'scram_sha512', tls: true, credentialsSecret: 'kafka-creds' }],
    });
    expect(kinds(o)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Deployment', 'Service', 'TriggerAuthentication', 'ScaledObject', 'VerticalPodAutoscaler']);
    expect(one(o, 'TriggerAuthentication').spec.secretTargetRef).toEqual([
      { parameter: 'username', name: 'kafka-creds', key: 'username' },
      { parameter: 'password', name: 'kafka-creds', key: 'password' },
      { parameter: 'ca', name: 'kafka-creds', key: 'ca' },
    ]);
    expect(one(o, 'ScaledObject').spec.triggers).toEqual([
      {
        type: 'kafka',
        metadata: { bootstrapServers: 'kafka.kafka:9092', consumerGroup: 'invoices', topic: 'invoices', lagThreshold: '10', activationLagThreshold: '0', offsetResetPolicy: 'latest', sasl: 'scram_sha512', tls: 'enable' },
        authenticationRef: { name: 'invoices-0' },
      },
    ]);
    const np = one(o, 'NetworkPolicy');
    expect(np.spec.ingress.map((r: any) => r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual(['monitoring']);
    expect(np.spec.egress[2].ports).toEqual([{ protocol: 'TCP', port: 9092 }]);
    expect(runRules(o as KubeObject[])).toEqual([]);
  });

  test('redis, rabbitmq and prometheus triggers carry the KEDA metadata names', () => {
    const o = build({
      name: 'jobs',
      kind: 'queue',
      triggers: [
        { type: 'redis-list', address: 'redis.cache:6379', listName: 'jobs', listLength: 20, passwordSecret: 'redis' },
        { type: 'redis-stream', address: 'redis.cache:6379', stream: 'events', consumerGroup: 'workers' },
        { type: 'rabbitmq', queueName: 'jobs', value: 30, hostSecret: 'rabbit' },
        { type: 'prometheus', ...PROM },
      ],
    });
    const triggers = one(o, 'ScaledObject').spec.triggers;
    expect(triggers.map((t: any) => [t.type, Object.keys(t.metadata).sort()])).toEqual([
      ['redis', ['address', 'listLength', 'listName']],
      ['redis-streams', ['address', 'consumerGroup', 'pendingEntriesCount', 'stream']],
      ['rabbitmq', ['mode', 'protocol', 'queueName', 'value']],
      ['prometheus', ['query', 'serverAddress', 'threshold']],
    ]);
    expect(o.filter((m) => m.kind === 'TriggerAuthentication').map((m: any) => m.spec.secretTargetRef[0])).toEqual([
      { parameter: 'password', name: 'redis', key: 'password' },
      { parameter: 'host', name: 'rabbit', key: 'host' },
    ]);
  });

  test('scheduled: one cron trigger per window, cooldown 30 s, no route', () => {
    const o = build({ name: 'report', kind: 'scheduled', scaling: { max: 1, scaledownPeriod: 30 }, schedule: [{ start: '0 2 * * *', end: '0 4 * * *', timezone: 'Europe/Berlin', replicas: 1 }] });
    expect(one(o, 'ScaledObject').spec).toMatchObject({
      minReplicaCount: 0,
      cooldownPeriod: 30,
      triggers: [{ type: 'cron', metadata: { timezone: 'Europe/Berlin', start: '0 2 * * *', end: '0 4 * * *', desiredReplicas: '1' } }],
    });
    expect(kinds(o)).not.toContain('HTTPRoute');
    expect(runRules(o as KubeObject[])).toEqual([]);
  });

  test('service: HPA v2 with the lessons\' behavior, a PDB, its own Service behind the Gateway, consumers admitted', () => {
    // Plain HTTP, so the one HTTPRoute is the tenant's (the HTTPS objects: test/constructs/tenant-tls.test.ts).
    const o = build({ name: 'embeddings', kind: 'service', hosts: ['embed.example.com'], tls: false, scaling: { min: 2, max: 6 }, autoscaling: { cpu: 70 }, consumers: ['ahmed'] });
    expect(kinds(o)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Deployment', 'Service', 'HTTPRoute', 'BackendTrafficPolicy', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'VerticalPodAutoscaler']);
    const hpa = one(o, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 25, periodSeconds: 60 }] },
    });
    expect(one(o, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'embeddings', 'tenantscale.io/tenant': 'embeddings' } } });
    expect(one(o, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'embeddings', port: 9898 }]);
    const from = one(o, 'NetworkPolicy').spec.ingress.flatMap((r: any) => r.from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']));
    expect(from).toEqual(['monitoring', 'envoy-gateway-system', 'tenant-ahmed']);
    expect(runRules(o as KubeObject[]).filter((v) => v.rule !== 'route-admitted-by-gateway')).toEqual([]);
  });

  test('service on a custom metric: a ScaledObject with the Prometheus trigger, min ≥ 1 and the behavior block', () => {
    const o = build({ name: 'embeddings', kind: 'service', scaling: { min: 1, max: 6 }, autoscaling: { prometheus: PROM } });
    const so = one(o, 'ScaledObject');
    expect(so.spec.minReplicaCount).toBe(1);
    expect(so.spec.cooldownPeriod).toBeUndefined();
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(kinds(o)).not.toContain('HorizontalPodAutoscaler');
  });

  test('stateful with burst: external-push plus the Prometheus trigger, min 1, Recreate, VPA Initial on memory only', () => {
    const o = build({ name: 'openclaw', kind: 'stateful', hosts: ['openclaw.example.com'], scaling: { min: 1, max: 2 }, burst: PROM });
    expect(one(o, 'ScaledObject').spec.triggers.map((t: any) => t.type)).toEqual(['external-push', 'prometheus']);
    expect(one(o, 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
    const vpa = one(o, 'VerticalPodAutoscaler');
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Initial' });
    expect(vpa.spec.resourcePolicy.containerPolicies[0]).toMatchObject({ controlledResources: ['memory'], minAllowed: { memory: '32Mi' }, maxAllowed: { memory: '4Gi' } });
    // the endorsed combination: nothing mandatory; vpa-acting-mode is advisory by design
    expect(runRules(o as KubeObject[]).map((v) => `${v.level} ${v.rule}`)).toEqual(['advisory vpa-acting-mode']);
  });
});
