import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allDashboards } from '../../constructs/platform/dashboards/dashboards';
import { dashboardPicture } from '../../constructs/platform/dashboards/dashboard-picture';
import { monitoringManifests } from '../../constructs/platform/platform-manifests';

const boards = allDashboards();

describe('dashboards', () => {
  test('three dashboards with stable uids, a data source variable, and panels that do not overlap', () => {
    expect(Object.values(boards).map((b) => b.uid)).toEqual(['tenantscale-overview', 'tenantscale-tenant', 'tenantscale-autoscalers']);
    for (const b of Object.values(boards)) {
      expect(b.templating?.list?.[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
      const cells = new Set<string>();
      for (const p of b.panels as any[]) {
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
          for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
            expect(cells.has(`${x},${y}`)).toBe(false);
            cells.add(`${x},${y}`);
          }
      }
    }
  });

  test('the tenant dashboard picks a tenant namespace and reads the interceptor by route_namespace', () => {
    const t = boards['tenantscale-tenant'];
    expect(t.templating?.list?.map((v) => v.name)).toEqual(['datasource', 'namespace']);
    const exprs = (t.panels as any[]).flatMap((p) => p.targets.map((q: any) => q.expr));
    expect(exprs).toContain('sum by (code) (rate(interceptor_request_count_total{route_namespace="$namespace"}[5m]))');
    expect(exprs).toContain('tenantscale:tenant_cold_start_budget_seconds{namespace="$namespace"}');
  });

  test('each dashboard is a ConfigMap labelled for the Grafana sidecar, holding the definition as JSON', () => {
    const cms = (monitoringManifests() as any[]).filter((m) => m.kind === 'ConfigMap');
    expect(cms).toHaveLength(3);
    for (const cm of cms) {
      expect(cm.metadata.labels.grafana_dashboard).toBe('1');
      const [[file, json]] = Object.entries(cm.data) as [string, string][];
      expect(JSON.parse(json).uid).toBe(file.replace(/\.json$/, ''));
    }
  });

  test.each(Object.keys(boards))('docs/dashboards/%s.svg is what the definition draws (node scripts/dashboard-pictures.js)', (name) => {
    const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'dashboards', `${name}.svg`), 'utf8');
    expect(committed).toBe(dashboardPicture((boards as any)[name]));
  });
});
