/**
 * Kubernetes resource quantities (the `100m`, `128Mi` strings of requests and limits).
 *
 * Exact arithmetic: CPU is counted in millicores and memory in bytes, both as BigInt, so
 * quota sums of 10,000 tenants never lose precision.
 */

/** A CPU quantity: a plain decimal number of cores (`0.5`, `2`) or millicores (`250m`). */
export const CPU_PATTERN = /^(\d+(\.\d{1,3})?|\.\d{1,3}|\d+m)$/;

/**
 * A memory quantity: an integer followed by an optional binary (`Ki`..`Ei`) or decimal
 * (`k`, `M`..`E`) suffix. The `m` suffix is accepted by Kubernetes but means 1/1000 of a
 * byte (`128m` is 0.128 bytes), which is always a mistake for memory, so it is refused.
 */
export const MEMORY_PATTERN = /^\d+(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

const MEMORY_FACTORS: Record<string, bigint> = {
  '': 1n,
  k: 1000n,
  M: 1000n ** 2n,
  G: 1000n ** 3n,
  T: 1000n ** 4n,
  P: 1000n ** 5n,
  E: 1000n ** 6n,
  Ki: 1024n,
  Mi: 1024n ** 2n,
  Gi: 1024n ** 3n,
  Ti: 1024n ** 4n,
  Pi: 1024n ** 5n,
  Ei: 1024n ** 6n,
};

/** True if `value` is a CPU quantity tenantscale accepts. */
export function isCpuQuantity(value: string): boolean {
  return CPU_PATTERN.test(value);
}

/** True if `value` is a memory quantity tenantscale accepts. */
export function isMemoryQuantity(value: string): boolean {
  return MEMORY_PATTERN.test(value);
}

/** Millicores of a CPU quantity (`"250m"` → 250n, `"1.5"` → 1500n). Throws on a malformed value. */
export function cpuMillis(value: string): bigint {
  if (!isCpuQuantity(value)) throw new Error(`not a CPU quantity: ${JSON.stringify(value)}`);
  if (value.endsWith('m')) return BigInt(value.slice(0, -1));
  const [whole, frac = ''] = value.split('.');
  return BigInt(whole || '0') * 1000n + BigInt((frac + '000').slice(0, 3));
}

/** Bytes of a memory quantity (`"128Mi"` → 134217728n). Throws on a malformed value. */
export function memoryBytes(value: string): bigint {
  const m = /^(\d+)([A-Za-z]*)$/.exec(value);
  if (!m || !isMemoryQuantity(value)) throw new Error(`not a memory quantity: ${JSON.stringify(value)}`);
  return BigInt(m[1]) * MEMORY_FACTORS[m[2]];
}

/** Formats millicores as the shortest exact CPU quantity (`2000n` → `"2"`, `1500n` → `"1500m"`). */
export function formatCpu(millis: bigint): string {
  return millis % 1000n === 0n ? `${millis / 1000n}` : `${millis}m`;
}

/** Formats bytes as the shortest exact quantity, binary or decimal (`134217728n` → `"128Mi"`, `4e9` → `"4G"`). */
export function formatMemory(bytes: bigint): string {
  let best = `${bytes}`;
  if (bytes === 0n) return best;
  for (const [unit, factor] of Object.entries(MEMORY_FACTORS)) {
    if (unit === '' || bytes % factor !== 0n) continue;
    const candidate = `${bytes / factor}${unit}`;
    if (candidate.length < best.length || (candidate.length === best.length && unit.endsWith('i'))) best = candidate;
  }
  return best;
}
