import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_PLATFORM_SETTINGS, DEFAULT_TLS_SETTINGS, PlatformSettings } from '../platform-settings';
import { CertManager } from './cert-manager';
import { LETS_ENCRYPT, LOCAL_CA_ISSUER } from './cert-manager-objects';
import { TenantSpec } from '../../tenants/schema';
import { BilledFixedItems } from '../../core/prices';
import { DoLoadBalancerSettings } from './do-load-balancer';
import { EnvoyGateway, GatewayApiCrds } from './envoy-gateway';
import { Keda } from './keda';
import { KedaHttpAddon } from './keda-http-addon';
import { KubePrometheusStack } from './kube-prometheus-stack';
import { DEFAULT_LISTENER_PORT } from './platform-objects';
import { MetricsServer } from './metrics-server';
import { FluxTenantDelivery } from './flux-tenant-delivery';
import { platformHealthChecks } from './platform-health-checks';
import { platformNetworkPolicyManifests } from './platform-manifests';
import { PlatformNamespaceToggles, platformListenerPorts } from './platform-network-policies';
import { PlatformNetworkPolicyResources } from './platform-network-policy-resources';
import { CHARTS } from './versions';
import { TenantArtifact } from './tenant-artifact-source';
import { TenantWorkloads } from './tenant-workloads';
import { VerticalPodAutoscaler } from './vertical-pod-autoscaler';

/** A chart component: installed by this stack (`enabled`), at this version. */
export interface ComponentToggle {
  /**
   * Install it. False means it is already on the cluster (installed by someone else); its CRDs
   * must then exist before tenants are applied.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Chart version.
   * @default the version pinned in CHARTS
   */
  readonly version?: string;
}

/** The HTTP add-on toggle and its interceptor scaling. */
export interface KedaHttpAddonToggle extends ComponentToggle {
  /** @default 2 */
  readonly interceptorMinReplicas?: number;
  /** @default 10 */
  readonly interceptorMaxReplicas?: number;
}

/** The VPA toggle and the parts that act on pods. */
export interface VerticalPodAutoscalerToggle extends ComponentToggle {
  /** @default false */
  readonly updater?: boolean;
  /** @default false */
  readonly admissionController?: boolean;
}

/** The kube-prometheus-stack toggle and its parts. */
export interface MonitoringToggle extends ComponentToggle {
  /** @default true */
  readonly grafana?: boolean;
  /** @default true */
  readonly alertmanager?: boolean;
  /** @default '7d' */
  readonly retention?: string;
  /**
   * The DOKS node pools and their max, for the NodePoolAtMax alert.
   * @default []
   */
  readonly nodePools?: readonly { readonly name: string; readonly max: number }[];
  /**
   * What the stack is billed for besides its nodes, for the running-cost rules (core/prices.ts `billedFixedItems`).
   * @default undefined (the running cost counts the nodes only)
   */
  readonly billedItems?: BilledFixedItems;
}

/** The shared Gateway's listener and the DigitalOcean load balancer in front of it. */
export interface GatewaySettings {
  /** @default 80 */
  readonly port?: number;
  /** @default none (every hostname) */
  readonly hostname?: string;
  /** @default 2 */
  readonly proxyReplicas?: number;
  /** @default {} (DigitalOcean defaults) */
  readonly loadBalancer?: DoLoadBalancerSettings;
}

