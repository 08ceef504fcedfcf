#!/usr/bin/env bash
# Regenerates the typed CRD classes in constructs/imports/ with `cdk8s import` (one file per API group).
# The upstream CRD YAML is not part of this repository; pass the directory that holds it
# (default: ../shared/crds, the pinned upstream copies listed in its README).
#   npm run imports -- /path/to/crds [out-dir]
set -euo pipefail
crds="${1:-../shared/crds}"
out="${2:-constructs/imports}"
# group file => CRD files (cdk8s import writes one module per API group; CRDs of one group are
# imported together so that no module overwrites another)
declare -A groups=(
  [keda.sh]="keda.sh_scaledjobs.yaml keda.sh_scaledobjects.yaml keda.sh_triggerauthentications.yaml"
  [http.keda.sh]="http.keda.sh_httpscaledobjects.yaml http.keda.sh_interceptorroutes.yaml"
  [gateway.networking.k8s.io]="gateway.networking.k8s.io_gatewayclasses.yaml gateway.networking.k8s.io_gateways.yaml gateway.networking.k8s.io_httproutes.yaml gateway.networking.k8s.io_referencegrants.yaml gateway.networking.k8s.io_listenersets.yaml"
  [gateway.envoyproxy.io]="gateway.envoyproxy.io_envoyproxies.yaml gateway.envoyproxy.io_backendtrafficpolicies.yaml gateway.envoyproxy.io_backends.yaml"
  [cert-manager.io]="cert-manager.io_certificates.yaml cert-manager.io_clusterissuers.yaml"
  [autoscaling.k8s.io]="autoscaling.k8s.io_verticalpodautoscalers.yaml"
  [monitoring.coreos.com]="monitoring.coreos.com_servicemonitors.yaml monitoring.coreos.com_prometheusrules.yaml monitoring.coreos.com_podmonitors.yaml"
  [kustomize.toolkit.fluxcd.io]="kustomize.toolkit.fluxcd.io_kustomizations.yaml"
  [source.toolkit.fluxcd.io]="source.toolkit.fluxcd.io_gitrepositories.yaml source.toolkit.fluxcd.io_ocirepositories.yaml"
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"
for group in $(printf '%s\n' "${!groups[@]}" | sort); do
  bundle="$tmp/$group.yaml"
  : > "$bundle"
  for f in ${groups[$group]}; do
    [ -f "$crds/$f" ] || { echo "import-crds: $crds/$f not found (pass the CRD directory as the first argument)" >&2; exit 1; }
    printf -- '---\n' >> "$bundle"
    cat "$crds/$f" >> "$bundle"
    printf '\n' >> "$bundle"
  done
  npx --no-install cdk8s import "$bundle" --language typescript --output "$out" --no-save --no-check-upgrade >/dev/null
done
ls "$out"
