import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { TenantContext, tenantMaxJobs, tenantNamespace } from './tenant-context';
import { TenantGuardrails } from './tenant-guardrails';
import { TenantPlan } from './tenant-kinds';
import { ACME_HTTP01_SOLVER_POD, acmeSolverPods } from './tenant-tls';

export interface TenantIsolationProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
  /** Most pods the tenant can run at once (max replicas plus rollout surge); sizes the quota. */
  readonly maxPods: number;
  /** Who connects to the tenant and which in-cluster ports it reaches (tenant-kinds.ts). */
  readonly plan: Pick<TenantPlan, 'admit' | 'brokerEgress'>;
}

/**
 * The tenant's namespace and what keeps it apart from every other tenant: the Namespace (Pod
 * Security `restricted`, labelled so the shared Gateway admits its routes) and the guardrails
 * (ResourceQuota, LimitRange, NetworkPolicy; see TenantGuardrails).
 */
export class TenantIsolation extends Construct {
  public readonly namespace: kplus.k8s.KubeNamespace;
  public readonly guardrails: TenantGuardrails;

  constructor(scope: Construct, id: string, props: TenantIsolationProps) {
    super(scope, id);
    const { ctx, maxPods, plan } = props;
    const solverPods = acmeSolverPods(ctx);
    // Plain API objects where cdk8s-plus adds nothing but cost (synth runs this for every tenant).
    this.namespace = new kplus.k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: ctx.namespace,
        labels: {
          ...ctx.labels,
          [ctx.settings.tenantNamespaceLabel.key]: ctx.settings.tenantNamespaceLabel.value,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    this.guardrails = new TenantGuardrails(this, 'guardrails', {
      spec: ctx.spec,
      namespace: ctx.namespace,
      settings: ctx.settings,
      labels: ctx.labels,
      maxPods,
      admit: plan.admit,
      brokerEgress: plan.brokerEgress,
      egressNamespaces: (ctx.spec.uses ?? []).map((service) => tenantNamespace(service)),
      maxJobs: tenantMaxJobs(ctx.spec),
      headroom: solverPods > 0 ? { pods: solverPods, ...ACME_HTTP01_SOLVER_POD } : undefined,
    });
  }
}
