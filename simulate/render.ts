/**
 * The report in three forms: human (a compact terminal chart), Markdown (tables and a mermaid
 * xychart-beta timeline, which GitHub renders) and JSON (stable keys, for pipelines). Pure.
 */
import { boundedList } from '../tenants/problem';
import type { SimulationReport, WakeStats } from './simulation';

const BARS = '▁▂▃▄▅▆▇█';

function usd(x: number): string {
  return `$${x.toFixed(2)}`;
}

/** One line of block characters, one per value, scaled to the largest. */
export function sparkline(values: readonly number[], max = Math.max(0, ...values)): string {
  return values.map((v) => (max <= 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))])).join('');
}

function wakeLine(w: WakeStats): string {
  return `${w.perDay}/day · p50 ${w.p50Seconds} s · p95 ${w.p95Seconds} s · max ${w.maxSeconds} s · ${w.overBudget} over budget · ${w.overRouteTimeout} over route timeout · ${w.neededNode} needed a new node`;
}

/** The timeline of the first simulated day (24 hourly points), or all hours when asked. */
function firstDay<T>(timeline: readonly T[]): readonly T[] {
  return timeline.slice(0, 24);
}

export function renderHuman(r: SimulationReport): string {
  const out: string[] = [];
  out.push(`tenantscale simulate: ${r.tenants} tenants, stack ${r.stack}, profile ${r.profile}, ${r.days} day${r.days === 1 ? '' : 's'}, seed ${r.seed}`);
  out.push(`  prices of ${r.prices.date} (${r.prices.source})`);
  out.push('');
  out.push('Monthly cost                         total      nodes  load bal.  control plane');
  const row = (label: string, c: SimulationReport['monthlyCost'], extra = '') =>
    out.push(`  ${label.padEnd(33)}${usd(c.total).padStart(9)}${usd(c.nodes).padStart(11)}${usd(c.loadBalancer).padStart(11)}${usd(c.controlPlane).padStart(15)}${extra}`);
  row('always on (max(min,1) each)', r.baselines.alwaysOn.monthlyCost, `   ${r.baselines.alwaysOn.nodes} nodes`);
  row('scale to zero, fixed nodes', r.baselines.scaleToZeroFixedNodes.monthlyCost, `   ${r.baselines.scaleToZeroFixedNodes.nodes} nodes`);
  row('scale to zero + autoscaler', r.monthlyCost, `   ${r.nodes.min}-${r.nodes.peak} nodes`);
  out.push('');
  out.push(`Nodes: min ${r.nodes.min}, avg ${r.nodes.avg}, peak ${r.nodes.peak}`);
  for (const p of r.pools) out.push(`  pool ${p.name} (${p.size}): min ${p.min}, avg ${p.avg}, peak ${p.peak}, ${usd(p.monthlyCost)}/month`);
  out.push(`Wakes: ${wakeLine(r.wakes)}`);
  out.push(`  with fixed nodes: ${wakeLine(r.baselines.scaleToZeroFixedNodes.wakes)}`);
  const day = firstDay(r.timeline);
  const maxNodes = Math.max(1, ...day.map((h) => h.nodes));
  const maxPods = Math.max(1, ...day.map((h) => h.pods));
  out.push('');
  out.push('Day 1, hour by hour (00 → 23)');
  out.push(`  nodes ${sparkline(day.map((h) => h.nodes), maxNodes)}  peak ${maxNodes}`);
  out.push(`  pods  ${sparkline(day.map((h) => h.pods), maxPods)}  peak ${maxPods}`);
  const top = [...r.perTenant].sort((a, b) => b.monthlyCost - a.monthlyCost || a.name.localeCompare(b.name)).slice(0, 10);
  out.push('');
  out.push(`Tenants (top ${top.length} by cost of ${r.perTenant.length}; ${usd(r.sharedNodeMonthlyCost)} of node cost is shared: platform, reservations, idle room)`);
  out.push(`  ${''.padEnd(36)} $/month  wakes/day   p50    p95    max`);
  for (const t of top) {
    out.push(`  ${t.name.padEnd(36).slice(0, 36)}${usd(t.monthlyCost).padStart(8)}${String(t.wakesPerDay).padStart(10)}${String(t.wakeLatency.p50).padStart(6)}${String(t.wakeLatency.p95).padStart(7)}${String(t.wakeLatency.max).padStart(7)}`);
  }
  if (r.unschedulable.length > 0) out.push('', `✗ no node of any pool fits the pod of: ${boundedList(r.unschedulable)} (its requests exceed allocatable; their wakes never complete)`);
  return `${out.join('\n')}\n`;
}

