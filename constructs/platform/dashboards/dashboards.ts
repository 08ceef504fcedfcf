import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DEFAULT_PRICES } from '../../../core/prices';
import { ALERTS } from '../monitoring/alert-rules';
import { COST_RECORDS as C } from '../monitoring/cost-rules';
import { envoyTenantRouteMatcher, tenantMatcher, TENANT_SERIES } from '../monitoring/tenant-series';
import { WAKE_RECORDS as R } from '../monitoring/wake-latency';
import { DATASOURCE, note, single, tableOf, tenantscaleDashboard, timeSeries } from './panels';

/** The dashboards tenantscale provisions, by file name (without `.json`). */
export type DashboardName = 'tenantscale-overview' | 'tenantscale-tenant' | 'tenantscale-autoscalers';

const t = tenantMatcher();

/** Platform overview: nodes per pool, tenants awake, wakes per minute, pods by state, firing alerts, running cost. */
export function overviewDashboard(): dashboard.Dashboard {
  return tenantscaleDashboard('tenantscale-overview', 'tenantscale / Platform overview')
    .withPanel(single('Tenants awake', { x: 0, y: 0, w: 6, h: 4 }, 'none', { expr: `count(${R.ready} > 0) or vector(0)` }))
    .withPanel(single('Tenants asleep', { x: 6, y: 0, w: 6, h: 4 }, 'none', { expr: `count(${R.desired} == 0) or vector(0)` }))
    .withPanel(single('Waking now', { x: 12, y: 0, w: 6, h: 4 }, 'none', { expr: `count(${R.waking}) or vector(0)` }))
    .withPanel(single('Nodes', { x: 18, y: 0, w: 6, h: 4 }, 'none', { expr: 'count(kube_node_info)' }))
    .withPanel(
      timeSeries('Nodes per pool', { x: 0, y: 4, w: 12, h: 8 }, 'none', [
        { expr: 'count by (label_doks_digitalocean_com_node_pool) (kube_node_labels)', legend: '{{label_doks_digitalocean_com_node_pool}}' },
      ]),
    )
    .withPanel(
      timeSeries('Wakes per minute', { x: 12, y: 4, w: 12, h: 8 }, 'none', [
        { expr: `count(count by (namespace) (${R.wakePodCreated} > time() - 60)) or vector(0)`, legend: 'wakes started' },
      ]),
    )
    .withPanel(
      timeSeries('Tenant pods by phase', { x: 0, y: 12, w: 12, h: 8 }, 'none', [
        { expr: `sum by (phase) (kube_pod_status_phase{${t}})`, legend: '{{phase}}' },
      ]),
    )
    .withPanel(
      timeSeries('Edge requests per second', { x: 12, y: 12, w: 12, h: 8 }, 'reqps', [
        {
          expr: `sum by (envoy_response_code) (rate(envoy_vhost_route_upstream_rq{envoy_response_code!="", ${envoyTenantRouteMatcher()}}[5m]))`,
          legend: '{{envoy_response_code}}',
        },
      ]),
    )
    .withPanel(
      tableOf('Slowest wakes (p95 over a day)', { x: 0, y: 20, w: 12, h: 8 }, { expr: `topk(10, ${R.wakeP95})` }),
    )
    .withPanel(
      tableOf('Firing tenantscale alerts', { x: 12, y: 20, w: 12, h: 8 }, {
        expr: `ALERTS{alertstate="firing", alertname=~"${ALERTS.join('|')}"}`,
      }),
    )
    // Running cost (monitoring/cost-rules.ts): recorded from the simulator's price table.
    .withPanel(single('Running cost per hour', { x: 0, y: 28, w: 6, h: 4 }, 'currencyUSD', { expr: C.total }))
    .withPanel(
      single('Per month at this rate', { x: 0, y: 32, w: 6, h: 4 }, 'currencyUSD', {
        expr: `${C.total} * ${DEFAULT_PRICES.billedHoursCap}`,
      }),
    )
    .withPanel(
      timeSeries('Running cost per hour', { x: 6, y: 28, w: 12, h: 12 }, 'currencyUSD', [
        { expr: C.total, legend: 'total' },
        { expr: C.nodePoolCost, legend: 'pool {{node_pool}} ({{instance_type}})' },
        { expr: C.fixedCost, legend: '{{item}}' },
      ]),
    )
    .withPanel(single('Unpriced nodes (not counted)', { x: 0, y: 36, w: 6, h: 4 }, 'none', { expr: C.unpricedNodes }))
    .withPanel(note('About the cost', { x: 18, y: 28, w: 6, h: 12 }, costNote()))
    .build();
}

