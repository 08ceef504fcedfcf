import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { releaseArgs } from './helm-release';
import { Keda } from './keda';
import { CHARTS } from './versions';

export interface KedaHttpAddonArgs {
  /** The KEDA install; the add-on goes into its namespace and is installed after it. */
  readonly keda: Keda;
  /**
   * Chart version.
   * @default CHARTS.kedaHttpAddon.version
   */
  readonly version?: string;
  /**
   * Fewest interceptor replicas. The interceptor is on every tenant request, so keep two.
   * @default 2
   */
  readonly interceptorMinReplicas?: number;
  /**
   * Most interceptor replicas (the chart scales them with its own ScaledObject).
   * @default 10
   */
  readonly interceptorMaxReplicas?: number;
}

/**
 * The KEDA HTTP add-on: the interceptor that holds a request while a scaled-to-zero tenant starts,
 * the external scaler that reports pending requests to KEDA, and the operator for the
 * http.keda.sh CRDs. Lives in KEDA's namespace and is installed after KEDA, which it needs.
 */
export class KedaHttpAddon extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;
  public readonly namespace: string;

  constructor(name: string, args: KedaHttpAddonArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:KedaHttpAddon', name, {}, opts);
    const version = args.version ?? CHARTS.kedaHttpAddon.version;
    const interceptorMinReplicas = args.interceptorMinReplicas ?? 2;
    const interceptorMaxReplicas = args.interceptorMaxReplicas ?? 10;
    this.namespace = args.keda.namespace;
    const values = {
      crds: { install: true },
      operator: { watchNamespace: '' },
      interceptor: { replicas: { min: interceptorMinReplicas, max: interceptorMaxReplicas }, pdb: { enabled: true } },
      scaler: { replicas: 1 },
    };
    this.release = new k8s.helm.v3.Release(
      name,
      releaseArgs(CHARTS.kedaHttpAddon, version, values, { namespace: this.namespace }),
      { parent: this, dependsOn: [args.keda] },
    );
    this.registerOutputs({ status: this.release.status });
  }
}
