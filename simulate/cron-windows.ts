/**
 * KEDA's cron scaler over simulated time: the replicas a set of cron windows asks for at time t.
 *
 * KEDA v2.20.2 (kedacore/keda@v2.20.2 pkg/scalers/cron_scaler.go:123-151) takes the next `start`
 * and the next `end` firing after now in the window's timezone. Both lie in the future, so its two
 * branches (:137-143) reduce to: inactive when the next start comes before the next end, active
 * otherwise. Active, the metric is `desiredReplicas` against an AverageValue target of 1
 * (:111-121), so the HPA asks for `desiredReplicas`. Several cron triggers in one ScaledObject: the
 * HPA takes the highest.
 *
 * Simulated time 0 is Monday 2026-01-05 00:00 UTC (the traffic model's day 0, a Monday). Cron
 * expressions are matched minute by minute on the wall clock of their timezone (Intl offsets);
 * robfig/cron's handling of the skipped and repeated hour at a DST change is not modelled.
 */
import { cronMatches, parseCron } from '../core/cron';

/** One cron window as tenantscale writes it (constructs/triggers/cron.ts `cronTrigger`). */
export interface CronWindowSpec {
  readonly start: string;
  readonly end: string;
  readonly timezone: string;
  readonly replicas: number;
}

/** Monday 2026-01-05 00:00 UTC: simulated second 0. */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 5);

/** Firings are listed this far past the horizon, so that "the next firing" exists at its end. */
const LOOKAHEAD_SECONDS = 8 * 86400;

const offsetCache = new Map<string, Map<number, number>>();

/** Minutes the timezone is ahead of UTC during the UTC hour that contains `ms`. */
export function utcOffsetMinutes(timezone: string, ms: number): number {
  let byHour = offsetCache.get(timezone);
  if (!byHour) offsetCache.set(timezone, (byHour = new Map()));
  const hour = Math.floor(ms / 3_600_000);
  const cached = byHour.get(hour);
  if (cached !== undefined) return cached;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    .formatToParts(new Date(hour * 3_600_000))
    .reduce<Record<string, number>>((acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  const offset = Math.round((local - hour * 3_600_000) / 60_000);
  byHour.set(hour, offset);
  return offset;
}

const firingCache = new Map<string, Float64Array>();

/** Simulated seconds (ascending) at which a cron expression fires in its timezone, over [0, until). */
export function firingSeconds(expression: string, timezone: string, until: number): Float64Array {
  const key = `${expression}\u0000${timezone}\u0000${until}`;
  const cached = firingCache.get(key);
  if (cached) return cached;
  const schedule = parseCron(expression);
  if (!schedule) throw new Error(`not a five-field cron expression: ${expression}`);
  const out: number[] = [];
  for (let s = 0; s < until; s += 60) {
    const ms = SIM_EPOCH_MS + s * 1000;
    if (cronMatches(schedule, new Date(ms + utcOffsetMinutes(timezone, ms) * 60_000))) out.push(s);
  }
  const result = Float64Array.from(out);
  firingCache.set(key, result);
  return result;
}

/** The first value > t, Infinity when none. */
function nextAfter(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? sorted[lo] : Infinity;
}

/** The replicas a set of cron windows asks for, over a simulation of `horizon` seconds. */
export class CronWindows {
  private readonly windows: readonly { starts: Float64Array; ends: Float64Array; replicas: number }[];

  constructor(specs: readonly CronWindowSpec[], horizon: number) {
    const until = horizon + LOOKAHEAD_SECONDS;
    this.windows = specs.map((w) => ({ starts: firingSeconds(w.start, w.timezone, until), ends: firingSeconds(w.end, w.timezone, until), replicas: w.replicas }));
  }

  /** Whether one window is active at t: its next start does not come before its next end (cron_scaler.go:132-143). */
  private static active(w: { starts: Float64Array; ends: Float64Array }, t: number): boolean {
    const end = nextAfter(w.ends, t);
    // A window whose end never fires within the horizon (and a week after) is treated as closed.
    return end !== Infinity && !(nextAfter(w.starts, t) < end);
  }

  /** The highest `replicas` of the windows active at t; 0 when none is. */
  replicasAt(t: number): number {
    let most = 0;
    for (const w of this.windows) if (w.replicas > most && CronWindows.active(w, t)) most = w.replicas;
    return most;
  }
}