/** What the running-cost estimate counts and leaves out (Markdown). */
function costNote(): string {
  return (
    `List prices of ${DEFAULT_PRICES.date} (simulate/prices.ts, the simulator's table): each node at its Droplet ` +
    `size's hourly rate (monthly / ${DEFAULT_PRICES.billedHoursCap} h; GPU Droplets at their published hourly rate), plus the Gateway's load balancer and the HA control plane ` +
    'when the stack has them. Not counted: discounts and credits, bandwidth and egress, volumes, snapshots, backups, ' +
    `the registry. Per month: ${DEFAULT_PRICES.billedHoursCap} h, the most DigitalOcean bills a month.`
  );
}

/** Tenant detail: pick a tenant namespace; requests, concurrency, replicas, wake latency, CPU and memory against requests and the VPA recommendation. */
export function tenantDashboard(): dashboard.Dashboard {
  const ns = 'namespace="$namespace"';
  const route = `${TENANT_SERIES.interceptorNamespaceLabel}="$namespace"`;
  return tenantscaleDashboard('tenantscale-tenant', 'tenantscale / Tenant')
    .withVariable(
      new dashboard.QueryVariableBuilder('namespace')
        .label('Tenant')
        .datasource(DATASOURCE)
        .query({ query: `label_values(${R.desired}, namespace)`, refId: 'tenants' })
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc),
    )
    .withPanel(
      timeSeries('Requests per second (interceptor)', { x: 0, y: 0, w: 12, h: 8 }, 'reqps', [
        { expr: `sum by (code) (rate(interceptor_request_count_total{${route}}[5m]))`, legend: '{{code}}' },
      ]),
    )
    .withPanel(
      timeSeries('Requests in flight (interceptor)', { x: 12, y: 0, w: 12, h: 8 }, 'none', [
        { expr: `sum(interceptor_request_concurrency{${route}})`, legend: 'in flight' },
      ]),
    )
    .withPanel(
      timeSeries('Replicas', { x: 0, y: 8, w: 12, h: 8 }, 'none', [
        { expr: `${R.desired}{${ns}}`, legend: 'desired' },
        { expr: `${R.ready}{${ns}}`, legend: 'ready' },
      ]),
    )
    .withPanel(
      timeSeries('Wake latency', { x: 12, y: 8, w: 12, h: 8 }, 's', [
        { expr: `${R.wakeP95}{${ns}}`, legend: 'p95 pod start, 1 day' },
        { expr: `${R.wakeRequestP95}{${ns}}`, legend: 'p95 edge request during a wake, 5 min' },
        { expr: `${R.budget}{${ns}}`, legend: 'cold-start budget' },
      ]),
    )
    .withPanel(
      timeSeries('Wake split (p95 over a day)', { x: 0, y: 16, w: 24, h: 6 }, 's', [
        { expr: `${R.wakeNodeWaitP95}{${ns}}`, legend: 'waiting for a node (created to scheduled)' },
        { expr: `${R.wakeStartP95}{${ns}}`, legend: 'image pull and start (scheduled to Ready)' },
      ]),
    )
    .withPanel(
      timeSeries('CPU (cores)', { x: 0, y: 22, w: 12, h: 8 }, 'none', [
        { expr: `sum(rate(container_cpu_usage_seconds_total{${ns}, container!=""}[5m]))`, legend: 'used' },
        { expr: `sum(kube_pod_container_resource_requests{${ns}, resource="cpu"})`, legend: 'requested' },
        { expr: `sum(tenantscale_vpa_target_cpu_cores{${ns}})`, legend: 'VPA recommendation' },
      ]),
    )
    .withPanel(
      timeSeries('Memory', { x: 12, y: 22, w: 12, h: 8 }, 'bytes', [
        { expr: `sum(container_memory_working_set_bytes{${ns}, container!=""})`, legend: 'working set' },
        { expr: `sum(kube_pod_container_resource_requests{${ns}, resource="memory"})`, legend: 'requested' },
        { expr: `sum(kube_pod_container_resource_limits{${ns}, resource="memory"})`, legend: 'limit' },
        { expr: `sum(tenantscale_vpa_target_memory_bytes{${ns}})`, legend: 'VPA recommendation' },
      ]),
    )
    .build();
}

