import { Construct } from 'constructs';
import {
  VerticalPodAutoscaler,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMaxAllowed as MaxAllowed,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMinAllowed as MinAllowed,
  VerticalPodAutoscalerSpecUpdatePolicyUpdateMode,
} from './imports/autoscaling.k8s.io';
import { ServiceMonitor } from './imports/monitoring.coreos.com';
import { APP_CONTAINER, TenantContext } from './tenant-context';

export interface TenantObservabilityProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
}

/**
 * What watches the tenant without changing it: a VerticalPodAutoscaler in recommendation mode
 * (`Off`: VPA must not resize what KEDA scales) when the cluster serves VPA, and a ServiceMonitor
 * when the tenant exposes metrics and the cluster serves ServiceMonitors.
 */
export class TenantObservability extends Construct {
  /** Absent when the cluster has no VPA (`settings.verticalPodAutoscalers` false). */
  public readonly verticalPodAutoscaler?: VerticalPodAutoscaler;
  /** Present when the tenant has a metrics endpoint and the cluster serves ServiceMonitors. */
  public readonly serviceMonitor?: ServiceMonitor;

  constructor(scope: Construct, id: string, props: TenantObservabilityProps) {
    super(scope, id);
    const { ctx } = props;
    const { spec, settings, name } = ctx;
    if (settings.verticalPodAutoscalers) {
      this.verticalPodAutoscaler = new VerticalPodAutoscaler(this, 'vpa', {
        metadata: ctx.meta(name),
        spec: {
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          // Recommendation only: VPA must not resize what KEDA scales.
          updatePolicy: { updateMode: VerticalPodAutoscalerSpecUpdatePolicyUpdateMode.OFF },
          resourcePolicy: {
            containerPolicies: [
              {
                containerName: APP_CONTAINER,
                controlledResources: ['cpu', 'memory'],
                minAllowed: {
                  cpu: MinAllowed.fromString(spec.vpa.minAllowed.cpu),
                  memory: MinAllowed.fromString(spec.vpa.minAllowed.memory),
                },
                maxAllowed: {
                  cpu: MaxAllowed.fromString(spec.vpa.maxAllowed.cpu),
                  memory: MaxAllowed.fromString(spec.vpa.maxAllowed.memory),
                },
              },
            ],
          },
        },
      });
    }
    if (spec.metrics && settings.serviceMonitors) {
      this.serviceMonitor = new ServiceMonitor(this, 'service-monitor', {
        metadata: ctx.meta(name),
        spec: {
          selector: { matchLabels: ctx.selectorLabels },
          endpoints: [{ port: 'http', path: spec.metrics.path, interval: spec.metrics.interval }],
        },
      });
    }
  }
}
