/**
 * The Horizontal Pod Autoscaler's algorithm, as the kube-controller-manager runs it for the HPA that
 * KEDA creates for every ScaledObject (1→N; KEDA itself does 0↔1).
 *
 * Sources (read at kubernetes/kubernetes, release-1.33 line; function names are stable across 1.3x):
 * - pkg/controller/podautoscaler/replica_calculator.go `GetExternalPerPodMetricReplicas`: an external
 *   metric with an AverageValue target (what KEDA's HPA uses) gives
 *   usageRatio = usage / (target × statusReplicas); when |1 − usageRatio| > tolerance (0.1, flag
 *   --horizontal-pod-autoscaler-tolerance) the proposal is ceil(usage / target), else the current count.
 * - pkg/controller/podautoscaler/horizontal.go `stabilizeRecommendationWithBehaviors`: the
 *   recommendation is held between the minimum of the recommendations inside the scale-up
 *   stabilization window and the maximum of those inside the scale-down window.
 * - horizontal.go `convertDesiredReplicasWithBehaviorRate`, `calculateScaleUpLimitWithScalingRules`,
 *   `calculateScaleDownLimitWithBehaviors`, `getReplicasChangePerPeriod`: each policy limits the
 *   change relative to the replica count at the start of its period; selectPolicy Max (default)
 *   takes the policy allowing the largest change, Min the smallest, Disabled none; then min/max.
 * - pkg/apis/autoscaling/v2/defaults.go: default behavior — scale up: window 0 s, Max of
 *   {4 Pods, 100 Percent} per 15 s; scale down: window 300 s (--horizontal-pod-autoscaler-downscale-
 *   stabilization), 100 Percent per 15 s. Sync period 15 s (--horizontal-pod-autoscaler-sync-period).
 * - Docs: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/ ("Algorithm
 *   details", "Configurable scaling behavior").
 */

export const HPA_SYNC_SECONDS = 15;
export const HPA_TOLERANCE = 0.1;

export interface ScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly ScalingPolicy[];
}

export interface HpaBehavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** The Kubernetes defaults (pkg/apis/autoscaling/v2/defaults.go). */
export const DEFAULT_BEHAVIOR: HpaBehavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};

/**
 * Replicas proposed for an external metric with an AverageValue target. `usage` is the metric's
 * total (e.g. requests per second over all pods), `statusReplicas` the pods that exist.
 * Quantities are compared in milli-units, as the controller does (MilliValue()).
 */
export function externalPerPodReplicas(usage: number, target: number, statusReplicas: number, tolerance = HPA_TOLERANCE): number {
  // Quantities are integers of milli-units: round away float noise (0.2 × 3) before ceil.
  const usageMilli = Math.ceil(Math.round(usage * 1e9) / 1e6);
  const targetMilli = Math.round(target * 1000);
  if (statusReplicas <= 0) return Math.ceil(usageMilli / targetMilli);
  const usageRatio = usageMilli / (targetMilli * statusReplicas);
  if (Math.abs(1 - usageRatio) <= tolerance) return statusReplicas;
  return Math.ceil(usageMilli / targetMilli);
}

/** A past recommendation or scale event, as the controller keeps them per HPA. */
export interface Timestamped {
  readonly at: number;
  readonly value: number;
}

/** Sum of replica changes of events strictly newer than `now - periodSeconds` (getReplicasChangePerPeriod). */
export function changeInPeriod(events: readonly Timestamped[], now: number, periodSeconds: number): number {
  const cutoff = now - periodSeconds;
  let sum = 0;
  for (const e of events) if (e.at > cutoff) sum += e.value;
  return sum;
}

