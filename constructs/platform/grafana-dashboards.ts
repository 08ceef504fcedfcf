import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_PLATFORM_SETTINGS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { allDashboards } from './dashboards/dashboards';

/**
 * The label the Grafana dashboard sidecar watches: kube-prometheus-stack's defaults
 * (prometheus-community/helm-charts@kube-prometheus-stack-88.5.3
 * charts/kube-prometheus-stack/values.yaml:1536-1542: `grafana.sidecar.dashboards` label
 * `grafana_dashboard`, labelValue "1", searchNamespace ALL), set explicitly in
 * kube-prometheus-stack.ts. The sidecar loads every ConfigMap carrying it, as it does the chart's own dashboards.
 */
export const DASHBOARD_LABEL = { key: 'grafana_dashboard', value: '1' } as const;

export interface GrafanaDashboardsProps {
  /**
   * Monitoring namespace (where the ConfigMaps live).
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
}

/** One ConfigMap per dashboard (constructs/platform/dashboards/), provisioned by Grafana's sidecar. */
export class GrafanaDashboards extends Construct {
  public readonly configMaps: ApiObject[];

  constructor(scope: Construct, id: string, props: GrafanaDashboardsProps = {}) {
    super(scope, id);
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    this.configMaps = Object.entries(allDashboards()).map(
      ([name, board]) =>
        new ApiObject(this, name, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: `${name}-dashboard`,
            namespace: settings.monitoringNamespace,
            labels: { [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value, ...PLATFORM_LABELS },
          },
          data: { [`${name}.json`]: JSON.stringify(board, null, 2) },
        }),
    );
  }
}