/** A mermaid xychart-beta of nodes and running pods per hour. */
export function mermaidTimeline(r: SimulationReport, hours = Math.min(r.timeline.length, 24 * 7)): string {
  const points = r.timeline.slice(0, hours);
  const top = Math.max(1, ...points.map((p) => Math.max(p.nodes, p.pods)));
  return [
    '```mermaid',
    'xychart-beta',
    `    title "Nodes (bars) and running tenant pods (line), hour by hour"`,
    `    x-axis "hour" [${points.map((p) => p.hour).join(', ')}]`,
    `    y-axis "count" 0 --> ${Math.ceil(top)}`,
    `    bar [${points.map((p) => p.nodes).join(', ')}]`,
    `    line [${points.map((p) => p.pods).join(', ')}]`,
    '```',
  ].join('\n');
}

export function renderMarkdown(r: SimulationReport): string {
  const out: string[] = [];
  out.push(`### tenantscale simulate: ${r.tenants} tenants, ${r.days} day${r.days === 1 ? '' : 's'}`, '');
  out.push(`Stack \`${r.stack}\`, profile \`${r.profile}\`, seed ${r.seed}. Prices of ${r.prices.date}: ${r.prices.source}.`, '');
  out.push('| Configuration | Nodes | Monthly total | Nodes | Load balancer | Control plane |', '|---|---|---:|---:|---:|---:|');
  const row = (label: string, nodes: string, c: SimulationReport['monthlyCost']) => out.push(`| ${label} | ${nodes} | **${usd(c.total)}** | ${usd(c.nodes)} | ${usd(c.loadBalancer)} | ${usd(c.controlPlane)} |`);
  row('Always on (every tenant at max(min, 1))', String(r.baselines.alwaysOn.nodes), r.baselines.alwaysOn.monthlyCost);
  row('Scale to zero, fixed node count', String(r.baselines.scaleToZeroFixedNodes.nodes), r.baselines.scaleToZeroFixedNodes.monthlyCost);
  row('Scale to zero + cluster autoscaler', `${r.nodes.min}–${r.nodes.peak} (avg ${r.nodes.avg})`, r.monthlyCost);
  out.push('');
  out.push(`**Wakes** (autoscaled): ${wakeLine(r.wakes)}.`, '');
  out.push(mermaidTimeline(r), '');
  const top = [...r.perTenant].sort((a, b) => b.monthlyCost - a.monthlyCost || a.name.localeCompare(b.name)).slice(0, 20);
  out.push('| Tenant | $/month | Wakes/day | p50 s | p95 s | max s | Over budget |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const t of top) out.push(`| \`${t.name}\` | ${usd(t.monthlyCost)} | ${t.wakesPerDay} | ${t.wakeLatency.p50} | ${t.wakeLatency.p95} | ${t.wakeLatency.max} | ${t.wakesOverBudget} |`);
  if (r.perTenant.length > top.length) out.push(`| … ${r.perTenant.length - top.length} more | | | | | | |`);
  out.push('', `Per-tenant cost is the tenant's dominant share of its nodes (the largest of its CPU, memory and GPU requests over the node's allocatable); ${usd(r.sharedNodeMonthlyCost)} of the node cost is shared (platform pods, DaemonSets, idle room).`);
  if (r.unschedulable.length > 0) out.push('', `> [!WARNING]`, `> No node fits the pod of: ${boundedList(r.unschedulable.map((n) => `\`${n}\``))}.`);
  return `${out.join('\n')}\n`;
}

export function renderJson(r: SimulationReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
