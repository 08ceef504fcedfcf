import { PlatformSettings } from '../platform-settings';
import { HealthCheckRef } from './platform-ready-gate';
import { CHARTS } from './versions';

/** Which platform components this stack installs (their Deployments are health-checked). */
export interface InstalledComponents {
  readonly keda: boolean;
  readonly kedaHttpAddon: boolean;
  readonly envoyGateway: boolean;
  /**
   * cert-manager's chart (installed when the stack serves HTTPS and `components.certManager` is on).
   * @default false
   */
  readonly certManager?: boolean;
}

/**
 * What the Flux gate waits for before any shard is applied: the CRD of every custom kind a
 * tenant may contain (Established), and the controllers this stack installs (rolled out). The
 * Deployment names are the charts': `keda-operator` (kedacore/charts keda/values.yaml
 * `operator.name`), `keda-add-ons-http-interceptor` (http-add-on templates/interceptor/
 * deployment.yaml `{{ .Chart.Name }}-interceptor`) and `envoy-gateway` (gateway-helm).
 * With HTTPS, tenants may hold Certificates: their CRD, and cert-manager's webhook, which admits
 * every cert-manager.io object (`cert-manager-webhook`: cert-manager/cert-manager@v1.21.1
 * deploy/charts/cert-manager/templates/webhook-deployment.yaml:4, `webhook.fullname` in
 * templates/_helpers.tpl:13-22,55-58 with release and chart both `cert-manager`). The ListenerSet CRD
 * is not gated on: with `gatewayApiCrds: cluster` the cluster may lack it, and the gate would then
 * hold every shard, not only the tenants with their own domains (`pulumi up` warns instead).
 */
export function platformHealthChecks(settings: PlatformSettings, installed: InstalledComponents): HealthCheckRef[] {
  const crd = (name: string): HealthCheckRef => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
  const deployment = (namespace: string, name: string): HealthCheckRef => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace });
  return [
    crd('interceptorroutes.http.keda.sh'),
    crd('scaledobjects.keda.sh'),
    crd('triggerauthentications.keda.sh'),
    crd('httproutes.gateway.networking.k8s.io'),
    crd('referencegrants.gateway.networking.k8s.io'),
    ...(settings.serviceMonitors ? [crd('servicemonitors.monitoring.coreos.com')] : []),
    ...(settings.verticalPodAutoscalers ? [crd('verticalpodautoscalers.autoscaling.k8s.io')] : []),
    ...(settings.tls ? [crd('certificates.cert-manager.io')] : []),
    ...(installed.keda ? [deployment(CHARTS.keda.namespace, 'keda-operator')] : []),
    ...(installed.kedaHttpAddon ? [deployment(CHARTS.kedaHttpAddon.namespace, `${CHARTS.kedaHttpAddon.chart}-interceptor`)] : []),
    ...(installed.envoyGateway ? [deployment(CHARTS.envoyGateway.namespace, 'envoy-gateway')] : []),
    ...(settings.tls && (installed.certManager ?? false) ? [deployment(CHARTS.certManager.namespace, `${CHARTS.certManager.release}-webhook`)] : []),
  ];
}
