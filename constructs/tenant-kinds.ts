/**
 * What each kind of tenant is built from, as plain data: one entry per kind in `TENANT_KIND_PLANS`
 * (seed 000, "The Decision Tree"). The Tenant construct reads the plan and composes its parts; no
 * construct branches on the kind.
 */
import type { TenantKind } from '../tenants/kinds';
import { tenantKind } from '../tenants/kind-rules';
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
 * How requests enter: through the interceptor (0..N), straight to the tenant's Service while it
 * is up with the interceptor as the fallback (0..N, `routing: direct-when-warm`), or straight to
 * the always-on Service.
 */
export type EntryBackend = 'interceptor' | 'direct-when-warm' | 'service';

/** Everything a kind decides. */
export interface TenantPlan {
  readonly kind: TenantKind;
  readonly scaler: ScalerPlan;
  /** Absent: no HTTPRoute, no InterceptorRoute (queue and scheduled tenants serve no requests). */
  readonly entry?: EntryBackend;
  /** Replace pods all at once (a single-session runtime never runs two copies). */
  readonly recreate: boolean;
  /** Resources the VPA watches, and whether it acts (`Initial`) or only recommends (`Off`). */
  readonly vpa: { readonly mode: 'Off' | 'Initial'; readonly resources: readonly ('cpu' | 'memory')[] };
  /** A PodDisruptionBudget: only for always-on services (on a 0..N workload it blocks node drains at 1 pod). */
  readonly pdb: boolean;
  /** Namespaces admitted to the app port besides monitoring. */
  readonly admit: { readonly interceptor: boolean; readonly gateway: boolean; readonly tenants: readonly string[] };
  /** TCP ports of in-cluster brokers the pods must reach (queue triggers). */
  readonly egressPorts: readonly number[];
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
  queue: (ctx, kind) => {
    const plans = (ctx.spec.triggers ?? []).map((t, i) => queueTrigger(t, `${ctx.name}-${i}`));
    return { ...background(ctx, kind), scaler: keda(ctx, plans), egressPorts: [...new Set(plans.flatMap((p) => p.egressPorts ?? []))] };
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
      entry: ctx.spec.hosts.length > 0 ? 'service' : undefined,
      recreate: false,
      // Recommendations only, for every resource: an Off VPA never fights the HPA.
      vpa: { mode: 'Off', resources: ['cpu', 'memory'] },
      pdb: true,
      admit: { interceptor: false, gateway: ctx.spec.hosts.length > 0, tenants: ctx.spec.consumers ?? [] },
      egressPorts: [],
    };
  },
};

/** The entry of a 0..N HTTP tenant: its `routing` mode. */
function httpEntry(ctx: TenantContext): EntryBackend {
  return ctx.spec.routing === 'direct-when-warm' ? 'direct-when-warm' : 'interceptor';
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
    egressPorts: [],
  };
}

function background(_ctx: TenantContext, kind: TenantKind): Omit<TenantPlan, 'scaler'> {
  return { kind, recreate: false, vpa: { mode: 'Off', resources: ['cpu', 'memory'] }, pdb: false, admit: { interceptor: false, gateway: false, tenants: [] }, egressPorts: [] };
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
