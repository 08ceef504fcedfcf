import { TenantSpec, NAMESPACE_PREFIX } from '../tenants/schema';
import { tenantKind } from '../tenants/kind-rules';
import { rolloutSurgePods } from '../tenants/rules/placement';
import { LABELS, MANAGER, PlatformSettings } from './platform-settings';

/** Name of the application container in every tenant pod. */
export const APP_CONTAINER = 'app';

/** Object metadata as every tenant object writes it. */
export interface TenantMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/**
 * What every part of a tenant shares, built once per tenant: the resolved spec, the platform
 * names, the namespace, the labels every object carries and the immutable selector labels.
 */
export interface TenantContext {
  readonly spec: TenantSpec;
  readonly settings: PlatformSettings;
  readonly name: string;
  readonly namespace: string;
  /** Labels on every object (the tenant's own labels first, ours win). */
  readonly labels: Record<string, string>;
  /** The Deployment's `spec.selector` (immutable once applied: keep exactly these two keys). */
  readonly selectorLabels: Record<string, string>;
  /** Metadata of an object named `name` in the tenant namespace (or in `namespace`). */
  meta(name: string, namespace?: string): TenantMeta;
}

/** Builds the context of one tenant. */
export function tenantContext(spec: TenantSpec, settings: PlatformSettings): TenantContext {
  const name = spec.name;
  const namespace = tenantNamespace(name);
  const labels: Record<string, string> = {
    ...spec.labels,
    [LABELS.name]: name,
    [LABELS.tenant]: name,
    [LABELS.partOf]: MANAGER,
    [LABELS.managedBy]: MANAGER,
    // Read by the stateful-never-scales-to-zero policy rule on any manifest directory.
    ...(tenantKind(spec) === 'stateful' ? { [LABELS.stateful]: 'true' } : {}),
  };
  return {
    spec,
    settings,
    name,
    namespace,
    labels,
    selectorLabels: { [LABELS.name]: name, [LABELS.tenant]: name },
    meta: (objectName, objectNamespace = namespace) => ({ name: objectName, namespace: objectNamespace, labels }),
  };
}

/** Namespace of a tenant: `tenant-<name>`. */
export function tenantNamespace(name: string): string {
  return `${NAMESPACE_PREFIX}${name}`;
}

/**
 * Finished Jobs the controllers keep for their logs (and the quota counts): KEDA's default is 100
 * of each (kedacore/keda@v2.20.2 pkg/scaling/executor/scale_jobs.go:39-40), far more objects than a
 * tenant needs to read why its last runs failed.
 */
export const JOB_HISTORY = { successful: 3, failed: 3 } as const;

/**
 * Most pods a tenant can run at once: max replicas plus the rollout surge (25%, rounded up; none
 * under Recreate or for GPU tenants: tenants/rules/placement.ts rolloutSurgePods). A job tenant runs at most scaling.max Jobs of one pod each (ScaledJob
 * maxReplicaCount); a cron-job one run at a time, two while Replace stops the old run.
 */
export function tenantMaxPods(spec: TenantSpec): number {
  const kind = tenantKind(spec);
  if (kind === 'cron-job') return spec.cron?.concurrencyPolicy === 'Replace' ? 2 : 1;
  return kind === 'job' ? spec.scaling.max : spec.scaling.max + rolloutSurgePods(spec, spec.scaling.max);
}

/**
 * Jobs (`count/jobs.batch`) a job tenant's namespace holds at most, or undefined for other kinds:
 * the running ones, the kept history, and the runs that finished since the last clean-up (KEDA
 * deletes beyond the history limits once per poll, after creating new Jobs: scale_jobs.go:62 then :98,
 * :336-381; the CronJob controller after each run finishes).
 */
export function tenantMaxJobs(spec: TenantSpec): number | undefined {
  const kind = tenantKind(spec);
  if (kind !== 'job' && kind !== 'cron-job') return undefined;
  const running = tenantMaxPods(spec);
  return 2 * running + JOB_HISTORY.successful + JOB_HISTORY.failed;
}
