/**
 * The one catalog of everything tenantscale installs with Helm: chart, where it comes from, the
 * pinned version and the namespace it lives in. Every component reads its chart from here, the
 * stack config may override one component's version (`tenantscale:components.<component>.version`,
 * infra/config.ts), and the table in docs/deploy.md is this file. Bump a version here, run the tests, then `pulumi preview`.
 */

/** One Helm chart, pinned. */
export interface ChartRef {
  /** Chart name (`helm install <release> <repo>/<chart>`), or the full `oci://` reference. */
  readonly chart: string;
  /** Classic Helm repository URL; absent for OCI charts, whose location is `chart`. */
  readonly repo?: string;
  /** Pinned chart version, exactly as published (Envoy Gateway's carry a `v`). */
  readonly version: string;
  /** The application version this chart ships (documentation; not sent to Helm). */
  readonly appVersion: string;
  /** Helm release name. */
  readonly release: string;
  /** Namespace the release is installed into. */
  readonly namespace: string;
}

export const CHARTS = {
  metricsServer: {
    chart: 'metrics-server',
    repo: 'https://kubernetes-sigs.github.io/metrics-server/',
    version: '3.13.1',
    appVersion: '0.8.1',
    release: 'metrics-server',
    namespace: 'kube-system',
  },
  keda: {
    chart: 'keda',
    repo: 'https://kedacore.github.io/charts',
    version: '2.20.2',
    appVersion: '2.20.2',
    release: 'keda',
    namespace: 'keda',
  },
  // Must share KEDA's namespace: the add-on and KEDA run in the same (cluster-global) mode, and
  // the tenants' ReferenceGrants and routes name the interceptor Service in this namespace.
  kedaHttpAddon: {
    chart: 'keda-add-ons-http',
    repo: 'https://kedacore.github.io/charts',
    version: '0.15.0',
    appVersion: '0.15.0',
    release: 'keda-add-ons-http',
    namespace: 'keda',
  },
  envoyGateway: {
    chart: 'oci://docker.io/envoyproxy/gateway-helm',
    version: 'v1.9.0',
    appVersion: 'v1.9.0',
    release: 'eg',
    namespace: 'envoy-gateway-system',
  },
  // Only the gateway.envoyproxy.io CRDs, for clusters whose Gateway API CRDs are managed by the
  // provider (DOKS 1.33+). Same version as the controller, always.
  envoyGatewayCrds: {
    chart: 'oci://docker.io/envoyproxy/gateway-crds-helm',
    version: 'v1.9.0',
    appVersion: 'v1.9.0',
    release: 'eg-crds',
    namespace: 'envoy-gateway-system',
  },
  // jetstack chart, published with the release tag as version (the `v` included); the CRDs come
  // with it (crds.enabled), the same v1.21.1 constructs/imports/cert-manager.io.ts is generated from.
  certManager: {
    chart: 'cert-manager',
    repo: 'https://charts.jetstack.io',
    version: 'v1.21.1',
    appVersion: 'v1.21.1',
    release: 'cert-manager',
    namespace: 'cert-manager',
  },
  verticalPodAutoscaler: {
    chart: 'vpa',
    repo: 'https://charts.fairwinds.com/stable',
    version: '5.0.0',
    appVersion: '1.7.1',
    release: 'vpa',
    namespace: 'vpa',
  },
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    repo: 'https://prometheus-community.github.io/helm-charts',
    version: '88.5.3',
    appVersion: 'v0.93.1',
    release: 'kube-prometheus-stack',
    namespace: 'monitoring',
  },
  // Flux (tenantDelivery: flux). The Flux project ships no Helm chart of its own and, for Helm- or
  // operator-based installs, points to the Flux Operator (fluxcd/flux2#5482, 2025-08-14: a Helm
  // chart cannot let Flux upgrade itself and Helm does not apply with server-side apply; the
  // fluxcd-community flux2 chart is community-maintained). The operator then installs Flux from
  // one FluxInstance (FluxTenantDelivery creates it, pinned to FLUX_VERSION).
  // Verified upstream: the operator tag v0.58.1 exists (controlplaneio-fluxcd/flux-operator, tag
  // v0.58.1 = commit b3b36020aca1f8d2172c76949c0bcb6bbf688dde, tagged 2026-08-19) and embeds the
  // Flux v2.9.4 manifests (config/data/flux-images/VERSION at that tag), the release of the pinned
  // Flux CRDs; the FluxInstance fields tenantscale writes are read from api/v1/fluxinstance_types.go
  // at that tag (the project's schema: cli/conformance/flux-instance-crd.ts).
  // NOT verified: the chart 0.58.1 itself. The chart lives in controlplaneio-fluxcd/charts, not in
  // the operator repository; the snapshot of that repository read here ends at chart 0.49.0
  // (2026-05-12), so the 0.58.1 chart's templates and values were not read. What makes 0.58.1
  // the expected chart version: that repository's scripts/flux-operator.sh sets Chart.yaml
  // `version` to the operator release tag without its "v" and `appVersion` to the tag, and builds
  // templates/crds.yaml from flux-operator config/crd at the tag; every chart release in its
  // history (0.40.0 … 0.49.0) has version == appVersion without "v". `helm show chart
  // oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator --version 0.58.1` confirms it (not
  // run here: no registry access but npm).
  fluxOperator: {
    chart: 'oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator',
    version: '0.58.1',
    appVersion: 'v0.58.1',
    release: 'flux-operator',
    namespace: 'flux-system',
  },
} as const satisfies Record<string, ChartRef>;

/**
 * The Flux distribution the FluxInstance installs, exact (no `2.9.x` range, so an upgrade is a
 * reviewed change): source-controller v1.9.1 and kustomize-controller v1.9.4, whose CRDs
 * constructs/imports/ is generated from.
 */
export const FLUX_VERSION = '2.9.4';

export type ChartKey = keyof typeof CHARTS;

/** Kubernetes minor versions every pinned chart supports (Envoy Gateway v1.9: 1.33–1.36). */
export const SUPPORTED_KUBERNETES_MINORS = { min: 33, max: 36 } as const;
