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
 */
export function warmTrigger(w: WarmWindow): KedaTrigger {
  const days = [...new Set(w.days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b).join(',');
  const at = (clock: string) => {
    const [h, m] = clock.split(':').map(Number);
    return `${m} ${h} * * ${days}`;
  };
  return cronTrigger({ timezone: w.timezone, start: at(w.from), end: at(w.to), replicas: w.replicas });
}