/** HTTPS for the tenants (cert-manager, docs/tls.md). */
export interface PlatformTlsSettings {
  /**
   * Serve HTTPS: cert-manager, the issuers, the Gateway's HTTPS listener; tenants with `tls: true`
   * move to it and their HTTP hosts redirect. False: HTTP only, whatever the tenants say.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The platform's tenant domain (`*.<tenantDomain>` is one wildcard certificate, DNS-01).
   * @default DEFAULT_TLS_SETTINGS.tenantDomain
   */
  readonly tenantDomain?: string;
  /**
   * Let's Encrypt account e-mail.
   * @default none
   */
  readonly email?: string;
  /**
   * Which Let's Encrypt directory issues the certificates (doks mode; kubeconfig mode uses the local CA).
   * @default 'production'
   */
  readonly environment?: 'production' | 'staging';
  /**
   * DigitalOcean API token for DNS-01 in the tenant domain's zone (Pulumi secret config).
   * @default none (Secret digitalocean-dns in cert-manager created outside the stack)
   */
  readonly dnsToken?: pulumi.Input<string>;
}

export interface PlatformArgs {
  /** The validated tenants; each becomes a TenantWorkloads. */
  readonly tenants: readonly TenantSpec[];
  /**
   * Shared names.
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * `doks`: a DigitalOcean cluster (cloud load balancer, managed control plane, Gateway API CRDs
   * provided). `kubeconfig`: any other cluster (kind, minikube, k3s, Docker Desktop): kubelet
   * TLS not verified, Gateway exposed as ClusterIP (port-forward), control plane scraped.
   * @default 'doks'
   */
  readonly mode?: 'doks' | 'kubeconfig';
  /**
   * Who provides the Gateway API CRDs.
   * @default 'cluster' in doks mode, 'envoy-gateway' in kubeconfig mode
   */
  readonly gatewayApiCrds?: GatewayApiCrds;
  /**
   * metrics-server.
   * @default {} (installed at the pinned version)
   */
  readonly metricsServer?: ComponentToggle;
  /**
   * KEDA.
   * @default {}
   */
  readonly keda?: ComponentToggle;
  /**
   * The KEDA HTTP add-on.
   * @default {}
   */
  readonly kedaHttpAddon?: KedaHttpAddonToggle;
  /**
   * The Envoy Gateway chart (the platform objects are applied either way).
   * @default {}
   */
  readonly envoyGateway?: ComponentToggle;
  /**
   * cert-manager (installed when `tls.enabled`).
   * @default {}
   */
  readonly certManager?: ComponentToggle;
  /**
   * HTTPS for the tenants.
   * @default {} (on: Let's Encrypt production in doks mode, the local CA in kubeconfig mode)
   */
  readonly tls?: PlatformTlsSettings;
  /**
   * The Vertical Pod Autoscaler.
   * @default {} (recommender only)
   */
  readonly verticalPodAutoscaler?: VerticalPodAutoscalerToggle;
  /**
   * kube-prometheus-stack.
   * @default {} (Prometheus, Alertmanager and Grafana)
   */
  readonly monitoring?: MonitoringToggle;
  /**
   * The shared Gateway's listener and load balancer.
   * @default {}
   */
  readonly gateway?: GatewaySettings;
  /**
   * Values of the Secrets tenants reference: tenant → Secret name → key → value (see
   * TenantWorkloadsArgs.secrets).
   * @default {}
   */
  readonly tenantSecrets?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>>>;
  /**
   * Data of the ConfigMaps tenants reference: tenant → ConfigMap name → key → text (see
   * TenantWorkloadsArgs.configMaps).
   * @default {}
   */
  readonly tenantConfigMaps?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
  /**
   * `.dockerconfigjson` of the image pull Secrets, by Secret name (RegistryCredentials). Each
   * tenant whose `imagePullSecret` is listed gets that Secret in its namespace (pulumi delivery).
   * @default {} (pull Secrets, if any, are created outside Pulumi)
   */
  readonly registryCredentials?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Who applies the tenants: `pulumi` registers every tenant object (TenantWorkloads, one
   * resource each); `flux` installs Flux and a fixed set of Flux objects (`flux` settings), and
   * Flux applies the published synth output, so the stack does not grow with the tenant count.
   * @default 'pulumi'
   */
  readonly tenantDelivery?: 'pulumi' | 'flux';
  /**
   * Ingress default-deny NetworkPolicies, with the flows they need, in every platform namespace
   * this stack installs a chart into (docs/platform-isolation.md). False for a CNI that does not
   * enforce NetworkPolicies, or when a policy breaks something.
   * @default true
   */
  readonly platformNetworkPolicies?: boolean;
  /**
   * Required when tenantDelivery is `flux`.
   * @default none
   */
  readonly flux?: FluxDeliverySettings;
}

