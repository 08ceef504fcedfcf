import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as text from '@grafana/grafana-foundation-sdk/text';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** The Prometheus data source every panel reads, chosen by the `datasource` variable. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** One query of a panel: PromQL and its legend. */
export interface PanelQuery {
  readonly expr: string;
  readonly legend?: string;
}

/** Where a panel sits on Grafana's 24-column grid. */
export interface Place {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const targets = (queries: readonly PanelQuery[], instant = false) =>
  queries.map((q, i) => {
    const b = new DataqueryBuilder().expr(q.expr).refId(String.fromCharCode(65 + i)).datasource(DATASOURCE);
    if (q.legend) b.legendFormat(q.legend);
    if (instant) b.instant();
    return b;
  });

/** A time series panel. */
export function timeSeries(title: string, place: Place, unit: string, queries: readonly PanelQuery[]): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder().title(title).gridPos(place).unit(unit).datasource(DATASOURCE).targets(targets(queries));
}

/** A single-number panel. */
export function single(title: string, place: Place, unit: string, query: PanelQuery): stat.PanelBuilder {
  return new stat.PanelBuilder().title(title).gridPos(place).unit(unit).datasource(DATASOURCE).targets(targets([query]));
}

/** A table of an instant query. */
export function tableOf(title: string, place: Place, query: PanelQuery): table.PanelBuilder {
  return new table.PanelBuilder().title(title).gridPos(place).datasource(DATASOURCE).targets(targets([query], true));
}

/** A panel of Markdown text. */
export function note(title: string, place: Place, markdown: string): text.PanelBuilder {
  return new text.PanelBuilder().title(title).gridPos(place).mode(text.TextMode.Markdown).content(markdown);
}

/** The data source picker every dashboard starts with. */
export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');
}

/** A dashboard with tenantscale's defaults (tags, refresh, last 6 hours). */
export function tenantscaleDashboard(uid: string, title: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .tags(['tenantscale'])
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable());
}
