import { concurrency, kedaDecide, requestRate } from '../../simulate/keda';
import { poisson, streamFor } from '../../simulate/prng';
import { drawConversations, peakConversationRate, shapeAt, TrafficSpec } from '../../simulate/traffic';
import { classifyWake, podReadyAt, pullSeconds, quantile } from '../../simulate/wake';
import { builtinProfile } from '../../simulate/profile';

const flat: TrafficSpec = { hourly: new Array(24).fill(1), weekly: new Array(7).fill(1), conversationsPerDay: 24, conversationMinutes: 10, requestsPerMinute: 1, serviceSeconds: 5, steady: false };

describe('traffic', () => {
  it('peakActiveFraction F gives λ = −ln(1 − F) / D', () => {
    expect(peakConversationRate({ ...flat, peakActiveFraction: 0.1 })).toBeCloseTo(-Math.log(0.9) / 600, 12);
  });
  it('conversationsPerDay on a flat day is that many per 86,400 s', () => {
    expect(peakConversationRate(flat)).toBeCloseTo(24 / 86400, 12);
  });
  it('the shape is hourly × weekly relative to their maxima; Saturday of the assistant is half', () => {
    const a = builtinProfile('assistant').traffic;
    expect(shapeAt(a, 12 * 3600)).toBe(1);
    expect(shapeAt(a, (5 * 24 + 12) * 3600)).toBe(0.5);
    expect(shapeAt(a, 3 * 3600)).toBe(0.02);
  });
  it('draws about the expected number of conversations, sorted and disjoint', () => {
    const c = drawConversations(flat, 30 * 86400, streamFor(1, 'x'));
    // 24 a day for 30 days, merged when they overlap: between 600 and 760.
    expect(c.starts.length).toBeGreaterThan(600);
    expect(c.starts.length).toBeLessThan(760);
    for (let i = 1; i < c.starts.length; i++) expect(c.starts[i]).toBeGreaterThan(c.ends[i - 1]);
  });
  it('no conversations on a day whose weight is 0', () => {
    const c = drawConversations({ ...flat, weekly: [1, 0, 0, 0, 0, 0, 0] }, 7 * 86400, streamFor(1, 'y'));
    expect([...c.starts].every((s) => s < 86400)).toBe(true);
  });
  it('poisson has the right mean, small and large', () => {
    const r = streamFor(3, 'p');
    const mean = (m: number) => Array.from({ length: 4000 }, () => poisson(r, m)).reduce((s, v) => s + v, 0) / 4000;
    expect(mean(2)).toBeCloseTo(2, 0);
    expect(mean(100)).toBeGreaterThan(98);
    expect(mean(100)).toBeLessThan(102);
  });
});

describe('KEDA', () => {
  it('activates on the first pending request and not without one', () => {
    expect(kedaDecide({ replicas: 0, active: true, now: 0, lastActive: 0, cooldownSeconds: 300, minReplicas: 0 })).toEqual({ action: 'activate' });
    expect(kedaDecide({ replicas: 0, active: false, now: 0, lastActive: 0, cooldownSeconds: 300, minReplicas: 0 })).toEqual({ action: 'idle' });
  });
  it('scales to zero only after the cooldown, and never with min ≥ 1', () => {
    expect(kedaDecide({ replicas: 1, active: false, now: 299, lastActive: 0, cooldownSeconds: 300, minReplicas: 0 })).toEqual({ action: 'hpa' });
    expect(kedaDecide({ replicas: 1, active: false, now: 300, lastActive: 0, cooldownSeconds: 300, minReplicas: 0 })).toEqual({ action: 'deactivate' });
    expect(kedaDecide({ replicas: 1, active: false, now: 9999, lastActive: 0, cooldownSeconds: 300, minReplicas: 1 })).toEqual({ action: 'hpa' });
  });
  it('request rate is the window\'s requests over the window; concurrency is rate × time', () => {
    expect(requestRate([0, 30, 30, 30, 30], 15, 60)).toBe(2);
    expect(requestRate([90], 15, 60)).toBe(1.5);
    expect(concurrency(2, 5)).toBe(10);
  });
});

describe('wakes', () => {
  it('a node without the image pulls it; a node with it does not', () => {
    expect(podReadyAt({ boundAt: 10, imageReadyAt: undefined, pullSeconds: pullSeconds(100, 50), containerStartSeconds: 2, readinessPeriodSeconds: 1 })).toEqual({ readyAt: 15, imageReadyAt: 12 });
    expect(podReadyAt({ boundAt: 10, imageReadyAt: 0, pullSeconds: 2, containerStartSeconds: 2, readinessPeriodSeconds: 1 })).toEqual({ readyAt: 13, imageReadyAt: 10 });
  });
  it('over budget and over the route timeout', () => {
    expect(classifyWake(61, 60, 95, 5)).toEqual({ overBudget: true, overRouteTimeout: false });
    expect(classifyWake(91, 60, 95, 5)).toEqual({ overBudget: true, overRouteTimeout: true });
    expect(classifyWake(60, 60, 95, 5)).toEqual({ overBudget: false, overRouteTimeout: false });
  });
  it('nearest-rank quantiles', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.95)).toBe(4);
    expect(quantile([], 0.5)).toBe(0);
  });
});
