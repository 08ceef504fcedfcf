import { Construct } from 'constructs';
import { HttpScaledObject } from './imports/http.keda.sh';
import { TenantContext } from './tenant-context';

export interface TenantScalerProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
}

/** Emits the autoscaler objects of one scaler kind into `scope`. */
type ScalerBuilder = (scope: Construct, ctx: TenantContext) => void;

/** One builder per scaler kind: a new kind is one entry here, never a branch in a construct. */
const SCALERS = {
  http: httpScaledObject,
} satisfies Record<string, ScalerBuilder>;

/** What scales the tenant's Deployment. */
export class TenantScaler extends Construct {
  constructor(scope: Construct, id: string, props: TenantScalerProps) {
    super(scope, id);
    SCALERS.http(this, props.ctx);
  }
}

/** HTTP add-on HTTPScaledObject: hosts, replica bounds, cooldown, metric, interceptor timeouts. */
function httpScaledObject(scope: Construct, ctx: TenantContext): void {
  const { spec, name } = ctx;
  const metric = spec.scaling.metric;
  new HttpScaledObject(scope, 'http-scaled-object', {
    metadata: ctx.meta(name),
    spec: {
      hosts: [...spec.hosts],
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name, service: name, port: spec.port },
      replicas: { min: spec.scaling.min, max: spec.scaling.max },
      scaledownPeriod: spec.scaling.scaledownPeriod,
      scalingMetric: metric.requestRate
        ? {
            requestRate: {
              targetValue: metric.requestRate.target,
              window: metric.requestRate.window,
              granularity: metric.requestRate.granularity,
            },
          }
        : { concurrency: { targetValue: metric.concurrency!.target } },
      timeouts: {
        // How long the interceptor holds the first request while the pod starts.
        conditionWait: `${spec.coldStartBudget}s`,
        responseHeader: `${spec.responseTimeout}s`,
      },
    },
  });
}
