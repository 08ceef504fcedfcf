import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_PLATFORM_SETTINGS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { DNS_TOKEN_SECRET } from './cert-manager-objects';
import { releaseArgs } from './helm-release';
import { kubernetesResource } from './kubernetes-resource';
import { certManagerManifests } from './platform-manifests';
import { CHARTS } from './versions';

export interface CertManagerArgs {
  /**
   * Chart version.
   * @default CHARTS.certManager.version
   */
  readonly version?: string;
  /**
   * Install the chart. False when cert-manager is already on the cluster (with Gateway API
   * support on): only the ClusterIssuers are applied.
   * @default true
   */
  readonly installChart?: boolean;
  /**
   * Shared names (Gateway, HTTP listener, tenant domain).
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * `acme` (Let's Encrypt) or `local-ca` (kubeconfig mode, offline).
   * @default 'acme'
   */
  readonly issuers?: 'acme' | 'local-ca';
  /**
   * ACME account e-mail.
   * @default none
   */
  readonly email?: string;
  /**
   * DigitalOcean API token with write access to the tenant domain's DNS zone, for the DNS-01
   * solver (Pulumi secret config). Stored in a Secret in cert-manager's namespace.
   * @default none (the Secret `digitalocean-dns` is created outside the stack)
   */
  readonly dnsToken?: pulumi.Input<string>;
  /**
   * Let the chart create its ServiceMonitor (controller metrics: certificate readiness and expiry,
   * read by the CertificateNotReady and CertificateExpiringSoon alerts). Needs the
   * monitoring.coreos.com CRDs first: pass the monitoring stack in `after`.
   * @default false
   */
  readonly serviceMonitor?: boolean;
  /**
   * Something the chart must wait for (e.g. the Gateway API CRDs, which cert-manager's Gateway API
   * support watches from its start).
   * @default []
   */
  readonly after?: readonly pulumi.Resource[];
}

/**
 * cert-manager with its CRDs (`crds.enabled`) and Gateway API support, then, in order, the DNS
 * token Secret and exactly the ClusterIssuers `certManagerManifests` synthesizes. Gateway API
 * support is the controller configuration's `gatewayAPI.enabled` (flag `--enable-gateway-api`,
 * cert-manager/cert-manager@v1.21.1 cmd/controller/app/options/options.go:184; it turns on the
 * Gateway shim and the gatewayHTTPRoute HTTP-01 solver, options.go:295-298; chart value `config`,
 * deploy/charts/cert-manager/values.yaml:298-333; field `gatewayAPI`,
 * pkg/apis/config/controller/v1alpha1/types.go:153,269-272). ListenerSet support
 * (`enableListenerSet` and the `ListenerSets` feature gate, options.go:300) is not needed: the
 * platform writes every Certificate itself instead of annotating listeners.
 */
export class CertManager extends pulumi.ComponentResource {
  public readonly release?: k8s.helm.v3.Release;
  public readonly dnsTokenSecret?: k8s.core.v1.Secret;
  /** The ClusterIssuers (and the local root CA), in synthesized order. */
  public readonly objects: pulumi.CustomResource[];
  public readonly namespace: string;

  constructor(name: string, args: CertManagerArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:CertManager', name, {}, opts);
    const version = args.version ?? CHARTS.certManager.version;
    const installChart = args.installChart ?? true;
    const settings = args.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const issuers = args.issuers ?? 'acme';
    const after = args.after ?? [];
    const serviceMonitor = args.serviceMonitor ?? false;
    this.namespace = CHARTS.certManager.namespace;

    const deps: pulumi.Resource[] = [];
    if (installChart) {
      this.release = new k8s.helm.v3.Release(
        name,
        releaseArgs(CHARTS.certManager, version, {
          crds: { enabled: true, keep: true },
          config: {
            apiVersion: 'controller.config.cert-manager.io/v1alpha1',
            kind: 'ControllerConfiguration',
            gatewayAPI: { enabled: true },
          },
          // The chart's ServiceMonitor selects the controller, webhook and cainjector Services
          // (cert-manager/cert-manager@v1.21.1 deploy/charts/cert-manager/templates/servicemonitor.yaml:30-49)
          // and keeps honorLabels false (values.yaml:687): a Certificate's namespace arrives as
          // exported_namespace.
          prometheus: { enabled: true, servicemonitor: { enabled: serviceMonitor } },
        }),
        { parent: this, dependsOn: [...after] },
      );
      deps.push(this.release);
    }
    if (args.dnsToken !== undefined && issuers === 'acme') {
      this.dnsTokenSecret = new k8s.core.v1.Secret(
        `${name}-${DNS_TOKEN_SECRET.name}`,
        {
          metadata: { name: DNS_TOKEN_SECRET.name, namespace: this.namespace, labels: { ...PLATFORM_LABELS } },
          type: 'Opaque',
          stringData: { [DNS_TOKEN_SECRET.key]: pulumi.secret(args.dnsToken) },
        },
        { parent: this, dependsOn: deps },
      );
      deps.push(this.dnsTokenSecret);
    }
    this.objects = [];
    for (const manifest of certManagerManifests(settings, { issuers, email: args.email, namespace: this.namespace })) {
      this.objects.push(kubernetesResource(manifest, { parent: this, dependsOn: [...deps, ...this.objects] }));
    }
    this.registerOutputs({});
  }
}
