/**
 * Traffic: when each tenant is "in conversation" and how many requests that brings.
 *
 * The model is ON/OFF (bursty) traffic: conversations start as a non-homogeneous Poisson process whose
 * rate follows the hour of day and the day of week; during a conversation requests arrive as a Poisson
 * process of `requestsPerMinute`; each request takes `serviceSeconds`. `steady` traffic has no
 * conversations: requests arrive all the time at `requestsPerMinute` × the hour's shape.
 * Day 0 of a simulation is a Monday, hour 0 is midnight (UTC of the tenants).
 */
import { exponential, Random } from './prng';

export interface TrafficSpec {
  /** Relative traffic per hour of day, 24 values ≥ 0 (the busiest hour counts as 1). */
  readonly hourly: readonly number[];
  /** Relative traffic per day of week, Monday first, 7 values ≥ 0. */
  readonly weekly: readonly number[];
  /** Conversations a tenant starts on a day of weekly weight 1. Ignored when `peakActiveFraction` is set. */
  readonly conversationsPerDay: number;
  /**
   * The fraction of tenants in conversation at the busiest hour of a weekly-weight-1 day (the
   * lessons' "about 10% active"). Sets the conversation rate instead of `conversationsPerDay`.
   */
  readonly peakActiveFraction?: number;
  readonly conversationMinutes: number;
  /** Requests per minute while in conversation (or all the time when `steady`). */
  readonly requestsPerMinute: number;
  /** Seconds a request takes once a pod serves it. */
  readonly serviceSeconds: number;
  /** No conversations: requests arrive all the time at the hour's share of `requestsPerMinute`. */
  readonly steady: boolean;
}

/** A tenant's conversations over the simulated period (seconds since Monday 00:00), sorted, disjoint. */
export interface Conversations {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

function maxOf(values: readonly number[]): number {
  return values.reduce((m, v) => Math.max(m, v), 0);
}

/** The shape's value at time t (hourly × weekly, each relative to its maximum). */
export function shapeAt(spec: TrafficSpec, t: number): number {
  const hour = Math.floor(t / 3600);
  const hMax = maxOf(spec.hourly);
  const wMax = maxOf(spec.weekly);
  if (hMax === 0 || wMax === 0) return 0;
  return (spec.hourly[hour % 24] / hMax) * (spec.weekly[Math.floor(hour / 24) % 7] / wMax);
}

/**
 * Conversation starts per second at the busiest moment (shape 1). From `peakActiveFraction` F and
 * conversations of D seconds: a Poisson process of rate λ keeps a tenant busy with probability
 * 1 − e^(−λD), so λ = −ln(1 − F) / D. From `conversationsPerDay`: the day's shape integrates to
 * Σ hourly / max(hourly) busiest-hour equivalents of 3,600 s.
 */
export function peakConversationRate(spec: TrafficSpec): number {
  const duration = spec.conversationMinutes * 60;
  if (spec.peakActiveFraction !== undefined) {
    const f = Math.min(spec.peakActiveFraction, 0.999999);
    return -Math.log(1 - f) / duration;
  }
  const hMax = maxOf(spec.hourly);
  const dayWeight = hMax === 0 ? 0 : spec.hourly.reduce((s, v) => s + v, 0) / hMax;
  return dayWeight === 0 ? 0 : spec.conversationsPerDay / (dayWeight * 3600);
}

/**
 * Draws a tenant's conversations over [0, horizon) by thinning (Lewis & Shedler): candidates at
 * the peak rate, each kept with probability shape(t). Overlapping conversations merge.
 */
export function drawConversations(spec: TrafficSpec, horizon: number, random: Random): Conversations {
  if (spec.steady) return { starts: Float64Array.of(0), ends: Float64Array.of(horizon) };
  const peak = peakConversationRate(spec);
  const duration = spec.conversationMinutes * 60;
  const starts: number[] = [];
  const ends: number[] = [];
  if (peak > 0) {
    let t = exponential(random, peak);
    while (t < horizon) {
      if (random() < shapeAt(spec, t)) {
        const end = Math.min(horizon, t + duration);
        if (ends.length > 0 && t <= ends[ends.length - 1]) ends[ends.length - 1] = Math.max(ends[ends.length - 1], end);
        else {
          starts.push(t);
          ends.push(end);
        }
      }
      t += exponential(random, peak);
    }
  }
  return { starts: Float64Array.from(starts), ends: Float64Array.from(ends) };
}

/** Requests per second at time t for a tenant inside a conversation (or steady). */
export function requestRateAt(spec: TrafficSpec, t: number): number {
  return spec.steady ? (spec.requestsPerMinute / 60) * shapeAt(spec, t) : spec.requestsPerMinute / 60;
}
