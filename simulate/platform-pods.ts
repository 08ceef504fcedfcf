/**
 * The platform's own pods, which take room on the first node pool before any tenant does. Requests
 * are the chart defaults the platform deploys with (../shared/reference/platform-facts.md §A; the
 * constructs in constructs/platform/ set replica counts but not requests):
 * - KEDA 2.20.2: operator, metrics API server, webhooks — 100m / 100Mi each (values.yaml `resources`).
 * - KEDA HTTP add-on 0.15.0: interceptor × interceptorMinReplicas, external scaler × 1 (the
 *   platform sets `scaler.replicas: 1`), operator × 1 — 250m / 20Mi each.
 * - Envoy Gateway v1.9.0: the controller 100m / 256Mi and proxyReplicas Envoy proxies 100m / 512Mi
 *   (the chart's and EnvoyProxy's default requests; uncertain: check the pinned chart).
 * - metrics-server 3.13.1: 100m / 200Mi.
 * - VPA recommender (Fairwinds chart 5.0.0): 50m / 500Mi (uncertain).
 * - kube-prometheus-stack sets no requests by default: Prometheus, Grafana, Alertmanager and the
 *   operator count for 0 in scheduling (they use real memory: see docs/simulate.md "Limits").
 * - DOKS's CoreDNS: 2 × 100m / 70Mi (upstream CoreDNS manifest defaults; uncertain on DOKS).
 */
import type { SimulatedStack } from './simulated-stack';

export interface PodRequest {
  readonly name: string;
  readonly cpuMilli: number;
  readonly memoryBytes: number;
}

const Mi = 1024 * 1024;

function pods(name: string, count: number, cpuMilli: number, memoryMiB: number): PodRequest[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${name}-${i}`, cpuMilli, memoryBytes: memoryMiB * Mi }));
}

/** Every platform pod the stack runs, with its requests. */
export function platformPods(stack: SimulatedStack): PodRequest[] {
  const c = stack.components;
  const out: PodRequest[] = [...pods('coredns', 2, 100, 70)];
  if (c.keda.enabled) out.push(...pods('keda-operator', 1, 100, 100), ...pods('keda-metrics-apiserver', 1, 100, 100), ...pods('keda-webhooks', 1, 100, 100));
  if (c.kedaHttpAddon.enabled) {
    out.push(...pods('http-interceptor', c.kedaHttpAddon.interceptorMinReplicas, 250, 20), ...pods('http-scaler', 1, 250, 20), ...pods('http-operator', 1, 250, 20));
  }
  if (c.envoyGateway.enabled) out.push(...pods('envoy-gateway', 1, 100, 256), ...pods('envoy-proxy', stack.gateway.proxyReplicas, 100, 512));
  if (c.metricsServer.enabled) out.push(...pods('metrics-server', 1, 100, 200));
  if (c.verticalPodAutoscaler.enabled) out.push(...pods('vpa-recommender', 1, 50, 500));
  if (stack.monitoring.enabled) {
    out.push(...pods('prometheus', 1, 0, 0), ...pods('prometheus-operator', 1, 0, 0), ...pods('kube-state-metrics', 1, 0, 0));
    if (stack.monitoring.grafana) out.push(...pods('grafana', 1, 0, 0));
    if (stack.monitoring.alertmanager) out.push(...pods('alertmanager', 1, 0, 0));
  }
  return out;
}