/** The most replicas the scale-up rules allow now (calculateScaleUpLimitWithScalingRules). */
export function scaleUpLimit(current: number, ups: readonly Timestamped[], downs: readonly Timestamped[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies) {
    const periodStart = current - changeInPeriod(ups, now, p.periodSeconds) + changeInPeriod(downs, now, p.periodSeconds);
    const proposed = p.type === 'Pods' ? periodStart + p.value : Math.ceil(periodStart * (1 + p.value / 100));
    result = rules.selectPolicy === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** The fewest replicas the scale-down rules allow now (calculateScaleDownLimitWithBehaviors). */
export function scaleDownLimit(current: number, ups: readonly Timestamped[], downs: readonly Timestamped[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies) {
    const periodStart = current - changeInPeriod(ups, now, p.periodSeconds) + changeInPeriod(downs, now, p.periodSeconds);
    // int32(float64 × (1 − v/100)) truncates toward zero.
    const proposed = p.type === 'Pods' ? periodStart - p.value : Math.trunc(periodStart * (1 - p.value / 100));
    result = rules.selectPolicy === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/**
 * The stabilized recommendation (stabilizeRecommendationWithBehaviors): the current count, raised to
 * the smallest recommendation of the scale-up window and lowered to the largest of the scale-down
 * window. `history` holds earlier raw recommendations; the new one counts too.
 */
export function stabilize(current: number, desired: number, history: readonly Timestamped[], behavior: HpaBehavior, now: number): number {
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds;
  let up = desired;
  let down = desired;
  for (const r of history) {
    if (r.at > upCutoff) up = Math.min(up, r.value);
    if (r.at > downCutoff) down = Math.max(down, r.value);
  }
  let recommendation = current;
  if (recommendation < up) recommendation = up;
  if (recommendation > down) recommendation = down;
  return recommendation;
}

/** Rate limits and min/max (convertDesiredReplicasWithBehaviorRate). */
export function limitRate(
  current: number,
  desired: number,
  min: number,
  max: number,
  ups: readonly Timestamped[],
  downs: readonly Timestamped[],
  behavior: HpaBehavior,
  now: number,
): number {
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(current, ups, downs, behavior.scaleUp, now));
    return Math.min(desired, Math.min(max, limit));
  }
  if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(current, ups, downs, behavior.scaleDown, now));
    return Math.max(desired, Math.max(min, limit));
  }
  return desired;
}

/** What one HPA remembers between syncs. */
export interface HpaState {
  recommendations: Timestamped[];
  scaleUps: Timestamped[];
  scaleDowns: Timestamped[];
}

export function newHpaState(): HpaState {
  return { recommendations: [], scaleUps: [], scaleDowns: [] };
}

/**
 * One HPA sync: raw proposal → stabilization → rate limits and bounds. Records the recommendation
 * and the scale event in `state` and drops entries older than every window and period, as the
 * controller does. Returns the new replica count.
 */
export function hpaSync(
  state: HpaState,
  input: { readonly usage: number; readonly target: number; readonly current: number; readonly min: number; readonly max: number; readonly now: number },
  behavior: HpaBehavior = DEFAULT_BEHAVIOR,
): number {
  const { usage, target, current, min, max, now } = input;
  const raw = externalPerPodReplicas(usage, target, current);
  const stabilized = stabilize(current, raw, state.recommendations, behavior, now);
  const next = limitRate(current, stabilized, min, max, state.scaleUps, state.scaleDowns, behavior, now);
  state.recommendations.push({ at: now, value: raw });
  if (next > current) state.scaleUps.push({ at: now, value: next - current });
  if (next < current) state.scaleDowns.push({ at: now, value: current - next });
  prune(state, behavior, now);
  return next;
}

function longestPeriod(rules: ScalingRules): number {
  return rules.policies.reduce((m, p) => Math.max(m, p.periodSeconds), 0);
}

function prune(state: HpaState, behavior: HpaBehavior, now: number): void {
  const window = Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds);
  const keep = (list: Timestamped[], age: number) => {
    let drop = 0;
    while (drop < list.length && list[drop].at <= now - age) drop++;
    if (drop > 0) list.splice(0, drop);
  };
  keep(state.recommendations, window);
  keep(state.scaleUps, longestPeriod(behavior.scaleUp));
  keep(state.scaleDowns, longestPeriod(behavior.scaleDown));
}
