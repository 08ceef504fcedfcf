/**
 * A wake: the first request after sleep is held by the interceptor until a pod is ready. Its latency
 * is the sum of the steps the pod goes through (each computed where it happens in engine.ts):
 *   KEDA activation → [cluster autoscaler scan + node provisioning, when no node has room]
 *   → image pull (image size ÷ bandwidth, unless the node already has the image) → container start
 *   → the readiness probe's first success (one probe period).
 */

/** Seconds to pull an image of `sizeMB` at `mbps`. */
export function pullSeconds(sizeMB: number, mbps: number): number {
  return sizeMB / mbps;
}

/**
 * When a pod bound to a node at `boundAt` becomes ready. `imageReadyAt` is when the node has the
 * image (undefined: not cached, the pod pulls it).
 */
export function podReadyAt(input: {
  readonly boundAt: number;
  readonly imageReadyAt: number | undefined;
  readonly pullSeconds: number;
  readonly containerStartSeconds: number;
  readonly readinessPeriodSeconds: number;
}): { readyAt: number; imageReadyAt: number } {
  const imageReadyAt = input.imageReadyAt === undefined ? input.boundAt + input.pullSeconds : Math.max(input.boundAt, input.imageReadyAt);
  return { readyAt: imageReadyAt + input.containerStartSeconds + input.readinessPeriodSeconds, imageReadyAt };
}

/** The wake latency a held request sees, and whether it is over the tenant's budget and route timeout. */
export function classifyWake(latency: number, budget: number, routeTimeout: number, serviceSeconds: number): { overBudget: boolean; overRouteTimeout: boolean } {
  return { overBudget: latency > budget, overRouteTimeout: latency + serviceSeconds > routeTimeout };
}

/** The q-quantile (0..1) of sorted values, nearest-rank; 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}
