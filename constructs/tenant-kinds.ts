/**
 * What each kind of tenant is built from, as plain data: one entry per kind in `TENANT_KIND_PLANS`
 * (seed 000, "The Decision Tree"). The Tenant construct reads the plan and composes its parts; no
 * construct branches on the kind.
 */
import type { CronJobSchedule, RunSpec, TenantKind } from '../tenants/kinds';
import type { BrokerEgress } from '../tenants/rules/egress';
import { tenantKind } from '../tenants/kind-rules';
import { EntryBackend, kindEntryBackend } from '../tenants/entry-route';
import { TenantContext } from './tenant-context';
import { cronTrigger, warmTrigger } from './triggers/cron';
import { externalPushTrigger } from './triggers/external-push';
import { queueTrigger } from './triggers/index';
import { KedaTrigger, TriggerAuth, TriggerPlan } from './triggers/keda-trigger';
import { edgeRequestTrigger } from './triggers/edge-request-rate';
import { prometheusTrigger } from './triggers/prometheus';

/** A KEDA ScaledObject (and the TriggerAuthentications its triggers use). */
export interface KedaScalerPlan {
  readonly type: 'keda';
  readonly min: number;
  readonly max: number;
  readonly cooldownPeriod: number;
  readonly triggers: readonly KedaTrigger[];
  readonly auths: readonly TriggerAuth[];
}

/** An autoscaling/v2 HPA on resource utilization, with the lessons' behavior block, and a PDB. */
export interface HpaScalerPlan {
  readonly type: 'hpa';
  readonly min: number;
  readonly max: number;
  readonly utilization: { readonly cpu?: number; readonly memory?: number };
}

export type ScalerPlan = KedaScalerPlan | HpaScalerPlan;

/**
 * Runs to completion started by KEDA from a queue's backlog: a ScaledJob. `min`/`max` are
 * minReplicaCount/maxReplicaCount, so at most `max` Jobs (one pod each) run at once: KEDA counts
 * unfinished Jobs and creates at most maxReplicaCount − minReplicaCount beyond the min
 * (kedacore/keda@v2.20.2 apis/keda/v1alpha1/scaledjob_types.go:147-168,
 * pkg/scaling/executor/scale_jobs.go:105-117 and :458-460, the default strategy).
 */
export interface ScaledJobPlan {
  readonly type: 'scaled-job';
  readonly min: number;
  readonly max: number;
  readonly triggers: readonly KedaTrigger[];
  readonly auths: readonly TriggerAuth[];
  readonly run: RunSpec;
}

/** Runs on a fixed schedule: a batch/v1 CronJob, one Job (one pod) per run. */
export interface CronJobPlan {
  readonly type: 'cron-job';
  /** Absent only on an entry validation refuses (tenants/kind-rules.ts REQUIRED_BLOCK); plans are also read while validating. */
  readonly cron?: CronJobSchedule;
  readonly run: RunSpec;
}

/** What starts a job kind's runs. */
export type RunPlan = ScaledJobPlan | CronJobPlan;

/** True for the plans of job kinds (their pods run to completion: no Deployment). */
export function isRunPlan(plan: ScalerPlan | RunPlan): plan is RunPlan {
  return plan.type === 'scaled-job' || plan.type === 'cron-job';
}

export { JOB_HISTORY } from './tenant-context';

export type { EntryBackend } from '../tenants/entry-route';

/** Everything a kind decides. */
export interface TenantPlan {
  readonly kind: TenantKind;
  /** A Deployment's autoscaler, or (job kinds) what starts the runs instead of a Deployment. */
  readonly scaler: ScalerPlan | RunPlan;
  /** Absent: no HTTPRoute, no InterceptorRoute (queue and scheduled tenants serve no requests). */
  readonly entry?: EntryBackend;
  /** Replace pods all at once (a single-session runtime never runs two copies). */
  readonly recreate: boolean;
  /** Resources the VPA watches, and whether it acts (`Initial`) or only recommends (`Off`). */
  readonly vpa?: { readonly mode: 'Off' | 'Initial'; readonly resources: readonly ('cpu' | 'memory')[] };
  /** A PodDisruptionBudget: only for always-on services (on a 0..N workload it blocks node drains at 1 pod). */
  readonly pdb: boolean;
  /** Namespaces admitted to the app port besides monitoring. */
  readonly admit: { readonly interceptor: boolean; readonly gateway: boolean; readonly tenants: readonly string[] };
  /** Brokers the pods must reach (queue triggers): TCP port, and /32 when given by address. */
  readonly brokerEgress: readonly BrokerEgress[];
}

/** The plan of one tenant. */
export function planTenant(ctx: TenantContext): TenantPlan {
  const kind = tenantKind(ctx.spec);
  return TENANT_KIND_PLANS[kind](ctx, kind);
}

type KindPlanner = (ctx: TenantContext, kind: TenantKind) => TenantPlan;

