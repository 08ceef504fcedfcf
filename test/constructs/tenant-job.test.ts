/**
 * Issue 22 items 1-3, end to end from test/fixtures/workloads/tenants.yaml: a ScaledJob and a
 * CronJob instead of a Deployment for work that runs to completion, a worker without a port, and
 * scratch space counted in the quota. Built-in kinds are checked against kubernetes-models' schemas.
 */
import { readFileSync } from 'node:fs';
import { tenantManifests, Manifest } from '../../constructs/manifests';
import { formatPath } from '../../cli/conformance/field-path';
import { kubernetesModelsCatalog } from '../../cli/conformance/kubernetes-models-schemas';
import { runRules } from '../../policies/engine';
import type { KubeObject } from '../../policies/types';
import { validateTenantsText } from '../../tenants/validate';
import type { TenantSpec } from '../../tenants/schema';

const result = validateTenantsText(readFileSync('test/fixtures/workloads/tenants.yaml', 'utf8'));
const tenant = (name: string): TenantSpec => result.tenants.find((t) => t.name === name)!;
const build = (name: string) => tenantManifests(tenant(name));
const kinds = (o: Manifest[]) => o.map((m) => m.kind);
const one = (o: Manifest[], kind: string): any => {
  const found = o.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const catalog = kubernetesModelsCatalog();
/** Problems kubernetes-models' schema finds in a built-in object (none for kinds it does not know). */
function builtinProblems(o: Manifest): string[] {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const schema = catalog.lookup({ group, version, kind: o.kind });
  return schema ? schema.validate(o).problems.map((p) => `${o.kind} ${formatPath(p.path)}: ${p.message}`) : [];
}

test('the fixture is valid', () => {
  expect(result.problems).toEqual([]);
});

describe('kind job: a KEDA ScaledJob', () => {
  const o = build('transcribe');
  const job = one(o, 'ScaledJob');

  test('no Deployment, Service, ScaledObject or VPA; the ScaledJob and guardrails', () => {
    expect(kinds(o)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ScaledJob']);
  });

  test('one pod per Job, restartPolicy Never, the run deadline and retries, KEDA history kept short, default strategy', () => {
    expect(job.apiVersion).toBe('keda.sh/v1alpha1');
    expect(job.spec).toMatchObject({
      minReplicaCount: 0,
      maxReplicaCount: 3,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      scalingStrategy: { strategy: 'default' },
      jobTargetRef: { parallelism: 1, completions: 1, backoffLimit: 1, activeDeadlineSeconds: 900 },
    });
    expect(job.spec.triggers).toEqual([{ type: 'redis', metadata: expect.objectContaining({ listName: 'audio', listLength: '5' }) }]);
    const pod = job.spec.jobTargetRef.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(pod.containers[0]).not.toHaveProperty('ports');
    expect(pod.containers[0]).not.toHaveProperty('startupProbe');
  });

  test('quota counts its pods, its Jobs (running + history + finished since clean-up) and its scratch', () => {
    const hard = one(o, 'ResourceQuota').spec.hard;
    expect(hard.pods).toBe('3');
    expect(hard['count/jobs.batch']).toBe(String(2 * 3 + 3 + 3));
    // per pod: 64Mi /tmp + 50Mi logs + 2Gi scratch = 2162Mi
    const container = job.spec.jobTargetRef.template.spec.containers[0];
    expect(container.resources.requests['ephemeral-storage']).toBe('2162Mi');
    expect(container.resources.limits['ephemeral-storage']).toBe('2162Mi');
    expect(hard['requests.ephemeral-storage']).toBe(`${3 * 2162}Mi`);
    expect(hard['limits.ephemeral-storage']).toBe(`${3 * 2162}Mi`);
    expect(one(o, 'LimitRange').spec.limits[0].default['ephemeral-storage']).toBe('114Mi');
    expect(job.spec.jobTargetRef.template.spec.volumes).toContainEqual({ emptyDir: { sizeLimit: '2Gi' }, name: 'work' });
  });

  test('no ingress at all (no port), egress to the broker port; no policy rule broken', () => {
    const np = one(o, 'NetworkPolicy').spec;
    expect(np.ingress).toEqual([]);
    expect(np.egress.some((r: any) => r.ports?.some((p: any) => p.port === 6379))).toBe(true);
    expect(runRules(o as KubeObject[])).toEqual([]);
    expect(o.flatMap(builtinProblems)).toEqual([]);
  });
});

describe('kind cron-job: a batch/v1 CronJob', () => {
  const o = build('nightly-report');
  const cron = one(o, 'CronJob');

  test('the nightly report at 2 AM Berlin time, Forbid, one pod per run under restartPolicy Never', () => {
    expect(kinds(o)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'CronJob']);
    expect(cron.apiVersion).toBe('batch/v1');
    expect(cron.spec).toMatchObject({ schedule: '0 2 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(cron.spec.jobTargetRef).toBeUndefined();
    expect(cron.spec.jobTemplate.spec).toMatchObject({ activeDeadlineSeconds: 3600, backoffLimit: 2, parallelism: 1, completions: 1 });
    expect(cron.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('quota: one pod at a time, its Jobs counted; conforms to the Kubernetes schema; no rule broken', () => {
    const hard = one(o, 'ResourceQuota').spec.hard;
    expect(hard.pods).toBe('1');
    expect(hard['count/jobs.batch']).toBe(String(2 * 1 + 3 + 3));
    expect(hard).not.toHaveProperty('requests.ephemeral-storage');
    expect(o.flatMap(builtinProblems)).toEqual([]);
    expect(runRules(o as KubeObject[])).toEqual([]);
  });

  test('Replace allows the stopping run beside the new one: two pods', () => {
    const spec = { ...tenant('nightly-report'), cron: { schedule: '0 2 * * *', timezone: 'UTC', concurrencyPolicy: 'Replace' as const } };
    expect(one(tenantManifests(spec), 'ResourceQuota').spec.hard.pods).toBe('2');
  });
});

describe('a queue worker without an HTTP server', () => {
  const o = build('inbound');
  const pod = one(o, 'Deployment').spec.template.spec;

  test('a Deployment and ScaledObject but no Service; exec liveness, no readiness, startup or port', () => {
    expect(kinds(o)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Deployment', 'ScaledObject', 'VerticalPodAutoscaler']);
    const c = pod.containers[0];
    expect(c.livenessProbe).toEqual({ failureThreshold: 3, exec: { command: ['/app/healthcheck', '--liveness'] }, periodSeconds: 10 });
    expect(c).not.toHaveProperty('readinessProbe');
    expect(c).not.toHaveProperty('startupProbe');
    expect(c).not.toHaveProperty('ports');
    expect(pod.restartPolicy).toBe('Always');
    expect(one(o, 'NetworkPolicy').spec.ingress).toEqual([]);
    expect(o.flatMap(builtinProblems)).toEqual([]);
    expect(runRules(o as KubeObject[])).toEqual([]);
  });
});

describe('scratch on a served tenant (a model server caching weights under /data)', () => {
  const o = build('embeddings');
  const pod = one(o, 'Deployment').spec.template.spec;

  test('disk and memory emptyDirs mounted; only disk counted as ephemeral-storage', () => {
    expect(pod.volumes).toEqual([
      { emptyDir: { sizeLimit: '64Mi' }, name: 'tmp' },
      { emptyDir: { sizeLimit: '8Gi' }, name: 'weights' },
      { emptyDir: { medium: 'Memory', sizeLimit: '256Mi' }, name: 'shm' },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'tmp' },
      { mountPath: '/data', name: 'weights' },
      { mountPath: '/dev-shm-cache', name: 'shm' },
    ]);
    // 64Mi + 50Mi + 8Gi = 8306Mi; the 256Mi tmpfs is part of the 2Gi memory limit instead.
    expect(pod.containers[0].resources.limits).toEqual({ cpu: '1', memory: '2Gi', 'ephemeral-storage': '8306Mi' });
    // max 2 + 25% surge = 3 pods
    expect(one(o, 'ResourceQuota').spec.hard['requests.ephemeral-storage']).toBe(`${3 * 8306}Mi`);
    expect(o.flatMap(builtinProblems)).toEqual([]);
  });
});

describe('policy rules read a ScaledJob\'s pod template (policies/model.ts podTemplate)', () => {
  test('an unpinned image in a ScaledJob is caught; the synthesized one passes', () => {
    const o = build('transcribe');
    expect(runRules(o as KubeObject[]).map((v) => v.rule)).toEqual([]);
    const bad = JSON.parse(JSON.stringify(o)) as any[];
    bad.find((m) => m.kind === 'ScaledJob').spec.jobTargetRef.template.spec.containers[0].image = 'ghcr.io/example/worker:latest';
    expect(runRules(bad as KubeObject[]).map((v) => v.rule)).toContain('image-pinned');
  });
});
