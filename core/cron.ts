/**
 * Standard five-field cron expressions (as KEDA's cron scaler reads them, plus the @hourly-style
 * descriptors), evaluated minute by minute: enough to measure how long a cron scaler's off-window
 * lasts.
 */

export interface CronSchedule {
  readonly minute: ReadonlySet<number>;
  readonly hour: ReadonlySet<number>;
  readonly dayOfMonth: ReadonlySet<number>;
  readonly month: ReadonlySet<number>;
  readonly dayOfWeek: ReadonlySet<number>;
  /** Day of month and day of week are both restricted: cron then fires when either matches. */
  readonly eitherDay: boolean;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const NAMES: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6,
};

/** The five fields, their names and ranges (robfig/cron's standard parser, as KEDA's cron scaler uses it). */
const FIELDS = [
  { name: 'minute', lo: 0, hi: 59 },
  { name: 'hour', lo: 0, hi: 23 },
  { name: 'day-of-month', lo: 1, hi: 31 },
  { name: 'month', lo: 1, hi: 12 },
  { name: 'day-of-week', lo: 0, hi: 7 },
] as const;

/** The values one field lists, or why it lists none (naming the field and its range). */
function parseField(field: string, spec: (typeof FIELDS)[number]): Set<number> | string {
  const { name, lo, hi } = spec;
  const values = new Set<number>();
  const num = (s: string): number | undefined => NAMES[s.toLowerCase()] ?? (/^\d+$/.test(s) ? Number(s) : undefined);
  const outOfRange = (v: number) => `${name} ${v} is out of range (${name} is ${lo}-${hi})`;
  for (const part of field.split(',')) {
    const [range, stepText, extra] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (extra !== undefined || !Number.isInteger(step) || step < 1) return `${name} "${field}" has a step that is not a whole number ≥ 1`;
    let start: number | undefined;
    let end: number | undefined;
    if (range === '*' || range === '?') {
      start = lo;
      end = hi;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      start = num(a);
      end = num(b);
    } else {
      start = num(range);
      end = stepText === undefined ? start : hi;
    }
    if (start === undefined || end === undefined) return `${name} "${field}" is not a number, a name (jan-dec, sun-sat), "*", a range a-b or a step /n`;
    if (start < lo || start > hi) return outOfRange(start);
    if (end < lo || end > hi) return outOfRange(end);
    if (start > end) return `${name} range ${start}-${end} runs backwards`;
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return values;
}

/** Parses a cron expression, or says why it is not a standard five-field one (the field, its value and range). Pure. */
export function parseCronOrReason(expression: string): CronSchedule | { reason: string } {
  const text = DESCRIPTORS[expression.trim().toLowerCase()] ?? expression.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return { reason: `not a five-field cron expression (it has ${text === '' ? 0 : fields.length} field${fields.length === 1 ? '' : 's'})` };
  const parsed: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const field = parseField(fields[i], FIELDS[i]);
    if (typeof field === 'string') return { reason: field };
    parsed.push(field);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeekRaw] = parsed;
  const dayOfWeek = new Set([...dayOfWeekRaw].map((d) => d % 7));
  const restricted = (f: string) => !(f === '*' || f === '?' || f.startsWith('*/'));
  return { minute, hour, dayOfMonth, month, dayOfWeek, eitherDay: restricted(fields[2]) && restricted(fields[4]) };
}

/** Parses a cron expression; undefined when it is not a standard five-field one. */
export function parseCron(expression: string): CronSchedule | undefined {
  const parsed = parseCronOrReason(expression);
  return 'reason' in parsed ? undefined : parsed;
}

/** Whether the schedule fires at this UTC minute. */
export function cronMatches(s: CronSchedule, t: Date): boolean {
  if (!s.minute.has(t.getUTCMinutes()) || !s.hour.has(t.getUTCHours()) || !s.month.has(t.getUTCMonth() + 1)) return false;
  const dom = s.dayOfMonth.has(t.getUTCDate());
  const dow = s.dayOfWeek.has(t.getUTCDay());
  return s.eitherDay ? dom || dow : dom && dow;
}

/** A Monday at 00:00 UTC: the start of the simulated fortnight. */
const EPOCH = Date.UTC(2026, 0, 5);

/** Minutes simulated: two weeks from EPOCH. */
const SPAN_MINUTES = 14 * 24 * 60;

/**
 * The minutes (from EPOCH, ascending) at which the schedule fires in the simulated fortnight.
 * Days are checked once each, then only the schedule's own hours and minutes are listed: the same
 * minutes as testing `cronMatches` on every one of the 20,160, at a fraction of the cost (a tenant
 * list may hold thousands of windows, and validation must stay fast on untrusted input).
 */
export function firingMinutes(s: CronSchedule): number[] {
  const hours = [...s.hour].sort((a, b) => a - b);
  const minutes = [...s.minute].sort((a, b) => a - b);
  const out: number[] = [];
  for (let day = 0; day < 14; day++) {
    const t = new Date(EPOCH + day * 86_400_000);
    if (!s.month.has(t.getUTCMonth() + 1)) continue;
    const dom = s.dayOfMonth.has(t.getUTCDate());
    const dow = s.dayOfWeek.has(t.getUTCDay());
    if (!(s.eitherDay ? dom || dow : dom && dow)) continue;
    for (const h of hours) for (const m of minutes) out.push(day * 1440 + h * 60 + m);
  }
  return out;
}

/**
 * The shortest time, in seconds, from an `end` firing to the next `start` firing over two weeks:
 * the shortest off-window of a cron scaler. Undefined when the pair never alternates in that span.
 */
export function shortestOffWindowSeconds(start: CronSchedule, end: CronSchedule): number | undefined {
  const starts = firingMinutes(start);
  const ends = firingMinutes(end);
  let lastEnd: number | undefined;
  let shortest: number | undefined;
  let si = 0;
  let ei = 0;
  // Minute by minute in order; within one minute a start is looked at before an end.
  while (si < starts.length || ei < ends.length) {
    const i = Math.min(si < starts.length ? starts[si] : SPAN_MINUTES, ei < ends.length ? ends[ei] : SPAN_MINUTES);
    if (si < starts.length && starts[si] === i) {
      si++;
      if (lastEnd !== undefined) {
        const gap = (i - lastEnd) * 60;
        shortest = shortest === undefined ? gap : Math.min(shortest, gap);
        lastEnd = undefined;
      }
    }
    if (ei < ends.length && ends[ei] === i) {
      ei++;
      lastEnd = i;
    }
  }
  return shortest;
}