/** The autoscalers: HPA desired vs current, KEDA metrics and errors, the interceptor and scaler, cluster size. */
export function autoscalersDashboard(): dashboard.Dashboard {
  const keda = tenantMatcher(TENANT_SERIES.kedaNamespaceLabel);
  return tenantscaleDashboard('tenantscale-autoscalers', 'tenantscale / Autoscalers')
    .withPanel(
      timeSeries('HPA desired vs current (tenants)', { x: 0, y: 0, w: 12, h: 8 }, 'none', [
        { expr: `sum(kube_horizontalpodautoscaler_status_desired_replicas{${t}})`, legend: 'desired' },
        { expr: `sum(kube_horizontalpodautoscaler_status_current_replicas{${t}})`, legend: 'current' },
      ]),
    )
    .withPanel(
      timeSeries('KEDA scaler metric values (top 10)', { x: 12, y: 0, w: 12, h: 8 }, 'none', [
        {
          expr: `topk(10, sum by (exported_namespace, scaledObject) (keda_scaler_metrics_value{${keda}}))`,
          legend: '{{exported_namespace}}/{{scaledObject}}',
        },
      ]),
    )
    .withPanel(
      timeSeries('KEDA scaler errors per second', { x: 0, y: 8, w: 12, h: 8 }, 'none', [
        {
          expr: `sum by (exported_namespace, scaledObject) (rate(keda_scaled_object_errors_total{${keda}}[5m]))`,
          legend: '{{exported_namespace}}/{{scaledObject}}',
        },
      ]),
    )
    .withPanel(
      timeSeries('Active scalers', { x: 12, y: 8, w: 12, h: 8 }, 'none', [
        { expr: `sum(keda_scaler_active{${keda}})`, legend: 'active' },
      ]),
    )
    .withPanel(
      timeSeries('HTTP add-on scaler: interceptor pods unreachable', { x: 0, y: 16, w: 12, h: 8 }, 'none', [
        { expr: 'max(scaler_pinger_unreachable_pods)', legend: 'unreachable' },
        { expr: 'max(scaler_pinger_endpoints)', legend: 'polled' },
      ]),
    )
    .withPanel(
      timeSeries('Cluster size', { x: 12, y: 16, w: 12, h: 8 }, 'none', [
        { expr: 'count(kube_node_info)', legend: 'nodes' },
        { expr: `sum(kube_pod_status_phase{phase="Pending", ${t}})`, legend: 'tenant pods Pending' },
      ]),
    )
    .build();
}

/** Every dashboard, by file name. */
export function allDashboards(): Record<DashboardName, dashboard.Dashboard> {
  return {
    'tenantscale-overview': overviewDashboard(),
    'tenantscale-tenant': tenantDashboard(),
    'tenantscale-autoscalers': autoscalersDashboard(),
  };
}
