/**
 * KEDA and its HTTP add-on: the scaling metric a tenant reports, activation (0→1) and cooldown (1→0).
 *
 * Sources:
 * - KEDA's scale loop (kedacore/keda@v2.20.2 pkg/scaling/executor/scale_scaledobjects.go
 *   `RequestScale`): when any trigger is active and the target is at 0, KEDA sets the replicas to
 *   max(minReplicaCount, 1) itself; when no trigger has been active for `cooldownPeriod` seconds
 *   since the last active time and minReplicaCount is 0, it sets them to 0. Between 1 and N the HPA
 *   it created decides (see hpa.ts).
 * - The HTTP add-on (kedacore/http-add-on@v0.15.0): the interceptor counts requests per route and
 *   holds a request while the target has no ready endpoint; the external scaler reports the route
 *   active as soon as one request is pending, and reports either concurrency (requests in flight)
 *   or the request rate averaged over `window` in buckets of `granularity`
 *   (docs: keda.sh/http-add-on/0.15/reference/interceptorroute).
 * - The tenant's scaledownPeriod is the ScaledObject's cooldownPeriod (constructs/tenant.ts).
 */

/** Which metric a tenant scales on. */
export type ScalingMetric =
  | { readonly kind: 'requestRate'; readonly target: number; readonly windowSeconds: number; readonly granularitySeconds: number }
  | { readonly kind: 'concurrency'; readonly target: number };

/**
 * Requests per second over the window: the requests of the buckets inside the window, divided by the
 * window. `counts` are the request counts of the most recent buckets of `bucketSeconds` each, oldest
 * first. A window shorter than one bucket still counts the newest bucket.
 */
export function requestRate(counts: ArrayLike<number>, bucketSeconds: number, windowSeconds: number): number {
  const buckets = Math.max(1, Math.min(counts.length, Math.ceil(windowSeconds / bucketSeconds)));
  let sum = 0;
  for (let i = counts.length - buckets; i < counts.length; i++) sum += counts[i];
  return sum / windowSeconds;
}

/** Concurrency by Little's law: arrival rate × time in system (service time, plus any hold). */
export function concurrency(arrivalsPerSecond: number, secondsInSystem: number): number {
  return arrivalsPerSecond * secondsInSystem;
}

/** KEDA's decision for a ScaledObject this cycle. */
export type KedaDecision = { readonly action: 'activate' } | { readonly action: 'deactivate' } | { readonly action: 'hpa' } | { readonly action: 'idle' };

/**
 * What KEDA does with a target that has `replicas` now: activate from 0 on any pending request,
 * deactivate to 0 after the cooldown, or leave 1→N to the HPA.
 */
export function kedaDecide(input: {
  readonly replicas: number;
  readonly active: boolean;
  readonly now: number;
  readonly lastActive: number;
  readonly cooldownSeconds: number;
  readonly minReplicas: number;
}): KedaDecision {
  const { replicas, active, now, lastActive, cooldownSeconds, minReplicas } = input;
  if (replicas === 0) return active ? { action: 'activate' } : { action: 'idle' };
  if (minReplicas === 0 && !active && now - lastActive >= cooldownSeconds) return { action: 'deactivate' };
  return { action: 'hpa' };
}
