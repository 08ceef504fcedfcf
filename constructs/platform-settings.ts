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
}

/** The defaults, matching the charts' conventions (see constructs/platform/versions.ts). */
export const DEFAULT_PLATFORM_SETTINGS: PlatformSettings = {
  gateway: { name: 'tenants', namespace: 'envoy-gateway-system', listener: 'http' },
  // Service names come from the keda-add-ons-http chart name, not the release name.
  interceptor: { service: 'keda-add-ons-http-interceptor-proxy', namespace: 'keda', port: 8080 },
  monitoringNamespace: 'monitoring',
  dnsNamespace: 'kube-system',
  tenantNamespaceLabel: { key: 'tenantscale.io/gateway-access', value: 'tenant' },
  serviceMonitors: true,
  verticalPodAutoscalers: true,
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
