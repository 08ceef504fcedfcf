import type { ScheduleWindow, WarmWindow } from '../../tenants/kinds';
import { WEEKDAYS } from '../../tenants/kinds';
import { KedaTrigger } from './keda-trigger';

/**
 * KEDA's cron trigger: `desiredReplicas` between `start` and `end` in `timezone`
 * (metadata names: kedacore/keda@v2.20.2 pkg/scalers/cron_scaler.go:31-34).
 */
export function cronTrigger(w: ScheduleWindow): KedaTrigger {
  return { type: 'cron', metadata: { timezone: w.timezone, start: w.start, end: w.end, desiredReplicas: String(w.replicas) } };
}

/**
 * A warm window as a cron trigger: opens at `from` and closes at `to` on the listed days. In the
 * same ScaledObject as the HTTP trigger KEDA takes the highest replica count of all triggers, so
 * the window holds `replicas` while requests still wake and scale the tenant outside it.
 *
 * A window with `to` before `from` crosses midnight: it closes on the day after each listed day,
 * so `end` lists the following days (fri 18:00 → sat 02:00). With the same days in both, KEDA's
 * cron scaler would keep Friday's window open until the next listed `end`, Monday 02:00: it is
 * active while the next `end` comes before the next `start` (kedacore/keda@v2.20.2
 * pkg/scalers/cron_scaler.go:123-151).
 */
export function warmTrigger(w: WarmWindow): KedaTrigger {
  const opening = [...new Set(w.days.map((d) => WEEKDAYS.indexOf(d)))];
  const overnight = w.to < w.from;
  const closing = overnight ? opening.map((d) => (d + 1) % 7) : opening;
  const days = (list: number[]) => [...new Set(list)].sort((a, b) => a - b).join(',');
  const at = (clock: string, list: number[]) => {
    const [h, m] = clock.split(':').map(Number);
    return `${m} ${h} * * ${days(list)}`;
  };
  return cronTrigger({ timezone: w.timezone, start: at(w.from, opening), end: at(w.to, closing), replicas: w.replicas });
}
