import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../platform-settings';
import { releaseArgs } from './helm-release';
import { kubernetesResource } from './kubernetes-resource';
import { PlatformManifestOptions, platformManifests } from './platform-manifests';
import { ENVOY_GATEWAY_CONTROLLER } from './platform-objects';
import { CHARTS } from './versions';

/**
 * Who provides the Gateway API CRDs (GatewayClass, Gateway, HTTPRoute, ReferenceGrant, …):
 * - `cluster`: the cluster already has them. DOKS 1.33+ with VPC-native networking installs and
 *   manages them itself; a second owner would fight it on every upgrade. Only Envoy Gateway's
 *   own gateway.envoyproxy.io CRDs are installed (gateway-crds-helm).
 * - `envoy-gateway`: the Envoy Gateway chart installs them (experimental channel of the Gateway
 *   API version it was built for). For kind, minikube, k3s and other clusters without them.
 */
export type GatewayApiCrds = 'cluster' | 'envoy-gateway';

export interface EnvoyGatewayArgs {
  /**
   * Chart version (gateway-helm and gateway-crds-helm, always the same).
   * @default CHARTS.envoyGateway.version
   */
  readonly version?: string;
  /**
   * Who provides the Gateway API CRDs.
   * @default 'cluster'
   */
  readonly gatewayApiCrds?: GatewayApiCrds;
  /**
   * Install the chart. False when Envoy Gateway is already installed on the cluster: only the
   * platform objects are applied.
   * @default true
   */
  readonly installChart?: boolean;
  /**
   * Shared names (Gateway name, namespace, listener, tenant namespace label).
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * Enable Envoy Gateway's Backend API (`config.envoyGateway.extensionApis.enableBackend`), which
   * direct-when-warm tenants need. Off by default upstream: a Backend may name any FQDN or IP
   * (only loopback is refused, envoyproxy/gateway@v1.9.0 internal/gatewayapi/backend.go:43-78,
   * 160-205) and no ReferenceGrant guards it, so whoever may create one can route to any
   * namespace or address. Unset Backends are refused with Accepted=False (backend.go:22-28).
   * @default false
   */
  readonly backendApi?: boolean;
  /**
   * The GatewayClass, EnvoyProxy and Gateway options (load balancer, listener, replicas).
   * @default {}
   */
  readonly objects?: PlatformManifestOptions;
}

/**
 * Envoy Gateway (the lesson's Gateway): the controller chart and, after it, exactly the objects
 * `platformManifests` synthesizes — EnvoyProxy, GatewayClass and the shared Gateway — one Pulumi
 * resource each, each after the ones it references.
 */
export class EnvoyGateway extends pulumi.ComponentResource {
  public readonly crdsRelease?: k8s.helm.v3.Release;
  public readonly release?: k8s.helm.v3.Release;
  /** The platform objects, in synthesized (dependency) order. */
  public readonly objects: pulumi.CustomResource[];
  /** The shared Gateway every tenant HTTPRoute attaches to. */
  public readonly gateway: k8s.apiextensions.CustomResource;
  /** The Gateway's first address (the DigitalOcean load balancer's IP), once programmed. */
  public readonly address: pulumi.Output<string | undefined>;

  constructor(name: string, args: EnvoyGatewayArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:EnvoyGateway', name, {}, opts);
    const version = args.version ?? CHARTS.envoyGateway.version;
    const gatewayApiCrds = args.gatewayApiCrds ?? 'cluster';
    const installChart = args.installChart ?? true;
    const settings = args.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const objectOptions = args.objects ?? {};
    const backendApi = args.backendApi ?? false;

    const chartDeps: pulumi.Resource[] = [];
    if (installChart) {
      if (gatewayApiCrds === 'cluster') {
        // The CRD chart keeps its CRDs in templates/, so Helm installs and upgrades them.
        this.crdsRelease = new k8s.helm.v3.Release(
          `${name}-crds`,
          releaseArgs(CHARTS.envoyGatewayCrds, version, {
            crds: { gatewayAPI: { enabled: false }, envoyGateway: { enabled: true } },
          }),
          { parent: this },
        );
      }
      const ownCrds = gatewayApiCrds === 'envoy-gateway';
      this.release = new k8s.helm.v3.Release(
        name,
        releaseArgs(
          CHARTS.envoyGateway,
          version,
          {
            crds: { enabled: ownCrds },
            config: { envoyGateway: envoyGatewayConfig(backendApi) },
            deployment: { replicas: 1 },
          },
          { skipCrds: !ownCrds },
        ),
        { parent: this, dependsOn: this.crdsRelease ? [this.crdsRelease] : [] },
      );
      chartDeps.push(this.release);
    }

    this.objects = [];
    let gateway: k8s.apiextensions.CustomResource | undefined;
    for (const manifest of platformManifests(settings, objectOptions)) {
      // Each object after the chart (its CRDs and controller) and after every object before it:
      // EnvoyProxy ← GatewayClass (parametersRef) ← Gateway (gatewayClassName).
      // `status: undefined` sends nothing but declares the output, so the address can be read.
      const applied = manifest.kind === 'Gateway' ? { ...manifest, status: undefined } : manifest;
      const resource = kubernetesResource(applied, { parent: this, dependsOn: [...chartDeps, ...this.objects] });
      this.objects.push(resource);
      if (manifest.kind === 'Gateway') gateway = resource as k8s.apiextensions.CustomResource;
    }
    if (!gateway) throw new Error('EnvoyGateway: platformManifests produced no Gateway');
    this.gateway = gateway;
    type GatewayStatus = { addresses?: { type?: string; value: string }[] } | undefined;
    const status = (gateway as unknown as { status: pulumi.Output<GatewayStatus> }).status;
    this.address = status.apply((s) => s?.addresses?.[0]?.value);
    this.registerOutputs({ address: this.address });
  }
}

/**
 * The chart's `config.envoyGateway` values: merged over the chart's default EnvoyGateway config
 * (envoyproxy/gateway@v1.9.0 charts/gateway-helm/templates/envoy-gateway-config.yaml:12-14);
 * `extensionApis` is written as given (templates/_helpers.tpl:239-241) and read as
 * `extensionApis.enableBackend` (api/v1alpha1/envoygateway_types.go:356-358,
 * internal/gatewayapi/runner/runner.go:297).
 */
export function envoyGatewayConfig(backendApi: boolean): Record<string, unknown> {
  return {
    gateway: { controllerName: ENVOY_GATEWAY_CONTROLLER },
    ...(backendApi ? { extensionApis: { enableBackend: true } } : {}),
  };
}