/** tenantDelivery: flux. The tenants are applied by Flux from a published artifact. */
export interface FluxDeliverySettings {
  /** Where the deploy workflow publishes the synth output. */
  readonly artifact: TenantArtifact;
  /** Number of shard Kustomizations (`synth --shards` must use the same number). */
  readonly shards: number;
  /**
   * Source poll interval.
   * @default '1m'
   */
  readonly interval?: string;
  /**
   * `.dockerconfigjson` to pull the artifact (a read-only DOCR credential in doks mode).
   * @default none
   */
  readonly dockerConfigJson?: pulumi.Input<string>;
  /**
   * A pull Secret in flux-system created outside the stack (e.g. Git credentials).
   * @default none
   */
  readonly secretName?: string;
  /**
   * The FluxInstance's size profile (see FluxTenantDeliveryArgs.size).
   * @default 'medium'
   */
  readonly size?: 'small' | 'medium' | 'large';
}

/**
 * The whole platform on one cluster, in the order a first `pulumi up` on an empty cluster needs
 * (docs/architecture.md): metrics-server, KEDA then the HTTP add-on in KEDA's namespace, Envoy
 * Gateway then its GatewayClass/EnvoyProxy/Gateway, VPA, kube-prometheus-stack, and every tenant,
 * each custom resource after the chart that installs its CRD and the routes after the interceptor
 * and the Gateway. Pass the Kubernetes provider through `opts.providers`.
 */
export class Platform extends pulumi.ComponentResource {
  public readonly metricsServer?: MetricsServer;
  public readonly keda?: Keda;
  public readonly kedaHttpAddon?: KedaHttpAddon;
  public readonly envoyGateway: EnvoyGateway;
  /** cert-manager and the issuers (tls enabled). */
  public readonly certManager?: CertManager;
  public readonly verticalPodAutoscaler?: VerticalPodAutoscaler;
  public readonly kubePrometheusStack?: KubePrometheusStack;
  /** The platform namespaces' NetworkPolicies (platformNetworkPolicies). */
  public readonly networkPolicies?: PlatformNetworkPolicyResources;
  /** The tenants' objects as Pulumi resources (tenantDelivery: pulumi; empty in flux mode). */
  public readonly tenants: Record<string, TenantWorkloads>;
  /** Flux and its delivery objects (tenantDelivery: flux). */
  public readonly fluxDelivery?: FluxTenantDelivery;
  /** Each tenant's URLs through the shared Gateway. */
  public readonly tenantUrls: Record<string, string[]>;
  public readonly gatewayAddress: pulumi.Output<string | undefined>;

