import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { releaseArgs } from './helm-release';
import { CHARTS } from './versions';

export interface MetricsServerArgs {
  /**
   * Chart version.
   * @default CHARTS.metricsServer.version
   */
  readonly version?: string;
  /**
   * Skip verifying kubelet serving certificates: needed on kind, minikube, k3s and Docker
   * Desktop, whose kubelets use self-signed certificates; not on DOKS.
   * @default false
   */
  readonly kubeletInsecureTls?: boolean;
  /**
   * Replicas; two keep `kubectl top` and the HPA working while a node is drained.
   * @default 1
   */
  readonly replicas?: number;
}

/** metrics-server (level 1 of the lesson): the resource metrics HPA and VPA read. Not preinstalled on DOKS. */
export class MetricsServer extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: MetricsServerArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:MetricsServer', name, {}, opts);
    const version = args.version ?? CHARTS.metricsServer.version;
    const kubeletInsecureTls = args.kubeletInsecureTls ?? false;
    const replicas = args.replicas ?? 1;
    const values = {
      replicas,
      // Appended to the chart's defaultArgs.
      args: kubeletInsecureTls ? ['--kubelet-insecure-tls'] : [],
      podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
    };
    this.release = new k8s.helm.v3.Release(name, releaseArgs(CHARTS.metricsServer, version, values), { parent: this });
    this.registerOutputs({ status: this.release.status });
  }
}
