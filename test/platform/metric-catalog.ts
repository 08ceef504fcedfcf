/**
 * The series tenantscale's rules and dashboards read, with the labels Prometheus stores for them
 * (target labels added by the scrape: job, instance, namespace, pod, container, service, endpoint).
 * Each entry cites where the name and labels come from, at the pinned versions.
 */
const TARGET = ['job', 'instance', 'namespace', 'pod', 'container', 'service', 'endpoint'];
// kube-state-metrics v2.20.0 (kube-prometheus-stack 88.5.3, honorLabels: true): object labels.
const KSM = ['job', 'instance', 'namespace'];

export const METRIC_CATALOG: Record<string, readonly string[]> = {
  // kedacore/keda@v2.20.2 pkg/metricscollector/prommetrics.go:35,78,96; scraped without honorLabels
  // (kedacore/charts@v2.20.2 keda/templates/manager/servicemonitor.yaml): own namespace -> exported_namespace.
  keda_scaled_object_errors_total: [...TARGET, 'exported_namespace', 'scaledObject'],
  keda_scaler_metrics_value: [...TARGET, 'exported_namespace', 'metric', 'scaledObject', 'scaler', 'triggerIndex', 'type'],
  keda_scaler_active: [...TARGET, 'exported_namespace', 'metric', 'scaledObject', 'scaler', 'triggerIndex', 'type'],
  // kedacore/http-add-on@v0.15.0 interceptor/metrics/instruments.go:14-24,109-127 (OTel Prometheus exporter v0.66:
  // counters get _total, unit "s" histograms _seconds).
  interceptor_request_count_total: [...TARGET, 'code', 'method', 'route_name', 'route_namespace'],
  interceptor_request_concurrency: [...TARGET, 'route_name', 'route_namespace'],
  // kedacore/http-add-on@v0.15.0 scaler/metrics/instruments.go:17-21 (gauges without attributes).
  scaler_pinger_unreachable_pods: [...TARGET],
  scaler_pinger_endpoints: [...TARGET],
  // Envoy route stats with routeStatName (edge-route-stats.ts); envoyproxy/gateway@v1.9.0 test/e2e/tests/stat_name.go:128.
  envoy_vhost_route_upstream_rq: [...TARGET, 'envoy_virtual_host', 'envoy_route', 'envoy_response_code', 'envoy_response_code_class'],
  envoy_vhost_route_upstream_rq_time_bucket: [...TARGET, 'envoy_virtual_host', 'envoy_route', 'le'],
  // kube-state-metrics v2.20.0 docs/metrics/workload/*.md
  kube_deployment_spec_replicas: [...KSM, 'deployment'],
  kube_deployment_status_replicas_available: [...KSM, 'deployment'],
  kube_pod_created: [...KSM, 'pod', 'uid'],
  kube_pod_status_ready_time: [...KSM, 'pod', 'uid'],
  kube_pod_status_scheduled_time: [...KSM, 'pod', 'uid'],
  kube_pod_status_ready: [...KSM, 'pod', 'uid', 'condition'],
  kube_pod_status_phase: [...KSM, 'pod', 'uid', 'phase'],
  kube_pod_container_status_restarts_total: [...KSM, 'pod', 'uid', 'container'],
  kube_pod_container_status_last_terminated_reason: [...KSM, 'pod', 'uid', 'container', 'reason'],
  kube_pod_container_resource_requests: [...KSM, 'pod', 'uid', 'container', 'node', 'resource', 'unit'],
  kube_pod_container_resource_limits: [...KSM, 'pod', 'uid', 'container', 'node', 'resource', 'unit'],
  kube_horizontalpodautoscaler_status_current_replicas: [...KSM, 'horizontalpodautoscaler'],
  kube_horizontalpodautoscaler_status_desired_replicas: [...KSM, 'horizontalpodautoscaler'],
  kube_horizontalpodautoscaler_spec_max_replicas: [...KSM, 'horizontalpodautoscaler'],
  kube_horizontalpodautoscaler_status_condition: [...KSM, 'horizontalpodautoscaler', 'condition', 'status'],
  kube_node_info: [...KSM, 'node', 'kernel_version', 'os_image', 'container_runtime_version', 'kubelet_version', 'kubeproxy_version', 'provider_id', 'pod_cidr', 'system_uuid', 'internal_ip'],
  // metricLabelsAllowlist nodes=[doks.digitalocean.com/node-pool,node.kubernetes.io/instance-type] (kube-prometheus-stack.ts)
  kube_node_labels: [...KSM, 'node', 'label_doks_digitalocean_com_node_pool', 'label_node_kubernetes_io_instance_type'],
  // custom resource state (kube-prometheus-stack.ts KUBE_STATE_METRICS_VALUES); KSM adds customresource_* labels.
  tenantscale_scaledobject_status_condition: [...KSM, 'scaledobject', 'type', 'status', 'customresource_group', 'customresource_kind', 'customresource_version'],
  tenantscale_vpa_target_cpu_cores: [...KSM, 'verticalpodautoscaler', 'container', 'customresource_group', 'customresource_kind', 'customresource_version'],
  tenantscale_vpa_target_memory_bytes: [...KSM, 'verticalpodautoscaler', 'container', 'customresource_group', 'customresource_kind', 'customresource_version'],
  // cAdvisor through the kubelet ServiceMonitor of kube-prometheus-stack.
  container_cpu_usage_seconds_total: [...TARGET, 'cpu', 'id', 'image', 'name', 'metrics_path', 'node'],
  container_memory_working_set_bytes: [...TARGET, 'id', 'image', 'name', 'metrics_path', 'node'],
  // cert-manager/cert-manager@v1.21.1 internal/collectors/certificate_collector.go:30,33; the chart's ServiceMonitor
  // keeps honorLabels false (deploy/charts/cert-manager/values.yaml:687): the Certificate's namespace -> exported_namespace.
  certmanager_certificate_ready_status: [...TARGET, 'exported_namespace', 'name', 'condition', 'issuer_name', 'issuer_kind', 'issuer_group'],
  certmanager_certificate_expiration_timestamp_seconds: [...TARGET, 'exported_namespace', 'name', 'issuer_name', 'issuer_kind', 'issuer_group'],
  // Prometheus' own synthetic series of alerting rules.
  ALERTS: ['alertname', 'alertstate', 'severity', 'namespace'],
};
