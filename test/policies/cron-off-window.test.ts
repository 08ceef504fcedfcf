/** shortestOffWindowSeconds lists firings instead of testing every minute: same answers, checked against the minute-by-minute simulation. */
import { cronMatches, firingMinutes, parseCron, shortestOffWindowSeconds, CronSchedule } from '../../core/cron';

const EPOCH = Date.UTC(2026, 0, 5);

/** The reference: every minute of the fortnight, start looked at before end. */
function simulated(start: CronSchedule, end: CronSchedule): number | undefined {
  let lastEnd: number | undefined;
  let shortest: number | undefined;
  for (let i = 0; i < 14 * 24 * 60; i++) {
    const t = new Date(EPOCH + i * 60_000);
    if (cronMatches(start, t) && lastEnd !== undefined) {
      shortest = shortest === undefined ? (i - lastEnd) * 60 : Math.min(shortest, (i - lastEnd) * 60);
      lastEnd = undefined;
    }
    if (cronMatches(end, t)) lastEnd = i;
  }
  return shortest;
}

const EXPRESSIONS = ['0 2 * * *', '0 4 * * *', '*/10 * * * *', '5-59/10 * * * *', '30 8 * * 1,2,3,4,5', '0 18 * * 1-5', '0 0 1 * *', '0 12 15 * 1', '@hourly', '0 0 29 2 *', '*/7 */3 * * *', '0 9 * * 6,7'];

test('the same off-window as the minute-by-minute simulation, for every pair', () => {
  for (const a of EXPRESSIONS) {
    for (const b of EXPRESSIONS) {
      const s = parseCron(a)!;
      const e = parseCron(b)!;
      expect([a, b, shortestOffWindowSeconds(s, e)]).toEqual([a, b, simulated(s, e)]);
    }
  }
});

test('firing minutes: a nightly window fires once a day, 14 times in the fortnight', () => {
  expect(firingMinutes(parseCron('0 2 * * *')!)).toEqual(Array.from({ length: 14 }, (_, d) => d * 1440 + 120));
  expect(shortestOffWindowSeconds(parseCron('0 2 * * *')!, parseCron('0 4 * * *')!)).toBe(22 * 3600);
});
