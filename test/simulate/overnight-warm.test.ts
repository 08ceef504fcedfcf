/**
 * Issue 22 item 9: a warm window across midnight (from 18:00 to 02:00) holds its replicas from
 * the evening of each listed day to 02:00 the next morning, in the trigger synth writes and in the
 * simulator, which reads that same trigger (simulate/tenant-adapter.ts → constructs/triggers/cron.ts).
 */
import { stringify } from 'yaml';
import { CronWindows } from '../../simulate/cron-windows';
import { toSimTenant } from '../../simulate/tenant-adapter';
import { validateTenantsText } from '../../tenants/validate';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** Simulated second 0 is Monday 00:00 UTC. */
const at = (day: number, hour: number) => day * DAY + hour * HOUR;

function windowsOf(warm: Record<string, unknown>) {
  const text = stringify({
    tenants: [
      {
        name: 'night',
        hosts: ['night.example.com'],
        image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
        port: 9898,
        probes: { readiness: '/readyz', liveness: '/healthz' },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } },
        warm: [warm],
      },
    ],
  });
  const result = validateTenantsText(text);
  expect(result.problems).toEqual([]);
  return new CronWindows(toSimTenant(result.tenants[0]).windows ?? [], 14 * DAY);
}

describe('an overnight warm window in the simulator', () => {
  const weekdays = windowsOf({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '18:00', to: '02:00', timezone: 'UTC', replicas: 2 });

  test('warm from 18:00 on each weekday until 02:00 the next morning', () => {
    expect(weekdays.replicasAt(at(0, 17.5))).toBe(0); // Monday 17:30
    expect(weekdays.replicasAt(at(0, 18.5))).toBe(2); // Monday 18:30
    expect(weekdays.replicasAt(at(1, 1.5))).toBe(2); // Tuesday 01:30
    expect(weekdays.replicasAt(at(1, 2.5))).toBe(0); // Tuesday 02:30
  });

  test("Friday's window closes Saturday 02:00, not Monday (the weekend stays cold)", () => {
    expect(weekdays.replicasAt(at(4, 23))).toBe(2); // Friday 23:00
    expect(weekdays.replicasAt(at(5, 1.5))).toBe(2); // Saturday 01:30
    expect(weekdays.replicasAt(at(5, 12))).toBe(0); // Saturday noon
    expect(weekdays.replicasAt(at(6, 20))).toBe(0); // Sunday 20:00
    expect(weekdays.replicasAt(at(7, 1))).toBe(0); // Monday 01:00: no Sunday window
  });

  test('a same-day window still closes the same day', () => {
    const office = windowsOf({ days: ['mon'], from: '08:00', to: '18:00', timezone: 'UTC', replicas: 1 });
    expect(office.replicasAt(at(0, 12))).toBe(1);
    expect(office.replicasAt(at(0, 19))).toBe(0);
    expect(office.replicasAt(at(1, 12))).toBe(0);
  });
});