  constructor(name: string, args: PlatformArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Refuse a contradictory combination before anything is registered.
    const problems = platformArgsProblems(args);
    if (problems.length > 0) throw new Error(`Platform: ${problems.join('; ')}`);
    super('tenantscale:platform:Platform', name, {}, opts);
    const mode = args.mode ?? 'doks';
    const local = mode === 'kubeconfig';
    const tls = args.tls ?? {};
    const settings = platformTlsSettings(args.settings ?? DEFAULT_PLATFORM_SETTINGS, tls, local);
    const certManager = args.certManager ?? {};
    const gatewayApiCrds = args.gatewayApiCrds ?? (local ? 'envoy-gateway' : 'cluster');
    const metricsServer = args.metricsServer ?? {};
    const keda = args.keda ?? {};
    const kedaHttpAddon = args.kedaHttpAddon ?? {};
    const envoyGateway = args.envoyGateway ?? {};
    const vpa = args.verticalPodAutoscaler ?? {};
    const monitoring = args.monitoring ?? {};
    const gateway = args.gateway ?? {};
    const tenantSecrets = args.tenantSecrets ?? {};
    const tenantConfigMaps = args.tenantConfigMaps ?? {};
    const registryCredentials = args.registryCredentials ?? {};
    const enabled = (t: ComponentToggle) => t.enabled ?? true;
    const child = { parent: this };

    if (enabled(metricsServer)) {
      this.metricsServer = new MetricsServer('metrics-server', { version: metricsServer.version, kubeletInsecureTls: local }, child);
    }
    if (enabled(monitoring)) {
      this.kubePrometheusStack = new KubePrometheusStack(
        'kube-prometheus-stack',
        {
          version: monitoring.version,
          namespace: settings.monitoringNamespace,
          managedControlPlane: !local,
          grafana: monitoring.grafana,
          alertmanager: monitoring.alertmanager,
          retention: monitoring.retention,
          settings,
          tenants: args.tenants,
          nodePools: monitoring.nodePools,
          billedItems: monitoring.billedItems,
        },
        child,
      );
    }
    if (enabled(keda)) {
      // With monitoring, KEDA's ServiceMonitors need the monitoring.coreos.com CRDs first.
      this.keda = new Keda(
        'keda',
        { version: keda.version, serviceMonitor: this.kubePrometheusStack !== undefined },
        { ...child, dependsOn: this.kubePrometheusStack ? [this.kubePrometheusStack] : [] },
      );
    }
    if (this.keda && enabled(kedaHttpAddon)) {
      this.kedaHttpAddon = new KedaHttpAddon(
        'keda-add-ons-http',
        {
          keda: this.keda,
          version: kedaHttpAddon.version,
          interceptorMinReplicas: kedaHttpAddon.interceptorMinReplicas,
          interceptorMaxReplicas: kedaHttpAddon.interceptorMaxReplicas,
        },
        child,
      );
    }
    if (enabled(vpa)) {
      this.verticalPodAutoscaler = new VerticalPodAutoscaler(
        'vpa',
        { version: vpa.version, updater: vpa.updater, admissionController: vpa.admissionController },
        child,
      );
    }
    this.envoyGateway = new EnvoyGateway(
      'envoy-gateway',
      {
        version: envoyGateway.version,
        installChart: enabled(envoyGateway),
        gatewayApiCrds,
        settings,
        backendApi: args.tenants.some((t) => t.routing === 'direct-when-warm'),
        objects: {
          serviceType: local ? 'ClusterIP' : 'LoadBalancer',
          loadBalancer: gateway.loadBalancer,
          listenerPort: gateway.port,
          listenerHostname: gateway.hostname,
          proxyReplicas: gateway.proxyReplicas,
        },
      },
      child,
    );

    const present = (...rs: (pulumi.Resource | undefined)[]) => rs.filter((r): r is pulumi.Resource => r !== undefined);
    if (settings.tls) {
      // After the Gateway API CRDs (cert-manager's Gateway API informers start with the
      // controller, cert-manager/cert-manager@v1.21.1 cmd/controller/app/controller.go:268-270)
      // and the gateway namespace (the wildcard Certificate lives there).
      this.certManager = new CertManager(
        'cert-manager',
        {
          version: certManager.version,
          installChart: enabled(certManager),
          settings,
          issuers: local ? 'local-ca' : 'acme',
          email: tls.email,
          dnsToken: tls.dnsToken,
          // With monitoring, the chart's ServiceMonitor needs the monitoring.coreos.com CRDs first.
          serviceMonitor: this.kubePrometheusStack !== undefined,
          after: present(this.envoyGateway.crdsRelease, this.envoyGateway.release, this.kubePrometheusStack),
        },
        child,
      );
    }
    if (args.platformNetworkPolicies ?? true) {
      // Only namespaces whose chart this stack installs: a component installed by someone else
      // keeps its own network rules.
      const after: Record<string, pulumi.Resource[]> = {};
      if (this.keda) after[this.keda.namespace] = present(this.keda, this.kedaHttpAddon);
      if (this.envoyGateway.release) after[settings.gateway.namespace] = [this.envoyGateway];
      if (this.certManager?.release) after[this.certManager.namespace] = [this.certManager];
      if (this.verticalPodAutoscaler) after[CHARTS.verticalPodAutoscaler.namespace] = [this.verticalPodAutoscaler];
      if (this.kubePrometheusStack) after[this.kubePrometheusStack.namespace] = [this.kubePrometheusStack];
      const toggles: PlatformNamespaceToggles = {
        keda: this.keda !== undefined,
        kedaHttpAddon: this.kedaHttpAddon !== undefined,
        envoyGateway: this.envoyGateway.release !== undefined,
        certManager: this.certManager?.release !== undefined,
        verticalPodAutoscaler: this.verticalPodAutoscaler !== undefined,
        vpaAdmissionController: vpa.admissionController ?? false,
        monitoring: this.kubePrometheusStack !== undefined,
      };
      const listenerPorts = platformListenerPorts(gateway.port, settings);
      this.networkPolicies = new PlatformNetworkPolicyResources(
        'platform-network-policies',
        { manifests: platformNetworkPolicyManifests(settings, { toggles, listenerPorts }), after },
        child,
      );
    }
    const crdProviders: Record<string, pulumi.Resource[]> = {
      'keda.sh': present(this.keda),
      'http.keda.sh': present(this.keda, this.kedaHttpAddon),
      // Routes attach to the Gateway and send traffic to the interceptor Service.
      'gateway.networking.k8s.io': present(this.envoyGateway, this.kedaHttpAddon),
      'autoscaling.k8s.io': present(this.verticalPodAutoscaler),
      'monitoring.coreos.com': present(this.kubePrometheusStack),
      // Tenants' Certificates after the chart and the ClusterIssuers they name.
      'cert-manager.io': present(this.certManager),
    };
    // Tenants get a ServiceMonitor or VPA only where this stack installs their CRD: with monitoring
    // or the VPA off, applying them would fail with "no matches for kind".
    const tenantSettings: PlatformSettings = {
      ...settings,
      serviceMonitors: settings.serviceMonitors && this.kubePrometheusStack !== undefined,
      verticalPodAutoscalers: settings.verticalPodAutoscalers && this.verticalPodAutoscaler !== undefined,
    };
    this.tenants = {};
    this.tenantUrls = {};
    const port = gateway.port ?? DEFAULT_LISTENER_PORT;
    const tenantDelivery = args.tenantDelivery ?? 'pulumi';
    if (tenantDelivery === 'flux') {
      const flux = args.flux!;
      this.fluxDelivery = new FluxTenantDelivery(
        'flux',
        {
          artifact: flux.artifact,
          shards: flux.shards,
          interval: flux.interval,
          dockerConfigJson: flux.dockerConfigJson,
          secretName: flux.secretName,
          size: flux.size,
          healthChecks: platformHealthChecks(tenantSettings, {
            keda: this.keda !== undefined,
            kedaHttpAddon: this.kedaHttpAddon !== undefined,
            envoyGateway: enabled(envoyGateway),
            certManager: this.certManager?.release !== undefined,
          }),
          // Created after, and deleted before, every chart the tenants' objects need.
          platform: present(this.keda, this.kedaHttpAddon, this.envoyGateway, this.certManager, this.verticalPodAutoscaler, this.kubePrometheusStack),
        },
        child,
      );
    }
    for (const spec of args.tenants) {
      if (tenantDelivery === 'pulumi') {
        this.tenants[spec.name] = new TenantWorkloads(
          `tenant-${spec.name}`,
          {
            spec,
            settings: tenantSettings,
            crdProviders,
            secrets: tenantSecrets[spec.name] ?? {},
            configMaps: tenantConfigMaps[spec.name] ?? {},
            dockerConfigJson: spec.imagePullSecret !== undefined ? registryCredentials[spec.imagePullSecret] : undefined,
          },
          child,
        );
      }
      const https = spec.tls ? settings.tls : undefined;
      this.tenantUrls[spec.name] = spec.hosts.map((h) =>
        https ? `https://${h}${https.port === 443 ? '' : `:${https.port}`}/` : `http://${h}${port === 80 ? '' : `:${port}`}/`,
      );
    }
    this.gatewayAddress = this.envoyGateway.address;
    this.registerOutputs({ gatewayAddress: this.gatewayAddress, tenantUrls: this.tenantUrls });
  }
}

