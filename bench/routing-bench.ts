/**
 * `npm run bench:routing`: the two routing modes from the simulator (simulate/routing.ts) on the
 * example list and on 1,000 generated tenants: requests per day through the interceptor, and the
 * warm requests' added latency p50/p95. Traffic: the `assistant` profile at the lessons' 10 %
 * active fraction. The interceptor hop's latency is an input (--hop-p50/--hop-p95 ms), not a
 * measurement. Wake: the profile's KEDA activation + container start + image pull at its default
 * size (no node provisioning: a warm node).
 */
import { resolve } from 'node:path';
import { builtinProfile, trafficFor, withActiveFraction } from '../simulate/profile';
import { streamFor } from '../simulate/prng';
import { RoutingMode, RoutingModel, simulateRouting, warmAddedLatency } from '../simulate/routing';
import { drawConversations } from '../simulate/traffic';
import { pullSeconds } from '../simulate/wake';
import { loadTenants } from '../tenants/validate';
import { PROMETHEUS_SCRAPE_SECONDS, KEDA_POLLING_SECONDS } from '../tenants/rules/routing';
import type { TenantSpec } from '../tenants/schema';

const ROOT = resolve(__dirname, '..', '..');
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);

const profile = withActiveFraction(builtinProfile('assistant'), 0.1);
const w = profile.wake;
const MODEL: RoutingModel = {
  scrapeSeconds: PROMETHEUS_SCRAPE_SECONDS,
  pollingSeconds: KEDA_POLLING_SECONDS,
  rateWindowSeconds: 60,
  healthCheckSeconds: 2,
  wakeSeconds: Math.round(w.kedaActivationSeconds + w.containerStartSeconds + pullSeconds(w.defaultImageSizeMB, w.imagePullMBps)),
  hopMs: { p50: Number(arg('--hop-p50', '1')), p95: Number(arg('--hop-p95', '5')) },
};

interface Row { requestsPerDay: number; throughPerDay: number; p50: number; p95: number; zeroWhileBusy: number }

function run(tenants: readonly { name: string; labels: Record<string, string>; cooldown: number }[], mode: RoutingMode, days: number): Row {
  const horizon = days * 86400;
  let requests = 0, through = 0, warm = 0, warmThrough = 0, zero = 0;
  for (const t of tenants) {
    const traffic = trafficFor(profile, t.name, t.labels);
    const conversations = drawConversations(traffic, horizon, streamFor(profile.seed, `conv:${t.name}`));
    const r = simulateRouting({ conversations, requestsPerMinute: traffic.requestsPerMinute, cooldownSeconds: t.cooldown }, mode, MODEL, horizon, streamFor(profile.seed, `req:${t.name}`));
    requests += r.requests; through += r.throughInterceptor; warm += r.warmRequests; warmThrough += r.warmThroughInterceptor; zero += r.zeroWhileBusy;
  }
  const lat = warmAddedLatency({ warmRequests: warm, warmThroughInterceptor: warmThrough }, MODEL.hopMs);
  return { requestsPerDay: requests / days, throughPerDay: through / days, p50: lat.p50, p95: lat.p95, zeroWhileBusy: zero };
}

const http = (specs: readonly TenantSpec[]) => specs.filter((s) => s.hosts.length > 0 && s.scaling.min === 0 && !s.stateful).map((s) => ({ name: s.name, labels: s.labels, cooldown: s.scaling.scaledownPeriod }));
const example = http(loadTenants(resolve(ROOT, 'tenants/tenants.yaml')));
const generated = Array.from({ length: 1000 }, (_, i) => ({ name: `t${i}`, labels: {}, cooldown: 600 }));

console.log(`model: ${JSON.stringify(MODEL)}; profile: ${profile.name}`);
console.log('| tenants | days | mode | requests/day | through the interceptor/day | warm added latency p50 / p95 (ms) | scaled to zero while busy |');
console.log('|---|---:|---|---:|---:|---:|---:|');
for (const [label, list, days] of [[`example list (${example.length} HTTP 0..N)`, example, 7], ['1,000 generated', generated, 1]] as const) {
  for (const mode of ['interceptor', 'direct-when-warm'] as const) {
    const r = run(list, mode, days);
    console.log(`| ${label} | ${days} | ${mode} | ${Math.round(r.requestsPerDay).toLocaleString('en-US')} | ${Math.round(r.throughPerDay).toLocaleString('en-US')} | ${r.p50} / ${r.p95} | ${r.zeroWhileBusy} |`);
  }
}
