/**
 * Seeded pseudo-random numbers for the traffic generator. sfc32 (Chris Doty-Humphrey's Small Fast
 * Counter, 32-bit variant of PractRand) seeded through a string hash, so that every tenant draws from
 * its own stream keyed by (seed, tenant name): adding, removing or changing one tenant never changes
 * another tenant's traffic, and `plan` compares like with like.
 */

/** A generator of uniform numbers in [0, 1). */
export type Random = () => number;

/** 32-bit FNV-1a hash of a string (deterministic across platforms). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** sfc32 over four 32-bit words. */
export function sfc32(a: number, b: number, c: number, d: number): Random {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** The stream of one named purpose (a tenant's traffic, an expander's choices) under a seed. */
export function streamFor(seed: number, name: string): Random {
  const s = hashString(`${seed}:${name}`);
  const random = sfc32(s, hashString(name), seed >>> 0, 0x9e3779b9);
  // Discard the first outputs: sfc32 mixes its state over the first dozen rounds.
  for (let i = 0; i < 15; i++) random();
  return random;
}

/** An exponentially distributed sample with the given rate (events per unit). */
export function exponential(random: Random, rate: number): number {
  return -Math.log(1 - random()) / rate;
}

/**
 * A Poisson-distributed count with the given mean: Knuth's multiplication method for small means,
 * a normal approximation (rounded, never negative) above 30, where it is accurate to well under 1%.
 */
export function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    // Box-Muller.
    const u = 1 - random();
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}
