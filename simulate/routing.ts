/**
 * The two routing modes of an HTTP tenant (docs/routing-modes.md), one tenant at a time, second by
 * second, on the traffic model of traffic.ts and KEDA's decision of keda.ts:
 *
 * - `interceptor`: every request passes the interceptor (one extra in-cluster proxy hop, warm or
 *   cold). The add-on's external-push trigger sees every request at once (it is pushed).
 * - `direct-when-warm`: Envoy sends to the tenant while its health check passes; requests reach
 *   the interceptor only while the tenant is at zero, waking, or in the health-check window after
 *   the first pod is ready. KEDA sees warm requests only through Prometheus: Envoy's counter is
 *   scraped every `scrapeSeconds`; rate() over the window sees an increase while the scrape
 *   that saw it and the one before it are both inside the window (window − scrape seconds after
 *   that scrape); KEDA reads it at its next poll (every `pollingSeconds`). A series seen for the
 *   first time needs one more scrape (`directSignalLagSeconds` is that worst case).
 *
 * What the model cannot know: the interceptor hop's latency. It is an input (`hopMs`), not a
 * measurement; no cluster here has measured it.
 */
import { kedaDecide } from './keda';
import { exponential, Random } from './prng';
import { Conversations } from './traffic';

export type RoutingMode = 'interceptor' | 'direct-when-warm';

export interface RoutingModel {
  /** Prometheus scrape interval (kube-prometheus-stack default 30 s). */
  readonly scrapeSeconds: number;
  /** KEDA polling interval (KEDA default 30 s). */
  readonly pollingSeconds: number;
  /** The rate() window of the Prometheus trigger. */
  readonly rateWindowSeconds: number;
  /** Health check interval × healthy threshold: how long after the first ready pod the direct priority takes over. */
  readonly healthCheckSeconds: number;
  /** Seconds from the first request at zero to a ready pod. */
  readonly wakeSeconds: number;
  /** The interceptor hop's added latency, p50 and p95, in ms (an assumption, see above). */
  readonly hopMs: { readonly p50: number; readonly p95: number };
}

export interface RoutingTenant {
  readonly conversations: Conversations;
  /** Requests per minute while in conversation. */
  readonly requestsPerMinute: number;
  /** The ScaledObject's cooldownPeriod (the tenant's scaledownPeriod). */
  readonly cooldownSeconds: number;
}

export interface RoutingResult {
  readonly requests: number;
  /** Requests that passed the interceptor. */
  readonly throughInterceptor: number;
  /** Warm requests (a pod was ready) that still paid the interceptor hop. */
  readonly warmThroughInterceptor: number;
  readonly warmRequests: number;
  /** Scale-downs to zero with a request in the last `rateWindowSeconds` (requests flowing). */
  readonly zeroWhileBusy: number;
  readonly wakes: number;
}

/**
 * Worst-case seconds from the first warm request to KEDA seeing the tenant active through the
 * Prometheus trigger: the counter lands at the next scrape, rate() needs a second sample one
 * scrape later, and KEDA reads it at its next poll.
 */
export function directSignalLagSeconds(m: Pick<RoutingModel, 'scrapeSeconds' | 'pollingSeconds'>): number {
  return 2 * m.scrapeSeconds + m.pollingSeconds;
}

/** Simulates one tenant in one mode over `horizon` seconds. Deterministic for a given `random`. */
export function simulateRouting(tenant: RoutingTenant, mode: RoutingMode, model: RoutingModel, horizon: number, random: Random): RoutingResult {
  const { starts, ends } = tenant.conversations;
  const rate = tenant.requestsPerMinute / 60;
  let replicas = 0;
  let readyAt = Infinity;
  let lastActive = -Infinity;
  /** Last second a request passed Envoy (the Prometheus trigger's view, before the lag). */
  let lastEdgeRequest = -Infinity;
  /** Last second a request passed the interceptor (external-push). */
  let lastInterceptorRequest = -Infinity;
  /** The last scrape that saw the counter increase. */
  let lastIncreaseScrape = -Infinity;
  let requests = 0;
  let through = 0;
  let warmThrough = 0;
  let warm = 0;
  let zeroWhileBusy = 0;
  let wakes = 0;
  let c = 0;
  let next = starts.length > 0 ? starts[0] + exponential(random, rate) : Infinity;
  for (let t = 0; t < horizon; t++) {
    // Requests of this second.
    while (next < t + 1) {
      while (c < starts.length && next >= ends[c]) {
        c++;
        next = c < starts.length ? starts[c] + exponential(random, rate) : Infinity;
      }
      if (next >= t + 1 || c >= starts.length) break;
      requests++;
      const ready = replicas > 0 && t >= readyAt;
      if (ready) warm++;
      const direct = mode === 'direct-when-warm' && ready && t >= readyAt + model.healthCheckSeconds;
      if (!direct) {
        through++;
        if (ready) warmThrough++;
        lastInterceptorRequest = t;
      }
      lastEdgeRequest = t;
      if (replicas === 0) {
        replicas = 1;
        readyAt = t + model.wakeSeconds;
        wakes++;
      }
      next += exponential(random, rate);
    }
    if (t % model.scrapeSeconds === 0 && t - lastEdgeRequest < model.scrapeSeconds) lastIncreaseScrape = t;
    if (t % model.pollingSeconds !== 0) continue;
    // What KEDA sees at this poll: external-push is pushed at once (interceptor requests pending or
    // in the last poll interval), the Prometheus trigger as described above.
    const pushActive = t - lastInterceptorRequest < model.pollingSeconds;
    const promActive = mode === 'direct-when-warm' && t - lastIncreaseScrape < Math.max(model.scrapeSeconds, model.rateWindowSeconds - model.scrapeSeconds);
    const active = pushActive || promActive;
    if (active) lastActive = t;
    const decision = kedaDecide({ replicas, active, now: t, lastActive, cooldownSeconds: tenant.cooldownSeconds, minReplicas: 0 });
    if (decision.action === 'deactivate') {
      if (t - lastEdgeRequest < model.rateWindowSeconds) zeroWhileBusy++;
      replicas = 0;
      readyAt = Infinity;
    }
  }
  return { requests, throughInterceptor: through, warmThroughInterceptor: warmThrough, warmRequests: warm, zeroWhileBusy, wakes };
}

/**
 * The added latency of warm requests, p50 and p95 (ms). A warm request pays the hop with
 * probability s = warmThroughInterceptor / warmRequests, so the q-quantile of the mixture is 0
 * for q ≤ 1 − s, else the hop's quantile at (q − (1 − s)) / s, taken as the hop's p50 up to 0.5
 * and its p95 above (an upper bound: only two quantiles of the hop are known).
 */
export function warmAddedLatency(result: Pick<RoutingResult, 'warmRequests' | 'warmThroughInterceptor'>, hopMs: RoutingModel['hopMs']): { p50: number; p95: number } {
  const s = result.warmRequests === 0 ? 0 : result.warmThroughInterceptor / result.warmRequests;
  const at = (q: number) => {
    if (q <= 1 - s) return 0;
    return (q - (1 - s)) / s <= 0.5 ? hopMs.p50 : hopMs.p95;
  };
  return { p50: at(0.5), p95: at(0.95) };
}
