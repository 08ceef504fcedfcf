import { DEFAULT_BEHAVIOR, externalPerPodReplicas, hpaSync, limitRate, newHpaState, scaleDownLimit, scaleUpLimit, stabilize } from '../../simulate/hpa';

// Examples from https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/.
describe('HPA replica calculation (replica_calculator.go GetExternalPerPodMetricReplicas)', () => {
  it('doubles the replicas when the metric is twice the target (200m vs 100m)', () => {
    expect(externalPerPodReplicas(0.2 * 3, 0.1, 3)).toBe(6);
  });
  it('halves them when the metric is half the target (50m vs 100m)', () => {
    expect(externalPerPodReplicas(0.05 * 4, 0.1, 4)).toBe(2);
  });
  it('keeps the count within the 10% tolerance, and moves just outside it', () => {
    expect(externalPerPodReplicas(10.9 * 2, 10, 2)).toBe(2); // ratio 1.09
    expect(externalPerPodReplicas(11.5 * 2, 10, 2)).toBe(3); // ratio 1.15: ceil(23 / 10)
  });
  it('rounds up: ceil(usage / target)', () => {
    expect(externalPerPodReplicas(25, 10, 1)).toBe(3);
  });
});

describe('HPA behavior policies (horizontal.go)', () => {
  it('default scale-up allows the larger of +4 pods and +100% per 15 s', () => {
    expect(scaleUpLimit(1, [], [], DEFAULT_BEHAVIOR.scaleUp, 0)).toBe(5);
    expect(scaleUpLimit(10, [], [], DEFAULT_BEHAVIOR.scaleUp, 0)).toBe(20);
  });
  it('counts changes inside the period from the period-start replicas', () => {
    // 4 added 10 s ago: the period started at 6, so Max(6+4, 12) = 12.
    expect(scaleUpLimit(10, [{ at: 90, value: 4 }], [], DEFAULT_BEHAVIOR.scaleUp, 100)).toBe(12);
  });
  it('the docs\' 10%-per-minute scale-down: 80 → 72 (8 pods), then 72 → 64 (7.2 rounded up to 8)', () => {
    const rules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max' as const, policies: [{ type: 'Percent' as const, value: 10, periodSeconds: 60 }] };
    expect(scaleDownLimit(80, [], [], rules, 0)).toBe(72);
    expect(scaleDownLimit(72, [], [], rules, 100)).toBe(64);
  });
  it('selectPolicy Min takes the smallest change and Disabled none', () => {
    const up = { ...DEFAULT_BEHAVIOR.scaleUp, selectPolicy: 'Min' as const };
    expect(scaleUpLimit(10, [], [], up, 0)).toBe(14);
    expect(scaleUpLimit(10, [], [], { ...up, selectPolicy: 'Disabled' }, 0)).toBe(10);
  });
  it('limits and bounds: never above max, never below min', () => {
    expect(limitRate(2, 50, 1, 8, [], [], DEFAULT_BEHAVIOR, 0)).toBe(6);
    expect(limitRate(6, 50, 1, 8, [], [], DEFAULT_BEHAVIOR, 0)).toBe(8);
    expect(limitRate(6, 0, 2, 8, [], [], DEFAULT_BEHAVIOR, 0)).toBe(2);
  });
  it('the scale-down stabilization window keeps the highest recommendation of the last 300 s', () => {
    const history = [{ at: 0, value: 8 }, { at: 200, value: 3 }];
    expect(stabilize(8, 2, history, DEFAULT_BEHAVIOR, 250)).toBe(8);
    expect(stabilize(8, 2, history, DEFAULT_BEHAVIOR, 301)).toBe(3);
  });
});

describe('the lessons\' exercise: replicas climb every 15 s under load and hold about 5 minutes after it stops', () => {
  it('scales 1 → 5 → 10 under steady overload, then holds until the window passes', () => {
    const state = newHpaState();
    let replicas = 1;
    const seen: number[] = [];
    for (let t = 15; t <= 45; t += 15) {
      replicas = hpaSync(state, { usage: 100, target: 10, current: replicas, min: 1, max: 10, now: t });
      seen.push(replicas);
    }
    expect(seen).toEqual([5, 10, 10]);
    const after: number[] = [];
    for (let t = 60; t <= 420; t += 15) {
      replicas = hpaSync(state, { usage: 0, target: 10, current: replicas, min: 1, max: 10, now: t });
      after.push(replicas);
    }
    // Load stopped at t = 60; the last high recommendation (t = 45) leaves the 300 s window at 345
    // (strictly newer than now − 300 counts), so 10 replicas hold for 4.5 minutes after the load.
    expect(after.slice(0, (330 - 60) / 15 + 1).every((r) => r === 10)).toBe(true);
    expect(after[(345 - 60) / 15]).toBe(1);
    expect(after[after.length - 1]).toBe(1);
  });
});
