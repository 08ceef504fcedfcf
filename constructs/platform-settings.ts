/**
 * Names shared by the platform and every tenant. The tenant construct, the platform construct,
 * the Pulumi components and the policy rules read them from here, never from literals.
 */
export interface PlatformSettings {
  /** The shared Gateway every tenant HTTPRoute attaches to. */
  readonly gateway: {
    readonly name: string;
    readonly namespace: string;
    /** Listener name (HTTPRoute `parentRefs[].sectionName`). */
    readonly listener: string;
  };
  /** The KEDA HTTP add-on interceptor proxy Service every tenant route sends traffic to. */
  readonly interceptor: {
    readonly service: string;
    readonly namespace: string;
    readonly port: number;
  };
  /**
   * The HTTP add-on's external scaler, the `external-push` trigger's `scalerAddress`
   * (kedacore/charts@c4b92e9 http-add-on/templates/scaler/service.yaml: `<chart name>-external-scaler`, gRPC 9090).
   */
  readonly externalScaler: {
    readonly service: string;
    readonly namespace: string;
    readonly port: number;
  };
  /**
   * Labels of the interceptor pods, the only pods that connect to an HTTP tenant: at add-on
   * 0.15.0 they dial the tenant Service (`<service>.<namespace>:<port>`,
   * kedacore/http-add-on@v0.15.0 interceptor/middleware/routing.go:118-132), so the tenant
   * NetworkPolicy admits exactly these pods on the app port.
   */
  readonly interceptorPodLabels: Readonly<Record<string, string>>;
  /**
   * One-deploy migration from HTTPScaledObject: every HTTP tenant also keeps its HTTPScaledObject,
   * annotated `httpscaledobject.keda.sh/orphan-scaledobject: "true"` so the add-on lets go of the
   * ScaledObject of the same name before tenantscale's ScaledObject takes it over. Set it for
   * one `pulumi up` on a cluster deployed before InterceptorRoute, then unset it (docs/architecture.md).
   */
  readonly httpScaledObjectMigration: boolean;
  /** Namespace of Prometheus, allowed to scrape tenants. */
  readonly monitoringNamespace: string;
  /** Namespace of the cluster DNS, the one in-cluster egress target of a tenant. */
  readonly dnsNamespace: string;
  /** Label every tenant namespace carries; the Gateway admits routes only from namespaces with it. */
  readonly tenantNamespaceLabel: { readonly key: string; readonly value: string };
  /**
   * The cluster serves the Prometheus Operator's ServiceMonitor (monitoring.coreos.com): tenants
   * with a metrics endpoint get one. False when monitoring is off, or applying it would fail.
   */
  readonly serviceMonitors: boolean;
  /** The cluster serves VerticalPodAutoscaler (autoscaling.k8s.io): every tenant gets one in Off mode. */
  readonly verticalPodAutoscalers: boolean;
  /**
   * HTTPS on the shared Gateway (cert-manager). Undefined: no HTTPS listener, every route stays
   * on the HTTP listener whatever a tenant's `tls` says.
   * @default DEFAULT_TLS_SETTINGS
   */
  readonly tls?: TlsSettings;

  /**
   * Taints of the stack's node pools, by pool name: a tenant placed on a pool tolerates exactly
   * its pool's taints. Known to `pulumi up` and `synth --stack`.
   * @default undefined (offline: a placed tenant gets its nodeSelector and no tolerations)
   */
  readonly nodePoolTaints?: Readonly<Record<string, readonly NodeTaint[]>>;
}

/** A taint of a node pool (tenantscale:nodePools[].taints). */
export interface NodeTaint {
  readonly key: string;
  /**
   * The taint's value; the toleration (operator Equal) repeats it.
   * @default none (a taint with an empty value)
   */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** HTTPS on the shared Gateway: the wildcard listener, the ListenerSets and the issuer (docs/tls.md). */
export interface TlsSettings {
  /**
   * The platform's tenant domain: `<label>.<tenantDomain>` hosts are served by one wildcard
   * certificate (`*.<tenantDomain>`, DNS-01) on the Gateway's HTTPS listener; every other host
   * gets its tenant's own certificate (HTTP-01) on the tenant's ListenerSet.
   */
  readonly tenantDomain: string;
  /** Name of the Gateway's HTTPS listener (`*.<tenantDomain>`). */
  readonly listener: string;
  /** HTTPS port of the Gateway and of every ListenerSet listener. */
  readonly port: number;
  /** ClusterIssuer of every certificate (Let's Encrypt production or staging; the local CA in kubeconfig mode). */
  readonly issuer: string;
}

/** The default HTTPS settings; a stack sets its own domain (`tenantscale:tls.tenantDomain`). */
export const DEFAULT_TLS_SETTINGS: TlsSettings = {
  tenantDomain: 'tenants.example.com',
  listener: 'https',
  port: 443,
  issuer: 'letsencrypt-production',
};

/** The defaults, matching the charts' conventions (see constructs/platform/versions.ts). */
export const DEFAULT_PLATFORM_SETTINGS: PlatformSettings = {
  gateway: { name: 'tenants', namespace: 'envoy-gateway-system', listener: 'http' },
  // Service names come from the keda-add-ons-http chart name, not the release name.
  interceptor: { service: 'keda-add-ons-http-interceptor-proxy', namespace: 'keda', port: 8080 },
  externalScaler: { service: 'keda-add-ons-http-external-scaler', namespace: 'keda', port: 9090 },
  // kedacore/charts@c4b92e9 http-add-on/templates/interceptor/deployment.yaml:19-20
  interceptorPodLabels: { 'app.kubernetes.io/component': 'interceptor', 'app.kubernetes.io/name': 'http-add-on' },
  httpScaledObjectMigration: false,
  monitoringNamespace: 'monitoring',
  dnsNamespace: 'kube-system',
  tenantNamespaceLabel: { key: 'tenantscale.io/gateway-access', value: 'tenant' },
  serviceMonitors: true,
  verticalPodAutoscalers: true,
  tls: DEFAULT_TLS_SETTINGS,
};

/** Labels and annotation keys tenantscale writes. */
export const LABELS = {
  tenant: 'tenantscale.io/tenant',
  managedBy: 'app.kubernetes.io/managed-by',
  partOf: 'app.kubernetes.io/part-of',
  name: 'app.kubernetes.io/name',
  component: 'app.kubernetes.io/component',
  stateful: 'tenantscale.io/stateful',
  coldStartBudget: 'tenantscale.io/cold-start-budget-seconds',
} as const;

export const MANAGER = 'tenantscale';

/** Labels of every platform object tenantscale writes (spread a copy: objects may add their own). */
export const PLATFORM_LABELS: Readonly<Record<string, string>> = Object.freeze({ [LABELS.partOf]: MANAGER, [LABELS.managedBy]: MANAGER });

/** Port of the Gateway's HTTP listener unless configured. */
export const DEFAULT_LISTENER_PORT = 80;
/** Envoy proxy replicas of the shared Gateway when the stack sets none (tenantscale:gateway.proxyReplicas). */
export const DEFAULT_PROXY_REPLICAS = 2;
