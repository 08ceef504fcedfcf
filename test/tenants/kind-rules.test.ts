import { stringify } from 'yaml';
import { validateTenantsText } from '../../tenants/validate';

const DEFAULTS = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } },
};
const KAFKA = { type: 'kafka', bootstrapServers: 'kafka:9092', consumerGroup: 'g', topic: 't', partitions: 4 };
const SERVICE = { name: 'embeddings', kind: 'service', scaling: { min: 2, max: 4 }, autoscaling: { cpu: 70 }, consumers: ['ahmed'] };

/** Problems of a list with these entries (after the defaults above). */
function problems(...tenants: Record<string, unknown>[]) {
  return validateTenantsText(stringify({ defaults: DEFAULTS, tenants })).problems;
}
const fields = (...tenants: Record<string, unknown>[]) => problems(...tenants).map((p) => `${p.tenant} ${p.field}: ${p.message}`);

describe('kinds: what each needs, and what the lessons refuse', () => {
  test('http (default) needs a hostname; with one it is valid', () => {
    expect(fields({ name: 'ahmed' })).toEqual(['ahmed hosts: an http tenant is reached through the Gateway and needs at least one hostname']);
    expect(fields({ name: 'ahmed', hosts: ['a.example.com'] })).toEqual([]);
  });

  test('queue: triggers required, no hosts', () => {
    expect(fields({ name: 'q', kind: 'queue' })).toEqual([expect.stringMatching(/^q triggers: a queue tenant needs `triggers`/)]);
    expect(fields({ name: 'q', kind: 'queue', hosts: ['q.example.com'], triggers: [KAFKA] })).toEqual(['q hosts: a queue tenant serves no requests, so it gets no route']);
    expect(fields({ name: 'q', kind: 'queue', triggers: [KAFKA] })).toEqual([]);
  });

  test('kafka: never more consumers than partitions (quoting the KEDA source)', () => {
    const [p] = problems({ name: 'q', kind: 'queue', scaling: { max: 5 }, triggers: [KAFKA] });
    expect(p).toMatchObject({ tenant: 'q', field: 'scaling.max', value: 5, allowed: 'scaling.max ≤ 4 (triggers[0].partitions)', fix: 'set scaling.max: 4, or add partitions to the topic first' });
    expect(p.message).toMatch(/kafka_scaler\.go:825/);
    expect(fields({ name: 'q', kind: 'queue', scaling: { max: 4 }, triggers: [KAFKA] })).toEqual([]);
  });

  test('every trigger type is accepted by the schema', () => {
    const triggers = [
      KAFKA,
      { type: 'redis-list', address: 'redis.cache:6379', listName: 'jobs', passwordSecret: 'redis' },
      { type: 'redis-stream', address: 'redis.cache:6379', stream: 's', consumerGroup: 'g' },
      { type: 'rabbitmq', queueName: 'jobs', value: 20, hostSecret: 'rabbit' },
      { type: 'prometheus', serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total[2m]))', threshold: 50 },
    ];
    expect(fields({ name: 'q', kind: 'queue', triggers })).toEqual([]);
    expect(fields({ name: 'q', kind: 'queue', triggers: [{ type: 'sqs', queueURL: 'x' }] })).not.toEqual([]);
  });

  test('scheduled: a cooldown longer than the off-window never scales down (lab error quoted)', () => {
    const window = { start: '*/10 * * * *', end: '5-59/10 * * * *', timezone: 'UTC', replicas: 1 };
    const [p] = problems({ name: 's', kind: 'scheduled', scaling: { scaledownPeriod: 600 }, schedule: [window] });
    expect(p).toMatchObject({ field: 'scaling.scaledownPeriod', allowed: 'scaling.scaledownPeriod < 300', fix: 'set scaling.scaledownPeriod: 30' });
    expect(p.message).toMatch(/KEDA cron pod scales up but never scales down/);
    expect(fields({ name: 's', kind: 'scheduled', scaling: { scaledownPeriod: 30 }, schedule: [window] })).toEqual([]);
  });

  test('scheduled: a bad cron expression and an unknown time zone are refused', () => {
    expect(fields({ name: 's', kind: 'scheduled', scaling: { scaledownPeriod: 30 }, schedule: [{ start: '0 25 * * *', end: '0 4 * * *', timezone: 'Mars/Olympus', replicas: 1 }] })).toEqual([
      's schedule[0].start: hour 25 is out of range (hour is 0-23)',
      's schedule[0].timezone: unknown time zone',
    ]);
  });

  test('service: min 0 is refused (its HPA cannot reach zero); min 1 passes', () => {
    expect(fields({ ...SERVICE, scaling: { min: 0, max: 4 } }, { name: 'ahmed', hosts: ['a.example.com'] })).toEqual([
      expect.stringMatching(/^embeddings scaling.min: a shared service is always on and its HPA cannot scale to zero/),
    ]);
    expect(fields(SERVICE, { name: 'ahmed', hosts: ['a.example.com'], uses: ['embeddings'] })).toEqual([]);
  });

  test('service: CPU and a Prometheus metric would be two autoscalers on one workload', () => {
    const prometheus = { serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(x[1m]))', threshold: 5 };
    expect(fields({ ...SERVICE, autoscaling: { cpu: 70, prometheus } })).toEqual([expect.stringMatching(/two autoscalers on one workload/)]);
    expect(fields({ ...SERVICE, autoscaling: { prometheus } })).toEqual([]);
  });

  test('service: memory alone is one-way scaling (Common Pitfalls #2)', () => {
    expect(fields({ ...SERVICE, autoscaling: { memory: 80 } })).toEqual([expect.stringMatching(/memory rarely drops/)]);
    expect(fields({ ...SERVICE, autoscaling: { cpu: 70, memory: 80 } })).toEqual([]);
  });

  test('stateful: min 0 is refused quoting "When NOT to Scale to Zero"; min 1 passes', () => {
    const [p] = problems({ name: 'o', hosts: ['o.example.com'], kind: 'stateful' });
    expect(p).toMatchObject({ field: 'scaling.min', value: 0, fix: 'set scaling.min: 1' });
    expect(p.message).toMatch(/When NOT to Scale to Zero/);
    expect(fields({ name: 'o', hosts: ['o.example.com'], kind: 'stateful', scaling: { min: 1, max: 1 } })).toEqual([]);
  });

  test('stateful: true contradicts another kind', () => {
    expect(fields({ name: 'q', kind: 'queue', stateful: true, scaling: { min: 1 }, triggers: [KAFKA] })).toEqual([expect.stringMatching(/^q stateful: stateful: true contradicts kind: queue/)]);
  });

  test('a kind block on another kind is refused instead of ignored', () => {
    expect(fields({ name: 'ahmed', hosts: ['a.example.com'], schedule: [{ start: '0 2 * * *', end: '0 4 * * *', timezone: 'UTC', replicas: 1 }] })).toEqual([
      expect.stringMatching(/^ahmed schedule: `schedule` does not apply to a http tenant/),
    ]);
  });

  test('warm windows: `to` other than `from` (before it: overnight), a real time zone, no more replicas than max', () => {
    const warm = (w: Record<string, unknown>) => fields({ name: 'ahmed', hosts: ['a.example.com'], warm: [{ days: ['mon'], from: '08:00', to: '18:00', timezone: 'Europe/Berlin', ...w }] });
    expect(warm({})).toEqual([]);
    expect(warm({ from: '18:00', to: '08:00' })).toEqual([]);
    expect(warm({ from: '18:00', to: '18:00' })).toEqual([expect.stringMatching(/^ahmed warm\[0\].to: the window opens and closes at the same time/)]);
    expect(warm({ timezone: 'Europe/Atlantis' })).toEqual(['ahmed warm[0].timezone: unknown time zone']);
    expect(warm({ replicas: 4 })).toEqual([expect.stringMatching(/more warm replicas than scaling.max/)]);
  });

  test('coldStart: not both a body and a ConfigMap; the fallback is not the tenant itself', () => {
    const cs = (coldStart: Record<string, unknown>) => fields({ name: 'ahmed', hosts: ['a.example.com'], coldStart });
    expect(cs({ placeholder: { body: 'x', configMap: { name: 'page' } } })).toEqual([expect.stringMatching(/both body and configMap are set/)]);
    expect(cs({ fallback: { service: 'ahmed', port: 9898 } })).toEqual([expect.stringMatching(/fallback is the tenant's own Service/)]);
    expect(cs({ placeholder: { configMap: { name: 'page' } }, fallback: { service: 'static', port: 8080 } })).toEqual([]);
  });

  test('uses: a service that admits the caller', () => {
    expect(fields({ name: 'ahmed', hosts: ['a.example.com'], uses: ['nope'] })).toEqual(['ahmed uses: nope is not a tenant of kind service']);
    expect(fields({ ...SERVICE, consumers: [] }, { name: 'ahmed', hosts: ['a.example.com'], uses: ['embeddings'] })).toEqual([
      'ahmed uses: service embeddings does not list ahmed in consumers, so its NetworkPolicy drops the calls',
    ]);
  });
});
