import { chooseExpansionPool, fits, leastAllocatedScore, newNode, pickNode, PoolSpec, podsFitElsewhere, utilization } from '../../simulate/cluster-autoscaler';

const GiB = 1024 ** 3;
const pool = (name: string, cpu: number, memGiB: number): PoolSpec => ({ name, size: name, min: 1, max: 5, tenantEligible: true, cpuAllocMilli: cpu, memAllocBytes: memGiB * GiB, secondPrice: 0 });
const noDs = { cpuMilli: 0, memoryBytes: 0 };

describe('cluster autoscaler pieces', () => {
  it('utilization is the larger of requested CPU and memory over allocatable (simulator/utilization.go)', () => {
    const n = newNode(0, 0, pool('a', 2000, 4), 0, noDs);
    n.cpuUsed = 500;
    n.memUsed = 3 * GiB;
    expect(utilization(n)).toBe(0.75);
  });
  it('placement prefers the least allocated node with room (LeastAllocated)', () => {
    const a = newNode(0, 0, pool('a', 2000, 4), 0, noDs);
    const b = newNode(1, 0, pool('a', 2000, 4), 0, noDs);
    a.memUsed = 2 * GiB;
    expect(pickNode([a, b], () => true, 100, GiB)).toBe(b);
    b.memUsed = 3.5 * GiB;
    expect(pickNode([a, b], () => true, 100, GiB)).toBe(a);
    expect(fits(b, 100, GiB)).toBe(false);
    expect(leastAllocatedScore(a, 0, 0)).toBe(0.75);
  });
  it('a node is removable only when its pods fit on the others', () => {
    const a = newNode(0, 0, pool('a', 2000, 4), 0, noDs);
    const other = newNode(1, 0, pool('a', 2000, 4), 0, noDs);
    other.memUsed = 3 * GiB;
    expect(podsFitElsewhere(a, [{ cpu: 100, mem: GiB }], [other])).toBe(true);
    expect(podsFitElsewhere(a, [{ cpu: 100, mem: GiB }, { cpu: 100, mem: GiB }], [other])).toBe(false);
  });
  it('least-waste picks the pool whose new node wastes least; without expanders the first pool', () => {
    const pools = [pool('big', 8000, 32), pool('small', 2000, 4)];
    expect(chooseExpansionPool([0, 1], pools, { cpu: 1000, mem: 2 * GiB }, ['least-waste'])).toBe(1);
    expect(chooseExpansionPool([0, 1], pools, { cpu: 1000, mem: 2 * GiB })).toBe(0);
    expect(chooseExpansionPool([], pools, { cpu: 1, mem: 1 })).toBeUndefined();
  });
});
