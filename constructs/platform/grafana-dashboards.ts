import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_PLATFORM_SETTINGS, LABELS, MANAGER, PlatformSettings } from '../platform-settings';
import { allDashboards } from './dashboards/dashboards';

/**
 * The label the Grafana dashboard sidecar watches: kube-prometheus-stack passes
 * `grafana.sidecar.dashboards.label`/`labelValue` (set in kube-prometheus-stack.ts, with
 * searchNamespace ALL) to the grafana chart's sidecar, which loads every ConfigMap carrying it.
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
            labels: { [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value, [LABELS.partOf]: MANAGER, [LABELS.managedBy]: MANAGER },
          },
          data: { [`${name}.json`]: JSON.stringify(board, null, 2) },
        }),
    );
  }
}
