import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { DEFAULT_PLATFORM_SETTINGS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { INTERCEPTOR_METRICS_PORT, ENVOY_PROXY_LABELS } from './platform-monitors';
import { DEFAULT_LISTENER_PORT } from './platform-objects';
import { CHARTS } from './versions';

/** Which platform namespaces are installed (and so get policies), and the parts whose ports differ. */
export interface PlatformNamespaceToggles {
  /** KEDA's namespace (operator, metrics API server, admission webhooks). @default true */
  readonly keda?: boolean;
  /** The HTTP add-on (interceptor, external scaler) in KEDA's namespace. @default true */
  readonly kedaHttpAddon?: boolean;
  /** Envoy Gateway's namespace (controller and proxies; the Gateway is applied either way). @default true */
  readonly envoyGateway?: boolean;
  /** cert-manager's namespace (tls enabled). @default true */
  readonly certManager?: boolean;
  /** The VPA's namespace. @default true */
  readonly verticalPodAutoscaler?: boolean;
  /** The VPA admission controller runs (its webhook port is admitted). @default false */
  readonly vpaAdmissionController?: boolean;
  /** kube-prometheus-stack's namespace. Scrapes from it are admitted either way (a Prometheus installed outside the stack). @default true */
  readonly monitoring?: boolean;
}

/** One ingress rule: sources (none: any source) and TCP ports. */
export interface PlatformIngressRule {
  readonly from?: readonly Record<string, unknown>[];
  readonly ports: readonly number[];
}

/** One NetworkPolicy of a platform namespace, as data (the construct writes exactly this). */
export interface PlatformPolicySpec {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: { readonly matchLabels?: Readonly<Record<string, string>> };
  readonly ingress: readonly PlatformIngressRule[];
}

/** Name of the ingress default-deny policy every platform namespace gets (policies/rules/platform-default-deny.ts). */
export const PLATFORM_DEFAULT_DENY = 'tenantscale-default-deny-ingress';

/** The namespaces the platform policies cover: every chart's except kube-system (metrics-server; left alone) and flux-system. */
export const POLICED_NAMESPACES: readonly string[] = [
  CHARTS.keda.namespace,
  CHARTS.envoyGateway.namespace,
  CHARTS.certManager.namespace,
  CHARTS.verticalPodAutoscaler.namespace,
  CHARTS.kubePrometheusStack.namespace,
];

/**
 * The container port Envoy listens on for a Gateway listener port: privileged ports (below 1024)
 * shifted by 10000 (envoyproxy/gateway@v1.9.0 internal/gatewayapi/listener.go:1416-1421,
 * translator.go:46-50). A NetworkPolicy matches the pod's port, after the Service's DNAT.
 */
export function envoyContainerPort(listenerPort: number): number {
  return listenerPort < 1024 ? listenerPort + 10000 : listenerPort;
}

/** The Gateway's listener ports: HTTP (80 unless set) and, with tls, HTTPS. Pure. */
export function platformListenerPorts(httpPort: number | undefined, settings: PlatformSettings): number[] {
  return [httpPort ?? DEFAULT_LISTENER_PORT, ...(settings.tls ? [settings.tls.port] : [])];
}

const namespaceNamed = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

// Pod labels, each from the chart at the pinned version.
// kedacore/charts@v2.20.2 keda/templates/manager/deployment.yaml:28 and metrics-server/deployment.yaml:28
// (`app: {{ .Values.operator.name }}[-metrics-apiserver]`, values.yaml:88 name keda-operator),
// webhooks/deployment.yaml:29 (`app: {{ .Values.webhooks.name }}`, values.yaml:235 keda-admission-webhooks).
const KEDA_OPERATOR = { app: 'keda-operator' };
const KEDA_METRICS_APISERVER = { app: 'keda-operator-metrics-apiserver' };
const KEDA_WEBHOOKS = { app: 'keda-admission-webhooks' };
// kedacore/charts@c4b92e9 (keda-add-ons-http 0.15.0) http-add-on/templates/interceptor/deployment.yaml:18-21,
// scaler/deployment.yaml:19-21 and _helpers.tpl:15-19 (instance = release name).
const addonPods = (component: string) => ({
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/name': 'http-add-on',
  'app.kubernetes.io/instance': CHARTS.kedaHttpAddon.release,
});
// envoyproxy/gateway@v1.9.0 charts/gateway-helm/templates/envoy-gateway-deployment.yaml:31-33 and _helpers.tpl:58-61.
const EG_CONTROLLER = { 'control-plane': 'envoy-gateway', 'app.kubernetes.io/instance': CHARTS.envoyGateway.release };
// cert-manager/cert-manager@v1.21.1 deploy/charts/cert-manager/templates/webhook-deployment.yaml:35-37.
const CM_WEBHOOK = { 'app.kubernetes.io/component': 'webhook', 'app.kubernetes.io/instance': CHARTS.certManager.release };
// FairwindsOps/charts@21a94b6 stable/vpa/templates/admission-controller-deployment.yaml:31-32, _helpers.tpl:51-54.
const VPA_ADMISSION = { 'app.kubernetes.io/component': 'admission-controller', 'app.kubernetes.io/instance': CHARTS.verticalPodAutoscaler.release };
// prometheus-community/helm-charts@kube-prometheus-stack-88.5.3 charts/kube-prometheus-stack/templates/prometheus-operator/deployment.yaml:21-24
// (selector `app: <chart name>-operator`, `release`, which the pod template carries).
const KPS_OPERATOR = { app: `${CHARTS.kubePrometheusStack.chart}-operator`, release: CHARTS.kubePrometheusStack.release };

/**
 * The ingress policies of the platform namespaces, as data: per namespace a default-deny for every
 * pod, then one allow per pod group and flow. Egress stays open (docs/platform-isolation.md). Pure.
 */
export function platformPolicySpecs(
  settings: PlatformSettings,
  toggles: PlatformNamespaceToggles,
  listenerPorts: readonly number[],
): PlatformPolicySpec[] {
  const on = (v: boolean | undefined, d = true) => v ?? d;
  const monitoring = on(toggles.monitoring);
  // From the whole monitoring namespace, as the tenants' policies admit it (tenant-guardrails.ts).
  const scrape = (ports: number[]): PlatformIngressRule[] => [{ from: [namespaceNamed(settings.monitoringNamespace)], ports }];
  const specs: PlatformPolicySpec[] = [];
  const namespaceOf = (ns: string, allows: Omit<PlatformPolicySpec, 'namespace'>[]) => {
    specs.push({ namespace: ns, name: PLATFORM_DEFAULT_DENY, podSelector: {}, ingress: [] });
    for (const a of allows) if (a.ingress.length > 0) specs.push({ namespace: ns, ...a });
  };

  if (on(toggles.keda)) {
    const addon = on(toggles.kedaHttpAddon);
    const keda = settings.interceptor.namespace;
    namespaceOf(keda, [
      {
        // 9666: the metrics API server asks the operator (manager/deployment.yaml:150-152); 8080:
        // metrics (prometheus.operator.port, values.yaml:738; enabled in keda.ts).
        name: 'tenantscale-keda-operator',
        podSelector: { matchLabels: KEDA_OPERATOR },
        ingress: [{ from: [{ podSelector: { matchLabels: KEDA_METRICS_APISERVER } }], ports: [9666] }, ...scrape([8080])],
      },
      {
        // 6443: the aggregated external.metrics.k8s.io API, called by the kube-apiserver, which on
        // DOKS sits outside the pod network: any source (metrics-server/deployment.yaml:151, values.yaml:532).
        name: 'tenantscale-keda-metrics-apiserver',
        podSelector: { matchLabels: KEDA_METRICS_APISERVER },
        ingress: [{ ports: [6443] }, ...scrape([8080])],
      },
      {
        // 9443: admission webhooks, called by the kube-apiserver: any source (webhooks/deployment.yaml:114).
        name: 'tenantscale-keda-admission-webhooks',
        podSelector: { matchLabels: KEDA_WEBHOOKS },
        ingress: [{ ports: [9443] }],
      },
      ...(addon
        ? [
            {
              // proxy 8080 from the Envoy proxies only (values.yaml:167); admin 9090 from the external
              // scaler, which polls it (values.yaml:157, scaler/deployment.yaml:67-68); the exporter on 2223.
              name: 'tenantscale-keda-http-interceptor',
              podSelector: { matchLabels: addonPods('interceptor') },
              ingress: [
                { from: [{ ...namespaceNamed(settings.gateway.namespace), podSelector: { matchLabels: { ...ENVOY_PROXY_LABELS } } }], ports: [settings.interceptor.port] },
                { from: [{ podSelector: { matchLabels: addonPods('scaler') } }], ports: [9090] },
                ...scrape([INTERCEPTOR_METRICS_PORT]),
              ],
            },
            {
              // gRPC 9090 from the KEDA operator (values.yaml:104, scaler/deployment.yaml:52); metrics 2223 (values.yaml:133).
              name: 'tenantscale-keda-http-external-scaler',
              podSelector: { matchLabels: addonPods('scaler') },
              ingress: [{ from: [{ podSelector: { matchLabels: KEDA_OPERATOR } }], ports: [settings.externalScaler.port] }, ...scrape([2223])],
            },
          ]
        : []),
    ]);
  }

  if (on(toggles.envoyGateway)) {
    namespaceOf(settings.gateway.namespace, [
      {
        // Proxies: the listeners' container ports from anywhere (the load balancer keeps the client
        // address, externalTrafficPolicy Local); stats 19001 for Prometheus
        // (internal/infrastructure/kubernetes/proxy/resource.go:87).
        name: 'tenantscale-envoy-proxies',
        podSelector: { matchLabels: { ...ENVOY_PROXY_LABELS } },
        ingress: [{ ports: [...new Set(listenerPorts.map(envoyContainerPort))] }, ...scrape([19001])],
      },
      {
        // Controller: xDS 18000 from the proxies, which dial it (values.tmpl.yaml:115-117); the
        // topology-injector webhook 9443 from any source (deployment.yaml:86-89, values.tmpl.yaml:228-229).
        name: 'tenantscale-envoy-gateway-controller',
        podSelector: { matchLabels: EG_CONTROLLER },
        ingress: [{ from: [{ podSelector: { matchLabels: { ...ENVOY_PROXY_LABELS } } }], ports: [18000] }, { ports: [9443] }],
      },
    ]);
  }

  if (on(toggles.certManager)) {
    namespaceOf(CHARTS.certManager.namespace, [
      // Webhook 10250 (values.yaml:1090, webhook-deployment.yaml:128-133) from any source.
      { name: 'tenantscale-cert-manager-webhook', podSelector: { matchLabels: CM_WEBHOOK }, ingress: [{ ports: [10250] }] },
      // Controller, webhook and cainjector metrics 9402 (deployment.yaml:159, cainjector-deployment.yaml:112).
      { name: 'tenantscale-cert-manager-metrics', podSelector: {}, ingress: scrape([9402]) },
    ]);
  }

  if (on(toggles.verticalPodAutoscaler)) {
    namespaceOf(CHARTS.verticalPodAutoscaler.namespace, [
      // Admission webhook 8000 (admission-controller-deployment.yaml:79-82), only when it runs.
      { name: 'tenantscale-vpa-admission-controller', podSelector: { matchLabels: VPA_ADMISSION }, ingress: on(toggles.vpaAdmissionController, false) ? [{ ports: [8000] }] : [] },
    ]);
  }

  if (monitoring) {
    const ns = settings.monitoringNamespace;
    namespaceOf(ns, [
      // Prometheus scraping its neighbours, Grafana → Prometheus/Alertmanager, Prometheus →
      // Alertmanager, and the UIs: from within the namespace only (every pod, every port).
      { name: 'tenantscale-monitoring-same-namespace', podSelector: {}, ingress: [{ from: [{ podSelector: {} }], ports: [] }] },
      // Tenants' `prometheus` triggers (tenants/kinds.ts serverAddress): the KEDA operator runs the
      // scaler and queries Prometheus on 9090 (values.yaml:3780-3783, prometheus.service port and
      // targetPort). Every pod of the namespace on that port only, so no operator-generated label is relied on.
      {
        name: 'tenantscale-monitoring-keda-queries',
        podSelector: {},
        ingress: [{ from: [{ ...namespaceNamed(settings.interceptor.namespace), podSelector: { matchLabels: KEDA_OPERATOR } }], ports: [9090] }],
      },
      // The operator's admission webhook on its TLS port 10250 (values.yaml:2841-2846, deployment.yaml:165-166) from any source.
      { name: 'tenantscale-prometheus-operator-webhook', podSelector: { matchLabels: KPS_OPERATOR }, ingress: [{ ports: [10250] }] },
    ]);
  }
  return specs;
}

export interface PlatformNetworkPoliciesProps {
  /**
   * Shared names (namespaces of the interceptor, the Gateway, monitoring; interceptor and scaler ports).
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * Which platform namespaces are installed.
   * @default {} (every one; the VPA admission controller off)
   */
  readonly toggles?: PlatformNamespaceToggles;
  /**
   * The Gateway's listener ports (HTTP, and HTTPS when tls is on).
   * @default [80] plus settings.tls.port when tls is set
   */
  readonly listenerPorts?: readonly number[];
}

/**
 * Ingress default-deny NetworkPolicies for the platform namespaces tenantscale installs, and one
 * allow policy per flow the platform needs (docs/platform-isolation.md has the table and sources).
 */
export class PlatformNetworkPolicies extends Construct {
  public readonly policies: kplus.k8s.KubeNetworkPolicy[];

  constructor(scope: Construct, id: string, props: PlatformNetworkPoliciesProps = {}) {
    super(scope, id);
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const toggles = props.toggles ?? {};
    const listenerPorts = props.listenerPorts ?? platformListenerPorts(undefined, settings);
    this.policies = platformPolicySpecs(settings, toggles, listenerPorts).map(
      (p) =>
        new kplus.k8s.KubeNetworkPolicy(this, `${p.namespace}-${p.name}`, {
          metadata: { name: p.name, namespace: p.namespace, labels: { ...PLATFORM_LABELS } },
          spec: {
            podSelector: p.podSelector.matchLabels ? { matchLabels: { ...p.podSelector.matchLabels } } : {},
            policyTypes: ['Ingress'],
            ingress: p.ingress.map((r) => ({
              ...(r.from ? { from: r.from.map((f) => ({ ...f })) } : {}),
              ...(r.ports.length > 0 ? { ports: r.ports.map((port) => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) })) } : {}),
            })),
          },
        }),
    );
  }
}
