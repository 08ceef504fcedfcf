import { parseStackConfig } from '../../infra/config';
import { dominantShare, newNode, PoolSpec } from '../../simulate/cluster-autoscaler';
import { DEFAULT_PRICES, hourlyRate } from '../../core/prices';
import { builtinProfile, Profile } from '../../simulate/profile';
import { simulate } from '../../simulate/simulation';
import { validateTenantsText } from '../../tenants/validate';

const quiet: Profile = { ...builtinProfile('assistant', { days: 1 }), traffic: { ...builtinProfile('assistant').traffic, conversationsPerDay: 0 } };

function stackWith(gpuSize: string) {
  return parseStackConfig(
    {
      region: 'tor1',
      nodePools: [
        { name: 'default', size: 's-4vcpu-8gb', min: 1, max: 3 },
        { name: 'gpu', size: gpuSize, min: 1, max: 1, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] },
      ],
    },
    true,
  );
}

function embeddings() {
  const r = validateTenantsText(
    [
      'tenants:',
      '  - name: embed',
      '    hosts: [embed.example.com]',
      '    image: ghcr.io/stefanprodan/podinfo:6.7.1',
      '    port: 9898',
      '    probes: { readiness: /readyz, liveness: /healthz }',
      '    nodePool: gpu',
      '    resources: { requests: { cpu: "1", memory: 4Gi }, limits: { cpu: "2", memory: 4Gi, gpu: 1 } }',
      '    scaling: { min: 1, max: 1, metric: { requestRate: { target: 10 } } }',
    ].join('\n'),
  );
  expect(r.problems).toEqual([]);
  return r.tenants;
}

describe('GPU Droplet sizes are priced', () => {
  test.each([
    ['gpu-4000adax1-20gb', 0.76],
    ['gpu-6000adax1-48gb', 1.89],
    ['gpu-l40sx1-48gb', 1.57],
    ['gpu-h100x1-80gb', 3.39],
    ['gpu-h100x8-640gb', 23.92],
  ])('%s costs $%s an hour, the published rate', (slug, hourly) => {
    const size = DEFAULT_PRICES.nodeSizes[slug];
    expect(hourlyRate(size.monthlyUsd, DEFAULT_PRICES)).toBeCloseTo(hourly, 10);
    expect(size.gpus).toBe(slug === 'gpu-h100x8-640gb' ? 8 : 1);
  });

  test('a GPU size without a price (AMD MI300X) is still refused, naming the size and the fix', () => {
    expect(() => simulate({ tenants: embeddings(), stack: stackWith('gpu-mi300x1-192gb'), stackName: 'test', profile: quiet })).toThrow(/nodePools\[1\]\.size = "gpu-mi300x1-192gb": no price for this Droplet size/);
  });
});

describe('cost is attributed by the scarcest resource a tenant holds', () => {
  test('the embeddings tenant holding the L40S node\'s only GPU is charged the whole node, not its 4Gi memory share', () => {
    const r = simulate({ tenants: embeddings(), stack: stackWith('gpu-l40sx1-48gb'), stackName: 'test', profile: quiet });
    expect(r.unschedulable).toEqual([]);
    const gpuPool = r.pools.find((p) => p.name === 'gpu')!;
    expect(gpuPool.monthlyCost).toBeCloseTo(1055.04, 2);
    const embed = r.perTenant.find((t) => t.name === 'embed')!;
    // Memory share alone would be 4Gi of 57Gi allocatable ≈ 7 % ($74).
    expect(embed.monthlyCost).toBeCloseTo(1055.04, 0);
  });

  test('dominantShare: the largest of the CPU, memory and GPU fractions', () => {
    const spec: PoolSpec = { name: 'gpu', size: 'gpu-l40sx1-48gb', min: 0, max: 1, tenantEligible: false, cpuAllocMilli: 7200, memAllocBytes: 57 * 1024 ** 3, gpuAlloc: 1, secondPrice: 0 };
    const node = newNode(0, 0, spec, 0, { cpuMilli: 0, memoryBytes: 0 });
    expect(dominantShare(node, 1000, 4 * 1024 ** 3, 1)).toBe(1);
    expect(dominantShare(node, 3600, 4 * 1024 ** 3, 0)).toBe(0.5);
    expect(dominantShare({ ...node, gpuAlloc: 0 }, 720, 57 * 1024 ** 3)).toBe(1);
  });
});
