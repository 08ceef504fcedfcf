import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { ScaledObject, ScaledObjectSpec, TriggerAuthentication, TriggerAuthenticationSpec } from './imports/keda.sh';
import { HpaScalerPlan, KedaScalerPlan, ScalerPlan } from './tenant-kinds';
import { TenantContext } from './tenant-context';
import type { KedaTrigger, TriggerAuth } from './triggers/keda-trigger';

/**
 * The lessons' HPA behavior (seed 000 Exercise 1; 003): up by 100% every 15 s, down by 25% every
 * 60 s, and a 300 s scale-down stabilization window.
 */
export const HPA_BEHAVIOR = {
  scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 25, periodSeconds: 60 }] },
} as const;

export interface TenantScalerProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
  /** What scales the Deployment (tenant-kinds.ts). */
  readonly scaler: ScalerPlan;
  /**
   * Also write the lessons' behavior block into a KEDA ScaledObject's HPA (always-on services).
   * @default false
   */
  readonly behavior?: boolean;
  /**
   * Take the ScaledObject over from another field manager (`pulumi.com/patchForce`): during the
   * HTTPScaledObject migration the add-on's operator still owns the fields of the ScaledObject of
   * the same name, and server-side apply would otherwise stop on the conflict.
   * @default false
   */
  readonly takeOver?: boolean;
  /**
   * Add a PodDisruptionBudget (maxUnavailable 1): only for always-on workloads.
   * @default false
   */
  readonly pdb?: boolean;
}

type Emitter<P extends ScalerPlan> = (scope: Construct, ctx: TenantContext, plan: P, props: TenantScalerProps) => void;

/** One emitter per scaler type: a ScaledObject (KEDA) or an HPA. */
const EMITTERS: { readonly [T in ScalerPlan['type']]: Emitter<Extract<ScalerPlan, { type: T }>> } = {
  keda: scaledObject,
  hpa: horizontalPodAutoscaler,
};

/** What scales the tenant's Deployment, and (for always-on services) its disruption budget. */
export class TenantScaler extends Construct {
  constructor(scope: Construct, id: string, props: TenantScalerProps) {
    super(scope, id);
    (EMITTERS[props.scaler.type] as Emitter<ScalerPlan>)(this, props.ctx, props.scaler, props);
    if (props.pdb ?? false) {
      new ApiObject(this, 'pdb', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: props.ctx.meta(props.ctx.name),
        // One pod at a time may go: a node drain always proceeds, and min ≥ 1 keeps the service up.
        spec: { maxUnavailable: 1, selector: { matchLabels: props.ctx.selectorLabels } },
      });
    }
  }
}

/**
 * A KEDA ScaledObject (what the add-on's migration guide has you write,
 * keda-docs content/http-add-on/0.15/operations/migrate-httpscaledobject-to-interceptorroute.md)
 * and one TriggerAuthentication per trigger that reads Secrets. `cooldownPeriod` is written only
 * when the workload may reach zero: KEDA's webhook warns that it is irrelevant otherwise
 * (kedacore/keda@v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go:348-352).
 */
function scaledObject(scope: Construct, ctx: TenantContext, plan: KedaScalerPlan, props: TenantScalerProps): void {
  triggerAuthentications(scope, ctx, plan.auths);
  const spec: ScaledObjectSpec = {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: ctx.name },
    minReplicaCount: plan.min,
    maxReplicaCount: plan.max,
    ...(plan.min === 0 ? { cooldownPeriod: plan.cooldownPeriod } : {}),
    ...((props.behavior ?? false) ? { advanced: { horizontalPodAutoscalerConfig: { behavior: HPA_BEHAVIOR as never } } } : {}),
    triggers: kedaTriggers(plan.triggers),
  };
  // Plain ApiObjects with the typed specs: same bytes as the generated classes, without their serializers.
  new ApiObject(scope, 'scaled-object', {
    ...ScaledObject.GVK,
    metadata: (props.takeOver ?? false) ? { ...ctx.meta(ctx.name), annotations: { 'pulumi.com/patchForce': 'true' } } : ctx.meta(ctx.name),
    spec,
  });
}

/** One TriggerAuthentication per trigger that reads Secrets (a ScaledObject's or a ScaledJob's). */
export function triggerAuthentications(scope: Construct, ctx: TenantContext, auths: readonly TriggerAuth[]): void {
  for (const auth of auths) {
    const spec: TriggerAuthenticationSpec = { secretTargetRef: auth.secretTargetRef.map((r) => ({ parameter: r.parameter, name: r.name, key: r.key })) };
    new ApiObject(scope, `auth-${auth.name}`, { ...TriggerAuthentication.GVK, metadata: ctx.meta(auth.name), spec });
  }
}

/** The `triggers` list of a ScaledObject or ScaledJob (the same ScaleTriggers type in KEDA). */
export function kedaTriggers(triggers: readonly KedaTrigger[]): { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[] {
  return triggers.map((t) => ({ type: t.type, metadata: { ...t.metadata }, ...(t.authenticationRef ? { authenticationRef: { name: t.authenticationRef.name } } : {}) }));
}

/** An autoscaling/v2 HPA on CPU and/or memory utilization (of the requests) with HPA_BEHAVIOR. */
function horizontalPodAutoscaler(scope: Construct, ctx: TenantContext, plan: HpaScalerPlan): void {
  const metrics = (['cpu', 'memory'] as const)
    .filter((r) => plan.utilization[r] !== undefined)
    .map((name) => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: plan.utilization[name] } } }));
  new ApiObject(scope, 'hpa', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: ctx.meta(ctx.name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: ctx.name },
      minReplicas: plan.min,
      maxReplicas: plan.max,
      metrics,
      behavior: HPA_BEHAVIOR,
    },
  });
}