/**
 * The settings with the stack's HTTPS choices: no `tls` when it is off; otherwise the tenant domain
 * and the issuer (the local CA in kubeconfig mode, else Let's Encrypt of the chosen environment).
 */
export function platformTlsSettings(settings: PlatformSettings, tls: PlatformTlsSettings, local: boolean): PlatformSettings {
  if (!(tls.enabled ?? true)) return { ...settings, tls: undefined };
  const base = settings.tls ?? DEFAULT_TLS_SETTINGS;
  const issuer = local ? LOCAL_CA_ISSUER : LETS_ENCRYPT[tls.environment ?? 'production'].issuer;
  return { ...settings, tls: { ...base, tenantDomain: tls.tenantDomain ?? base.tenantDomain, issuer } };
}

/**
 * What is wrong with a combination of Platform args, one sentence per problem naming the key,
 * the value, what is allowed and the fix. Empty when the args are usable.
 */
export function platformArgsProblems(args: PlatformArgs): string[] {
  const problems: string[] = [];
  const on = (t: ComponentToggle | undefined) => t?.enabled ?? true;
  if (on(args.kedaHttpAddon) && !on(args.keda)) {
    problems.push(
      'kedaHttpAddon.enabled = true requires keda.enabled = true (the add-on is installed into KEDA\'s namespace, after KEDA); ' +
        'fix: enable keda, or disable the add-on too if both are installed outside this stack',
    );
  }
  if ((args.tenantDelivery ?? 'pulumi') === 'flux') {
    if (!args.flux) problems.push("tenantDelivery = flux requires the flux settings (artifact and shards); fix: set tenantscale:flux.url");
    const withSecrets = Object.keys(args.tenantSecrets ?? {});
    if (withSecrets.length > 0) {
      problems.push(
        `tenantSecrets has values for ${withSecrets.map((t) => `"${t}"`).join(', ')} but tenantDelivery = flux: Flux creates the tenant namespaces, ` +
          'so Pulumi cannot create Secrets in them; allowed: no tenantSecrets in flux mode; fix: create the Secrets in the tenant namespaces ' +
          'with your secret manager (External Secrets, SOPS) and remove tenantscale:tenantSecrets',
      );
    }
    const pull = Object.keys(args.registryCredentials ?? {});
    if (pull.length > 0) {
      problems.push(
        `registryCredentials has ${pull.map((n) => `"${n}"`).join(', ')} but tenantDelivery = flux: Flux creates the tenant namespaces, ` +
          'so Pulumi cannot create pull Secrets in them; allowed: no registryCredentials in flux mode; fix: create the pull Secrets in the tenant namespaces ' +
          'with your secret manager and remove tenantscale:registryCredentials',
      );
    }
  }
  const names = new Set<string>();
  for (const t of args.tenants) {
    if (names.has(t.name)) problems.push(`tenants: "${t.name}" appears twice; allowed: each tenant once; fix: remove the duplicate`);
    names.add(t.name);
  }
  return problems;
}

