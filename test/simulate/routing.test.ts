/** simulate/routing.ts: both routing modes on one tenant (traffic from traffic.ts, KEDA from keda.ts). */
import { streamFor } from '../../simulate/prng';
import { directSignalLagSeconds, RoutingModel, simulateRouting, warmAddedLatency } from '../../simulate/routing';

const MODEL: RoutingModel = { scrapeSeconds: 30, pollingSeconds: 30, rateWindowSeconds: 60, healthCheckSeconds: 2, wakeSeconds: 12, hopMs: { p50: 1, p95: 4 } };
/** One conversation of an hour, 30 requests a minute, inside a two-hour horizon. */
const busy = (cooldownSeconds: number) => ({ conversations: { starts: Float64Array.of(600), ends: Float64Array.of(4200) }, requestsPerMinute: 30, cooldownSeconds });

test('the Prometheus signal lags by two scrapes and a poll', () => {
  expect(directSignalLagSeconds(MODEL)).toBe(90);
});

test('direct-when-warm: a busy tenant is never scaled to zero while requests flow, and wakes once', () => {
  const r = simulateRouting(busy(300), 'direct-when-warm', MODEL, 7200, streamFor(1, 'busy'));
  expect(r.requests).toBeGreaterThan(1600);
  expect(r.zeroWhileBusy).toBe(0);
  expect(r.wakes).toBe(1);
  // Only the requests of the wake and of the health-check window pass the interceptor.
  expect(r.throughInterceptor).toBeLessThan(20);
  expect(r.throughInterceptor).toBeGreaterThan(0);
});

test('direct-when-warm with a cooldown within the Prometheus lag: a trickle of requests is scaled to zero mid-conversation (why validation refuses it); 300 s is not', () => {
  const trickle = (cooldownSeconds: number) => ({ ...busy(cooldownSeconds), requestsPerMinute: 1 });
  expect(simulateRouting(trickle(30), 'direct-when-warm', MODEL, 7200, streamFor(1, 'trickle')).zeroWhileBusy).toBeGreaterThan(0);
  expect(simulateRouting(trickle(300), 'direct-when-warm', MODEL, 7200, streamFor(1, 'trickle')).zeroWhileBusy).toBe(0);
});

test('interceptor: every request passes the interceptor, warm ones pay the hop; direct mode removes it', () => {
  const i = simulateRouting(busy(300), 'interceptor', MODEL, 7200, streamFor(1, 'busy'));
  const d = simulateRouting(busy(300), 'direct-when-warm', MODEL, 7200, streamFor(1, 'busy'));
  expect(i.requests).toBe(d.requests);
  expect(i.throughInterceptor).toBe(i.requests);
  expect(i.zeroWhileBusy).toBe(0);
  expect(warmAddedLatency(i, MODEL.hopMs)).toEqual({ p50: 1, p95: 4 });
  expect(warmAddedLatency(d, MODEL.hopMs)).toEqual({ p50: 0, p95: 0 });
});

test('warm added latency of a mixture: the hop shows at p95 once more than 5 % of warm requests pay it', () => {
  expect(warmAddedLatency({ warmRequests: 100, warmThroughInterceptor: 4 }, MODEL.hopMs)).toEqual({ p50: 0, p95: 0 });
  expect(warmAddedLatency({ warmRequests: 100, warmThroughInterceptor: 10 }, MODEL.hopMs)).toEqual({ p50: 0, p95: 1 });
  expect(warmAddedLatency({ warmRequests: 0, warmThroughInterceptor: 0 }, MODEL.hopMs)).toEqual({ p50: 0, p95: 0 });
});
