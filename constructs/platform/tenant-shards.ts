/**
 * Which Flux Kustomization (shard) applies a tenant. The assignment depends on the tenant's name
 * and the shard count only: adding or removing one tenant changes exactly one shard's
 * kustomization.yaml, so Flux re-applies one shard and leaves the others alone. The name is
 * hashed (SHA-256, first 64 bits) and placed with Jump Consistent Hash (Lamping and Veach, "A
 * Fast, Minimal Memory, Consistent Hash Algorithm", 2014): balanced, and raising the shard count
 * from n to n + 1 moves only about 1/(n + 1) of the tenants (a plain modulo would move almost all).
 */
import { createHash } from 'node:crypto';

/** Most shards a stack may have (each is one Kustomization, one Pulumi resource). */
export const MAX_SHARDS = 256;

const MASK_64 = (1n << 64n) - 1n;

/** Jump Consistent Hash: the bucket in [0, buckets) of a 64-bit key. */
export function jumpConsistentHash(key: bigint, buckets: number): number {
  if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError(`jumpConsistentHash: buckets must be a whole number ≥ 1, got ${buckets}`);
  let b = -1;
  let j = 0;
  let k = key & MASK_64;
  while (j < buckets) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & MASK_64;
    j = Math.floor((b + 1) * (2 ** 31 / (Number(k >> 33n) + 1)));
  }
  return b;
}

/** The shard index of a tenant, in [0, shards). */
export function shardOf(tenantName: string, shards: number): number {
  const key = createHash('sha256').update(tenantName, 'utf8').digest().readBigUInt64BE(0);
  return jumpConsistentHash(key, shards);
}

/** The shard's id: its index zero-padded to three digits (`007`), also its directory under shards/. */
export function shardId(index: number): string {
  return String(index).padStart(3, '0');
}

/** Tenant names by shard index (every index present, possibly empty), each list in input order. */
export function assignShards(tenantNames: Iterable<string>, shards: number): string[][] {
  const out: string[][] = Array.from({ length: shards }, () => []);
  for (const name of tenantNames) out[shardOf(name, shards)].push(name);
  return out;
}
