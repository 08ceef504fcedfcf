/** Issue 22 items 1-3: job kinds, workers without HTTP, scratch space — one refusal and one pass each. */
import { stringify } from 'yaml';
import { validateTenantsText } from '../../tenants/validate';
import { scratchProblems, podEphemeralStorageBytes, CONTAINER_LOG_BYTES } from '../../tenants/rules/scratch';

const DEFAULTS = {
  image: 'ghcr.io/example/worker:1.4.2',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { min: 0, max: 3, metric: { concurrency: { target: 10 } } },
};
const REDIS = { type: 'redis-list', address: 'redis.cache:6379', listName: 'audio' };
const problems = (...tenants: Record<string, unknown>[]) => validateTenantsText(stringify({ defaults: DEFAULTS, tenants })).problems;
const fields = (...tenants: Record<string, unknown>[]) => problems(...tenants).map((p) => `${p.field}: ${p.message}`);

describe('job and cron-job kinds', () => {
  test('job needs triggers; with them it is valid (no port, no probes)', () => {
    const [p] = problems({ name: 'batch', kind: 'job' });
    expect(p).toMatchObject({ tenant: 'batch', field: 'triggers', allowed: expect.stringMatching(/at least one entry/) });
    expect(p.fix).toMatch(/kind: cron-job with cron: \{schedule: "0 2 \* \* \*"/);
    expect(fields({ name: 'batch', kind: 'job', triggers: [REDIS] })).toEqual([]);
  });

  test('cron-job needs cron; a bad schedule or zone is refused; the nightly report at 2 AM passes', () => {
    expect(fields({ name: 'report', kind: 'cron-job' })).toEqual(['cron: a cron-job tenant needs `cron`: it says what drives the workload']);
    expect(fields({ name: 'report', kind: 'cron-job', cron: { schedule: '0 25 * * *', timezone: 'Mars/Olympus' } })).toEqual([
      'cron.schedule: hour 25 is out of range (hour is 0-23)',
      'cron.timezone: unknown time zone',
    ]);
    expect(fields({ name: 'report', kind: 'cron-job', cron: { schedule: '0 2 * * *', timezone: 'Europe/Berlin' }, run: { deadlineSeconds: 1800 } })).toEqual([]);
  });

  test('a run cannot usually take longer than its deadline', () => {
    const report = { name: 'report', kind: 'cron-job', cron: { schedule: '0 2 * * *', timezone: 'UTC' } };
    const [p] = problems({ ...report, run: { deadlineSeconds: 600, expectedSeconds: 900 } });
    expect(p).toMatchObject({ field: 'run.expectedSeconds', value: 900, allowed: 'run.expectedSeconds ≤ 600' });
    expect(fields({ ...report, run: { deadlineSeconds: 600, expectedSeconds: 600 } })).toEqual([]);
  });

  test('blocks of job kinds elsewhere are refused, and job kinds take no hosts', () => {
    expect(fields({ name: 'q', kind: 'queue', triggers: [REDIS], run: { deadlineSeconds: 60 } })).toEqual(['run: `run` does not apply to a queue tenant']);
    expect(fields({ name: 'j', kind: 'job', triggers: [REDIS], cron: { schedule: '0 2 * * *', timezone: 'UTC' } })).toEqual(['cron: `cron` does not apply to a job tenant']);
    expect(fields({ name: 'j', kind: 'job', triggers: [REDIS], hosts: ['j.example.com'] })).toEqual(['hosts: a job tenant serves no requests, so it gets no route']);
  });

  test('a job reading Kafka runs no more Jobs than partitions', () => {
    const kafka = { type: 'kafka', bootstrapServers: 'kafka:9092', consumerGroup: 'g', topic: 't', partitions: 2 };
    expect(fields({ name: 'j', kind: 'job', triggers: [kafka] })).toEqual([expect.stringMatching(/^scaling\.max: topic t has 2 partitions/)]);
    expect(fields({ name: 'j', kind: 'job', scaling: { max: 2 }, triggers: [kafka] })).toEqual([]);
  });
});

describe('port and probes', () => {
  test('served kinds still need port and both probes', () => {
    expect(fields({ name: 'web', hosts: ['web.example.com'] })).toEqual([
      'port: a http tenant receives requests on its port, and none is set',
      expect.stringMatching(/^probes\.readiness: a http tenant needs a readiness probe/),
      expect.stringMatching(/^probes\.liveness: a http tenant needs a liveness probe/),
    ]);
    expect(fields({ name: 'web', hosts: ['web.example.com'], port: 8080, probes: { readiness: '/readyz', liveness: { exec: ['/bin/check'] } } })).toEqual([]);
  });

  test('a worker without a port: exec probes pass, an HTTP probe or metrics without a port are refused', () => {
    const worker = { name: 'w', kind: 'queue', triggers: [REDIS] };
    expect(fields({ ...worker, probes: { liveness: '/healthz' } })).toEqual(['probes.liveness: an HTTP probe is sent to `port`, and none is set']);
    expect(fields({ ...worker, metrics: { path: '/metrics' } })).toEqual(['metrics: Prometheus scrapes the metrics endpoint on `port`, and none is set']);
    expect(fields({ ...worker, probes: { readiness: { exec: ['cat', '/tmp/ready'] }, liveness: { exec: ['/app/health'] } } })).toEqual([]);
  });

  test('an exec probe needs a non-empty command', () => {
    expect(problems({ name: 'w', kind: 'queue', triggers: [REDIS], probes: { liveness: { exec: [] } } })).not.toEqual([]);
  });
});

describe('scratch space', () => {
  const base = { name: 'm', kind: 'queue', triggers: [REDIS] };
  test('a disk cache under /data passes; mount-path rules shared with volumes refuse /etc, /tmp/x and overlaps', () => {
    expect(fields({ ...base, scratch: [{ name: 'weights', mountPath: '/data', size: '8Gi' }] })).toEqual([]);
    expect(fields({ ...base, scratch: [{ name: 'a', mountPath: '/etc', size: '1Gi' }, { name: 'b', mountPath: '/tmp/x', size: '1Gi' }, { name: 'c', mountPath: '/data', size: '1Gi' }, { name: 'd', mountPath: '/data/sub', size: '1Gi' }] })).toEqual([
      expect.stringMatching(/^scratch\[0\]\.mountPath: a scratch mount at \/etc would hide the image's own \/etc/),
      "scratch[1].mountPath: it overlaps /tmp, the pod's scratch emptyDir",
      "scratch[3].mountPath: it overlaps scratch[2].mountPath (/data): one mount would hide the other's files",
    ]);
  });

  test('names: not tmp, not twice; sizes within bounds', () => {
    expect(fields({ ...base, scratch: [{ name: 'tmp', mountPath: '/a', size: '1Gi' }, { name: 'x', mountPath: '/b', size: '1Gi' }, { name: 'x', mountPath: '/c', size: '512Ki' }] })).toEqual([
      'scratch[0].name: the pod already has a volume named "tmp" (the /tmp emptyDir)',
      'scratch[2].name: two scratch mounts have the same name',
      'scratch[2].size: 512Ki is below the scratch bounds',
    ]);
  });

  test('memory-backed scratch must fit under the memory limit (tmpfs pages count against it)', () => {
    const [p] = problems({ ...base, scratch: [{ name: 'shm', mountPath: '/shm', size: '512Mi', medium: 'memory' }] });
    expect(p).toMatchObject({ field: 'scratch', value: '512Mi', fix: expect.stringMatching(/medium: disk/) });
    expect(p.message).toMatch(/count against the container's memory limit \(512Mi\)/);
    expect(fields({ ...base, scratch: [{ name: 'shm', mountPath: '/shm', size: '256Mi', medium: 'memory' }] })).toEqual([]);
  });

  test('ephemeral storage per pod: /tmp + disk scratch + the kubelet log allowance; memory scratch is not counted; none without disk scratch', () => {
    expect(CONTAINER_LOG_BYTES).toBe(50n * 1024n * 1024n);
    expect(podEphemeralStorageBytes({ scratch: [{ name: 'a', mountPath: '/a', size: '1Gi', medium: 'disk' }, { name: 'b', mountPath: '/b', size: '100Mi', medium: 'memory' }] })).toBe(1024n ** 3n + 64n * 1024n ** 2n + 50n * 1024n ** 2n);
    expect(podEphemeralStorageBytes({ scratch: [{ name: 'b', mountPath: '/b', size: '100Mi', medium: 'memory' }] })).toBeUndefined();
    expect(podEphemeralStorageBytes({})).toBeUndefined();
    expect(scratchProblems({ name: 'x', scratch: [], resources: { limits: { memory: '1Gi' } } } as never)).toEqual([]);
  });
});