/** One planner per kind: a new kind is one entry here (and its fields in tenants/kinds.ts). */
export const TENANT_KIND_PLANS: { readonly [K in TenantKind]: KindPlanner } = {
  http: (ctx, kind) => ({
    ...httpServed(ctx, kind),
    scaler: keda(ctx, [...httpTriggers(ctx), ...(ctx.spec.warm ?? []).map((w) => ({ trigger: warmTrigger(w) }))]),
  }),
  stateful: (ctx, kind) => ({
    ...httpServed(ctx, kind),
    recreate: true,
    scaler: keda(ctx, [
      ...httpTriggers(ctx),
      ...(ctx.spec.burst ? [{ trigger: prometheusTrigger(ctx.spec.burst) }] : []),
    ]),
    // "Both burst load and unknown sizing? → HPA on custom metric + VPA on memory only": the one
    // acting VPA the lessons endorse; Initial sizes new pods and never evicts a running session.
    vpa: ctx.spec.burst ? { mode: 'Initial', resources: ['memory'] } : { mode: 'Off', resources: ['cpu', 'memory'] },
  }),
  job: (ctx, kind) => {
    const plans = (ctx.spec.triggers ?? []).map((t, i) => queueTrigger(t, `${ctx.name}-${i}`));
    const scaler: ScaledJobPlan = { type: 'scaled-job', min: ctx.spec.scaling.min, max: ctx.spec.scaling.max, triggers: plans.map((p) => p.trigger), auths: plans.flatMap((p) => (p.auth ? [p.auth] : [])), run: runOf(ctx) };
    return { ...runToCompletion(kind), scaler, brokerEgress: uniqueBrokers(plans.flatMap((p) => p.brokerEgress ?? [])) };
  },
  'cron-job': (ctx, kind) => ({
    ...runToCompletion(kind),
    scaler: { type: 'cron-job', cron: ctx.spec.cron, run: runOf(ctx) },
  }),
  queue: (ctx, kind) => {
    const plans = (ctx.spec.triggers ?? []).map((t, i) => queueTrigger(t, `${ctx.name}-${i}`));
    return { ...background(ctx, kind), scaler: keda(ctx, plans), brokerEgress: uniqueBrokers(plans.flatMap((p) => p.brokerEgress ?? [])) };
  },
  scheduled: (ctx, kind) => ({ ...background(ctx, kind), scaler: keda(ctx, (ctx.spec.schedule ?? []).map((w) => ({ trigger: cronTrigger(w) }))) }),
  service: (ctx, kind) => {
    const a = ctx.spec.autoscaling ?? {};
    const scaler: ScalerPlan = a.prometheus
      ? keda(ctx, [{ trigger: prometheusTrigger(a.prometheus) }])
      : { type: 'hpa', min: ctx.spec.scaling.min, max: ctx.spec.scaling.max, utilization: { cpu: a.cpu, memory: a.memory } };
    return {
      kind,
      scaler,
      entry: kindEntryBackend(kind, ctx.spec),
      recreate: false,
      // Recommendations only, for every resource: an Off VPA never fights the HPA.
      vpa: { mode: 'Off', resources: ['cpu', 'memory'] },
      pdb: true,
      admit: { interceptor: false, gateway: ctx.spec.hosts.length > 0, tenants: ctx.spec.consumers ?? [] },
      brokerEgress: [],
    };
  },
};

/** The entry of a 0..N HTTP tenant: its `routing` mode (tenants/entry-route.ts, the one definition). */
function httpEntry(ctx: TenantContext): EntryBackend {
  return kindEntryBackend(tenantKind(ctx.spec), ctx.spec) ?? 'interceptor';
}

/**
 * The triggers of a 0..N HTTP tenant: the add-on's external-push, and for direct-when-warm also
 * Envoy's request metric through Prometheus (warm requests never reach the interceptor).
 */
function httpTriggers(ctx: TenantContext): TriggerPlan[] {
  const push: TriggerPlan = { trigger: externalPushTrigger(ctx.name, ctx.settings) };
  if (httpEntry(ctx) !== 'direct-when-warm') return [push];
  return [push, { trigger: edgeRequestTrigger(ctx.namespace, ctx.name, ctx.spec.scaling.metric, ctx.settings.monitoringNamespace) }];
}

function httpServed(ctx: TenantContext, kind: TenantKind): Omit<TenantPlan, 'scaler'> {
  const entry = httpEntry(ctx);
  return {
    kind,
    entry,
    recreate: false,
    vpa: { mode: 'Off', resources: ['cpu', 'memory'] },
    pdb: false,
    // direct-when-warm: the Envoy proxies connect to the pods too.
    admit: { interceptor: true, gateway: entry === 'direct-when-warm', tenants: [] },
    brokerEgress: [],
  };
}

function background(_ctx: TenantContext, kind: TenantKind): Omit<TenantPlan, 'scaler'> {
  return { kind, recreate: false, vpa: { mode: 'Off', resources: ['cpu', 'memory'] }, pdb: false, admit: { interceptor: false, gateway: false, tenants: [] }, brokerEgress: [] };
}

/** Job kinds: no entry, no VPA (its targets are controllers with a scale subresource, not a ScaledJob), no PDB. */
function runToCompletion(kind: TenantKind): Omit<TenantPlan, 'scaler'> {
  return { kind, recreate: false, pdb: false, admit: { interceptor: false, gateway: false, tenants: [] }, brokerEgress: [] };
}

function runOf(ctx: TenantContext): RunSpec {
  return ctx.spec.run ?? { deadlineSeconds: 3600, backoffLimit: 2 };
}

function keda(ctx: TenantContext, plans: readonly TriggerPlan[]): KedaScalerPlan {
  return {
    type: 'keda',
    min: ctx.spec.scaling.min,
    max: ctx.spec.scaling.max,
    cooldownPeriod: ctx.spec.scaling.scaledownPeriod,
    triggers: plans.map((p) => p.trigger),
    auths: plans.flatMap((p) => (p.auth ? [p.auth] : [])),
  };
}

/** Brokers listed once (several triggers may read the same broker). */
function uniqueBrokers(list: readonly BrokerEgress[]): BrokerEgress[] {
  return [...new Map(list.map((b) => [`${b.cidr ?? '*'}:${b.port}`, b])).values()];
}
