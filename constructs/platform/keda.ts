import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { releaseArgs } from './helm-release';
import { CHARTS } from './versions';

export interface KedaArgs {
  /**
   * Chart version.
   * @default CHARTS.keda.version
   */
  readonly version?: string;
  /**
   * Create ServiceMonitors for the operator and metrics API server metrics (port 8080), which the
   * TenantScalerErrors alert reads; needs the monitoring.coreos.com CRDs (kube-prometheus-stack)
   * installed first.
   * @default false
   */
  readonly serviceMonitor?: boolean;
}

/**
 * KEDA (level 3 of the lesson): the operator that scales workloads to and from zero, its
 * external-metrics API server and admission webhooks. Installs the keda.sh CRDs.
 */
export class Keda extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;
  /** Namespace KEDA runs in; the HTTP add-on must share it. */
  public readonly namespace: string;

  constructor(name: string, args: KedaArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:Keda', name, {}, opts);
    const version = args.version ?? CHARTS.keda.version;
    this.namespace = CHARTS.keda.namespace;
    const serviceMonitor = args.serviceMonitor ?? false;
    const values = {
      crds: { install: true },
      // Cluster-wide: tenants live in their own namespaces.
      watchNamespace: '',
      // One active operator and one metrics API server; extra replicas only shorten failover.
      operator: { replicaCount: 1 },
      metricsServer: { replicaCount: 1 },
      webhooks: { enabled: true, replicaCount: 1, failurePolicy: 'Ignore' },
      // Expose KEDA's own metrics (keda_scaled_object_errors_total, keda_scaler_active, …).
      prometheus: {
        operator: { enabled: true, serviceMonitor: { enabled: serviceMonitor } },
        metricServer: { enabled: true, serviceMonitor: { enabled: serviceMonitor } },
      },
    };
    this.release = new k8s.helm.v3.Release(name, releaseArgs(CHARTS.keda, version, values), { parent: this });
    this.registerOutputs({ status: this.release.status });
  }
}
