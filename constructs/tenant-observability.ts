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
  /**
   * What the VPA watches and whether it acts: `Off` (recommendations only) or `Initial` (sizes new
   * pods, never evicts; the stateful burst combination on memory only).
   * `false`: no VPA (job kinds: a VPA targets a controller such as a Deployment, not a ScaledJob).
   * @default { mode: 'Off', resources: ['cpu', 'memory'] }
   */
  readonly vpa?: { readonly mode: 'Off' | 'Initial'; readonly resources: readonly ('cpu' | 'memory')[] } | false;
  /**
   * Whether the tenant has a Service a ServiceMonitor can select (job kinds and port-less workers have none).
   * @default true when the tenant has a port
   */
  readonly service?: boolean;
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
    const vpa = props.vpa ?? { mode: 'Off', resources: ['cpu', 'memory'] };
    const { spec, settings, name } = ctx;
    if (settings.verticalPodAutoscalers && vpa !== false) {
      const bound = (which: 'minAllowed' | 'maxAllowed', Cls: typeof MinAllowed | typeof MaxAllowed) =>
        Object.fromEntries(vpa.resources.map((r) => [r, Cls.fromString(spec.vpa[which][r])]));
      this.verticalPodAutoscaler = new VerticalPodAutoscaler(this, 'vpa', {
        metadata: ctx.meta(name),
        spec: {
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          // Off: recommendation only, VPA must not resize what KEDA scales. Initial: sets the
          // requests of new pods from the recommendation and never evicts a running one.
          updatePolicy: {
            updateMode: vpa.mode === 'Off' ? VerticalPodAutoscalerSpecUpdatePolicyUpdateMode.OFF : VerticalPodAutoscalerSpecUpdatePolicyUpdateMode.INITIAL,
          },
          resourcePolicy: {
            containerPolicies: [
              {
                containerName: APP_CONTAINER,
                controlledResources: [...vpa.resources],
                minAllowed: bound('minAllowed', MinAllowed),
                maxAllowed: bound('maxAllowed', MaxAllowed),
              },
            ],
          },
        },
      });
    }
    // A ServiceMonitor selects the tenant's Service: workers without a port have none (validation refuses metrics then).
    if (spec.metrics && settings.serviceMonitors && (props.service ?? spec.port !== undefined)) {
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
