import { Construct } from 'constructs';
import { TenantSpec } from '../tenants/schema';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from './platform-settings';
import { TenantContext, tenantContext, tenantMaxPods } from './tenant-context';
import { TenantEntry } from './tenant-entry';
import { TenantIsolation } from './tenant-isolation';
import { TenantObservability } from './tenant-observability';
import { isRunPlan, planTenant, TenantPlan } from './tenant-kinds';
import { TenantJob } from './tenant-job';
import { TenantScaler } from './tenant-scaler';
import { TenantWorkload } from './tenant-workload';
import { TenantVolumes } from './tenant-volumes';

export { APP_CONTAINER, tenantMaxPods, tenantNamespace } from './tenant-context';
export { ROUTE_TIMEOUT_MARGIN_SECONDS } from './tenant-entry';

export interface TenantProps {
  /** The resolved tenant (see tenants/schema.ts); validate it before building. */
  readonly spec: TenantSpec;
  /**
   * Shared platform names: Gateway, interceptor Service, monitoring namespace.
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
}

/**
 * Everything one tenant needs, from one TenantSpec, composed of small parts: isolation (namespace
 * and guardrails), workload (Deployment and Service), scaler, entry (routes) and observability
 * (VPA, ServiceMonitor). What the tenant's kind needs comes from its plan (tenant-kinds.ts): the
 * construct itself decides nothing. The entry (InterceptorRoute) precedes the scaler (the
 * ScaledObject naming it), the order the add-on's docs ask for.
 */
export class Tenant extends Construct {
  public readonly ctx: TenantContext;
  public readonly isolation: TenantIsolation;
  /** The Deployment (and Service); absent for job kinds, whose runs are Jobs (see `job`). */
  public readonly workload?: TenantWorkload;
  /** The ScaledJob or CronJob of a job kind. */
  public readonly job?: TenantJob;
  /** The claims of a stateful tenant's volumes (none for other tenants). */
  public readonly volumes: TenantVolumes;
  /** Absent for job kinds (the ScaledJob is its own scaler; a CronJob needs none). */
  public readonly scaler?: TenantScaler;
  /** Absent for queue and scheduled tenants (no requests, no route). */
  public readonly entry?: TenantEntry;
  public readonly plan: TenantPlan;
  public readonly observability: TenantObservability;

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const ctx = tenantContext(props.spec, props.settings ?? DEFAULT_PLATFORM_SETTINGS);
    const plan = planTenant(ctx);
    this.ctx = ctx;
    this.plan = plan;
    this.isolation = new TenantIsolation(this, 'isolation', { ctx, maxPods: tenantMaxPods(ctx.spec), plan });
    this.volumes = new TenantVolumes(this, 'volumes', { ctx });
    const scaler = plan.scaler;
    if (isRunPlan(scaler)) {
      this.job = new TenantJob(this, 'job', { ctx, run: scaler });
    } else {
      this.workload = new TenantWorkload(this, 'workload', { ctx, recreate: plan.recreate });
      if (plan.entry) this.entry = new TenantEntry(this, 'entry', { ctx, backend: plan.entry });
      this.scaler = new TenantScaler(this, 'scaler', {
        ctx,
        scaler,
        pdb: plan.pdb,
        behavior: plan.kind === 'service',
        takeOver: ctx.settings.httpScaledObjectMigration && (plan.entry === 'interceptor' || plan.entry === 'direct-when-warm'),
      });
    }
    this.observability = new TenantObservability(this, 'observability', { ctx, vpa: plan.vpa ?? false, service: this.workload?.service !== undefined });
  }
}
