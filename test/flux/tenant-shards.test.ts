import { assignShards, jumpConsistentHash, MAX_SHARDS, shardId, shardOf } from '../../constructs/platform/tenant-shards';
import { fluxLayoutFiles } from '../../cli/flux-layout';

const names = (n: number, prefix = 'tenant-') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('shard assignment', () => {
  test('stable: a tenant lands in the same shard on every call, whatever the other tenants or their order', () => {
    const all = names(2000);
    const forward = new Map(all.map((n) => [n, shardOf(n, 16)]));
    const reversed = assignShards([...all].reverse(), 16);
    reversed.forEach((shard, i) => shard.forEach((n) => expect(forward.get(n)).toBe(i)));
    // Fixed values: a change of hash or algorithm would move every tenant of every stack.
    expect(['ahmed', 'fatima', 'openclaw'].map((n) => shardOf(n, 4))).toEqual([3, 3, 0]);
  });

  test('balanced: 10,000 tenants over 16 shards, every shard within 10 % of the mean (625)', () => {
    const sizes = assignShards(names(10_000), 16).map((s) => s.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    for (const size of sizes) expect(Math.abs(size - 625)).toBeLessThan(62.5);
  });

  test('balanced for names that differ in one character only (the hash, not the name order, decides)', () => {
    const sizes = assignShards(names(4096, 'a'), 8).map((s) => s.length);
    for (const size of sizes) expect(Math.abs(size - 512)).toBeLessThan(64);
  });

  test('one shard: everything in shard 0', () => {
    expect(names(50).every((n) => shardOf(n, 1) === 0)).toBe(true);
  });

  test('consistent: going from 16 to 17 shards moves about 1/17 of the tenants, all into the new shard', () => {
    const all = names(10_000);
    const moved = all.filter((n) => shardOf(n, 16) !== shardOf(n, 17));
    expect(moved.length).toBeGreaterThan(10_000 / 17 - 100);
    expect(moved.length).toBeLessThan(10_000 / 17 + 100);
    expect(moved.every((n) => shardOf(n, 17) === 16)).toBe(true);
  });

  test('jump hash gives the published test vectors of the Go implementations (dgryski/go-jump jump_test.go)', () => {
    expect(jumpConsistentHash(1n, 1)).toBe(0);
    expect(jumpConsistentHash(42n, 57)).toBe(43);
    expect(jumpConsistentHash(0xdead10ccn, 1)).toBe(0);
    expect(jumpConsistentHash(0xdead10ccn, 666)).toBe(361);
    expect(jumpConsistentHash(256n, 1024)).toBe(520);
  });

  test('jump hash refuses a bucket count below 1 or not whole; ids are three digits', () => {
    expect(() => jumpConsistentHash(1n, 0)).toThrow(RangeError);
    expect(() => jumpConsistentHash(1n, 1.5)).toThrow(RangeError);
    expect(jumpConsistentHash(0n, 1)).toBe(0);
    expect(shardId(7)).toBe('007');
    expect(shardId(MAX_SHARDS - 1)).toBe('255');
  });
});

describe('shard kustomizations (synth --stack, flux mode)', () => {
  test('adding one tenant changes exactly one shard file, by one line', () => {
    const before = fluxLayoutFiles(names(500), 16, []);
    const after = fluxLayoutFiles([...names(500), 'newcomer'], 16, []);
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
    expect(changed).toEqual([`shards/${shardId(shardOf('newcomer', 16))}/kustomization.yaml`]);
    const added = after.get(changed[0])!.split('\n').filter((l) => !before.get(changed[0])!.split('\n').includes(l));
    expect(added).toEqual(['  - ../../tenants/newcomer.yaml']);
  });

  test('every shard has a file (an emptied shard prunes its tenants), plus the gate\'s empty one', () => {
    const files = fluxLayoutFiles(['ahmed'], 4, []);
    expect([...files.keys()].sort()).toEqual([
      'flux/delivery.yaml',
      'shards/000/kustomization.yaml',
      'shards/001/kustomization.yaml',
      'shards/002/kustomization.yaml',
      'shards/003/kustomization.yaml',
      'shards/ready/kustomization.yaml',
    ]);
    expect(files.get('shards/ready/kustomization.yaml')).toContain('resources: []');
    expect(files.get(`shards/${shardId(shardOf('ahmed', 4))}/kustomization.yaml`)).toContain('resources:\n  - ../../tenants/ahmed.yaml\n');
  });
});
