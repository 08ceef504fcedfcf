import { Construct } from 'constructs';
import {
  PodMonitor,
  PodMonitorSpecPodMetricsEndpointsRelabelingsAction as RelabelAction,
} from '../imports/monitoring.coreos.com';
import { DEFAULT_PLATFORM_SETTINGS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { CHARTS } from './versions';

/**
 * Port of the interceptor's Prometheus exporter: kedacore/http-add-on@v0.15.0
 * pkg/observability/config.go:9-10 (OTEL_PROM_EXPORTER_ENABLED default true, OTEL_PROM_EXPORTER_PORT
 * default 2223). The chart's interceptor Deployment (kedacore/charts@v2.20.2
 * http-add-on/templates/interceptor/deployment.yaml:116-123) sets neither and declares only the
 * `admin` and `proxy` ports, so the exporter listens on 2223 but no container port names it.
 */
export const INTERCEPTOR_METRICS_PORT = 2223;

/** Envoy Gateway's proxy pod labels: envoyproxy/gateway@v1.9.0 internal/infrastructure/kubernetes/proxy/resource.go:47-54. */
export const ENVOY_PROXY_LABELS = {
  'app.kubernetes.io/name': 'envoy',
  'app.kubernetes.io/component': 'proxy',
  'app.kubernetes.io/managed-by': 'envoy-gateway',
} as const;

export interface PlatformMonitorsProps {
  /**
   * Monitoring namespace (where the monitors live) and the Gateway namespace (where the proxies run).
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * Namespace of the HTTP add-on (interceptor and external scaler pods).
   * @default CHARTS.kedaHttpAddon.namespace
   */
  readonly addonNamespace?: string;
  /**
   * Helm release name of the add-on (its pods' `app.kubernetes.io/instance`).
   * @default CHARTS.kedaHttpAddon.release
   */
  readonly addonRelease?: string;
  /**
   * Scrape interval.
   * @default '30s'
   */
  readonly interval?: string;
}

/**
 * PodMonitors for what the platform runs and kube-prometheus-stack does not scrape on its own:
 * the HTTP add-on's interceptor (request count, duration, concurrency per route) and external
 * scaler (pinger health), and Envoy Gateway's proxies (per-route edge statistics). KEDA scrapes
 * itself (its chart's ServiceMonitors), kube-state-metrics comes with kube-prometheus-stack.
 */
export class PlatformMonitors extends Construct {
  public readonly interceptor: PodMonitor;
  public readonly scaler: PodMonitor;
  public readonly envoy: PodMonitor;

  constructor(scope: Construct, id: string, props: PlatformMonitorsProps = {}) {
    super(scope, id);
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const addonNamespace = props.addonNamespace ?? CHARTS.kedaHttpAddon.namespace;
    const addonRelease = props.addonRelease ?? CHARTS.kedaHttpAddon.release;
    const interval = props.interval ?? '30s';
    const labels = { ...PLATFORM_LABELS };
    const namespace = settings.monitoringNamespace;
    // kedacore/charts@v2.20.2 http-add-on/templates/_helpers.tpl:14-18 (matchLabels) and the
    // component labels of interceptor/deployment.yaml:5-6 and scaler/deployment.yaml:5-6.
    const addonPods = (component: string) => ({
      matchLabels: {
        'app.kubernetes.io/component': component,
        'app.kubernetes.io/name': 'http-add-on',
        'app.kubernetes.io/part-of': CHARTS.kedaHttpAddon.chart,
        'app.kubernetes.io/instance': addonRelease,
      },
    });

    this.interceptor = new PodMonitor(this, 'interceptor', {
      metadata: { name: 'keda-http-interceptor', namespace, labels },
      spec: {
        namespaceSelector: { matchNames: [addonNamespace] },
        selector: addonPods('interceptor'),
        podMetricsEndpoints: [
          {
            // One target per pod through its declared `admin` port, then pointed at the exporter.
            port: 'admin',
            path: '/metrics',
            interval,
            relabelings: [
              {
                sourceLabels: ['__meta_kubernetes_pod_ip'],
                targetLabel: '__address__',
                replacement: `$1:${INTERCEPTOR_METRICS_PORT}`,
                action: RelabelAction.REPLACE,
              },
            ],
          },
        ],
      },
    });

    this.scaler = new PodMonitor(this, 'scaler', {
      metadata: { name: 'keda-http-external-scaler', namespace, labels },
      spec: {
        namespaceSelector: { matchNames: [addonNamespace] },
        selector: addonPods('scaler'),
        // kedacore/charts@v2.20.2 http-add-on/templates/scaler/deployment.yaml:54-56: port `metrics`
        // (values scaler.metrics.prometheus: enabled true, port 2223).
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval }],
      },
    });

    this.envoy = new PodMonitor(this, 'envoy', {
      metadata: { name: 'envoy-gateway-proxies', namespace, labels },
      spec: {
        namespaceSelector: { matchNames: [settings.gateway.namespace] },
        selector: { matchLabels: { ...ENVOY_PROXY_LABELS } },
        // envoyproxy/gateway@v1.9.0 internal/infrastructure/kubernetes/proxy/resource.go:82-88
        // (container port `metrics`, 19001, unless telemetry.metrics.prometheus.disable) and
        // internal/xds/bootstrap/bootstrap.yaml.tpl:143 (/stats/prometheus).
        podMetricsEndpoints: [{ port: 'metrics', path: '/stats/prometheus', interval }],
      },
    });
  }
}
