import * as k8s from '@pulumi/kubernetes';
import { ChartRef } from './versions';

/**
 * Arguments of a `helm.v3.Release` for a catalog chart. Release embeds Helm itself, so chart hooks
 * (Envoy Gateway certgen, kube-prometheus-stack webhook patch, VPA certgen) run exactly as with
 * `helm install`, and the release shows up in `helm list`. The release name is fixed (no Pulumi
 * suffix) because Service names such as `keda-add-ons-http-interceptor-proxy` derive from it or
 * from the chart. Helm waits for the release's workloads to be ready, so anything that depends on
 * the Release finds its CRDs and webhooks serving.
 */
export function releaseArgs(
  ref: ChartRef,
  version: string,
  values: Record<string, unknown>,
  overrides: Partial<k8s.helm.v3.ReleaseArgs> = {},
): k8s.helm.v3.ReleaseArgs {
  return {
    name: ref.release,
    chart: ref.chart,
    version,
    ...(ref.repo ? { repositoryOpts: { repo: ref.repo } } : {}),
    namespace: ref.namespace,
    createNamespace: true,
    atomic: false,
    cleanupOnFail: true,
    // Pull, hooks and rollout of the largest chart (kube-prometheus-stack) fit in ten minutes.
    timeout: 600,
    maxHistory: 5,
    values,
    ...overrides,
  };
}
