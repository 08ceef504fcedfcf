import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { releaseArgs } from './helm-release';
import { CHARTS } from './versions';

export interface VerticalPodAutoscalerArgs {
  /**
   * Chart version (Fairwinds `vpa`).
   * @default CHARTS.verticalPodAutoscaler.version
   */
  readonly version?: string;
  /**
   * Run the updater, which evicts pods to apply recommendations. Tenants' VPAs are in `Off` mode
   * (KEDA owns their scaling), so it has nothing to do unless other workloads want it.
   * @default false
   */
  readonly updater?: boolean;
  /**
   * Run the admission controller (and its certgen hook), which rewrites pod requests at creation.
   * @default false
   */
  readonly admissionController?: boolean;
}

/**
 * The Vertical Pod Autoscaler (level 1 of the lesson): the recommender that measures what each
 * tenant really uses, reported in its VPA object's status. Installs the autoscaling.k8s.io CRDs.
 */
export class VerticalPodAutoscaler extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: VerticalPodAutoscalerArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:VerticalPodAutoscaler', name, {}, opts);
    const version = args.version ?? CHARTS.verticalPodAutoscaler.version;
    const updater = args.updater ?? false;
    const admissionController = args.admissionController ?? false;
    const values = {
      recommender: { enabled: true },
      updater: { enabled: updater },
      admissionController: { enabled: admissionController, generateCertificate: admissionController },
      // metrics-server is installed by its own component.
      'metrics-server': { enabled: false },
    };
    this.release = new k8s.helm.v3.Release(name, releaseArgs(CHARTS.verticalPodAutoscaler, version, values), { parent: this });
    this.registerOutputs({ status: this.release.status });
  }
}
