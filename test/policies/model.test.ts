/** The shared readers every rule builds on: durations, hostnames, selectors, cron windows, autoscalers. */
import { cronMatches, parseCron, shortestOffWindowSeconds } from '../../core/cron';
import { durationSeconds, formatSeconds, hostnameMatches, namespaceOf, scalersOf, selectorMatches, statefulReason } from '../../policies/model';
import type { KubeObject } from '../../policies/types';
import { find, fixture } from './helpers';

describe('durationSeconds', () => {
  test.each([
    ['90s', 90],
    ['1m30s', 90],
    ['500ms', 0.5],
    ['1h', 3600],
    ['1.5s', 1.5],
    ['0', 0],
  ])('%s is %d s', (text, seconds) => expect(durationSeconds(text)).toBe(seconds));

  test.each([['90'], ['s'], ['1m 30s'], ['abc'], [''], [90]])('%j is not a duration', (value) => expect(durationSeconds(value)).toBeUndefined());

  test('formatSeconds', () => {
    expect([0.5, 15, 60, 90, 120].map(formatSeconds)).toEqual(['500ms', '15s', '1m', '90s', '2m']);
  });
});

describe('hostnameMatches', () => {
  test('exact (case-insensitive) and wildcard matches, as Gateway API defines them', () => {
    expect(hostnameMatches('Chat.Example.com', 'chat.example.com')).toBe(true);
    expect(hostnameMatches('*.example.com', 'chat.example.com')).toBe(true);
    expect(hostnameMatches('*.example.com', 'a.b.example.com')).toBe(true);
    expect(hostnameMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostnameMatches('chat.example.com', 'other.example.com')).toBe(false);
  });
});

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };
  test('matchLabels and every matchExpressions operator', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'api' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
  });

  test('a missing selector selects nothing', () => {
    expect(selectorMatches(undefined, labels)).toBe(false);
  });
});

describe('cron windows', () => {
  test('parses fields, ranges, steps, lists, names and descriptors', () => {
    const s = parseCron('0,30 9-17 * * mon-fri')!;
    expect([...s.minute]).toEqual([0, 30]);
    expect([...s.hour]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...s.dayOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron('@hourly')).toEqual(parseCron('0 * * * *'));
    expect(parseCron('* * * *')).toBeUndefined();
    expect(parseCron('61 * * * *')).toBeUndefined();
    expect(parseCron('*/0 * * * *')).toBeUndefined();
  });

  test('day of month and day of week: either matches when both are restricted', () => {
    const s = parseCron('0 0 1 * mon')!;
    expect(cronMatches(s, new Date(Date.UTC(2026, 1, 1)))).toBe(true); // Sunday the 1st
    expect(cronMatches(s, new Date(Date.UTC(2026, 1, 2)))).toBe(true); // Monday the 2nd
    expect(cronMatches(s, new Date(Date.UTC(2026, 1, 3)))).toBe(false);
  });

  test("the lesson's cron pairs: 3 minutes off on the 5-minute cycle, 1 minute on the fast variant", () => {
    expect(shortestOffWindowSeconds(parseCron('*/5 * * * *')!, parseCron('2-59/5 * * * *')!)).toBe(180);
    expect(shortestOffWindowSeconds(parseCron('*/2 * * * *')!, parseCron('1-59/2 * * * *')!)).toBe(60);
    // Business hours: off from 18:00 to 09:00 on weekdays, longer over the weekend.
    expect(shortestOffWindowSeconds(parseCron('0 9 * * 1-5')!, parseCron('0 18 * * 1-5')!)).toBe(15 * 3600);
  });
});

describe('scalersOf', () => {
  test('applies each kind\'s defaults', () => {
    const scalers = scalersOf(fixture('clean'));
    const named = (name: string) => scalers.find((s) => s.object.metadata.name === name);
    const [hso, hpa, cron, pg] = ['chatbot', 'task-api-hpa', 'hello-cron', 'postgres'].map(named);
    expect(hso).toEqual(expect.objectContaining({ target: { kind: 'Deployment', name: 'chatbot' }, min: 0, max: 5, producesHpa: true, resourceMetrics: [] }));
    expect(hpa).toEqual(expect.objectContaining({ min: 2, max: 10, resourceMetrics: [{ resource: 'cpu' }, { resource: 'memory' }], scaleDownStabilization: 300 }));
    expect(cron).toEqual(expect.objectContaining({ target: { kind: 'Deployment', name: 'hello' }, min: 0, idleMin: 0, max: 1 }));
    expect(pg).toEqual(expect.objectContaining({ target: { kind: 'StatefulSet', name: 'postgres' }, min: 1 }));
  });

  test('an HTTPScaledObject that skips its ScaledObject produces no HPA; one an HTTPScaledObject owns is not counted', () => {
    const objects = fixture('clean');
    find(objects, 'HTTPScaledObject', 'chatbot').metadata.annotations = { 'httpscaledobject.keda.sh/skip-scaledobject-creation': 'true' };
    objects.push({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'chatbot', namespace: 'default', ownerReferences: [{ kind: 'HTTPScaledObject', name: 'chatbot' }] } as KubeObject['metadata'], spec: { scaleTargetRef: { name: 'chatbot' } } });
    const chatbot = scalersOf(objects).filter((s) => s.target?.name === 'chatbot');
    expect(chatbot.map((s) => [s.object.kind, s.producesHpa])).toEqual([['HTTPScaledObject', false]]);
  });
});

describe('objects', () => {
  test('namespaceOf: cluster-scoped kinds have none, namespaced ones default to default', () => {
    expect(namespaceOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } })).toBe('');
    expect(namespaceOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } })).toBe('default');
    expect(namespaceOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'a' } })).toBe('a');
  });

  test('statefulReason: StatefulSet, marker on workload, pods or namespace; otherwise stateless', () => {
    const objects = fixture('clean');
    const chatbot = find(objects, 'Deployment', 'chatbot');
    expect(statefulReason(find(objects, 'StatefulSet', 'postgres'))).toBe('it is a StatefulSet');
    expect(statefulReason(chatbot)).toBeUndefined();
    expect(statefulReason(chatbot, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'tenantscale.io/stateful': 'true' } } })).toMatch(/its namespace is marked/);
    chatbot.spec.template.metadata.annotations = { 'tenantscale.io/stateful': 'true' };
    expect(statefulReason(chatbot)).toMatch(/its pods are marked/);
    chatbot.spec.strategy = { type: 'Recreate' };
    delete chatbot.spec.template.metadata.annotations;
    expect(statefulReason(chatbot)).toBeUndefined(); // Recreate alone marks state only on tenantscale's own Deployments
  });
});
