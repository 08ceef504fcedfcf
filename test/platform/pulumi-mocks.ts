/**
 * Runs Pulumi code under the SDK's mocks (no CLI, no credentials, no cluster) and records every
 * resource registration and invoke. Per platform-facts §C: mocks are set before the code under test
 * is loaded, every run gets a fresh module registry (so one @pulumi/pulumi copy is shared by the
 * mocks, the providers and the program), and config is set with setAllConfig before loading.
 */
import type * as PulumiModule from '@pulumi/pulumi';

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
  /** The provider reference (`urn::id`) for custom resources that were given one. */
  readonly provider?: string;
}

export interface RecordedCall {
  readonly token: string;
  readonly inputs: any;
}

export interface MockedRun<T> {
  readonly module: T;
  readonly pulumi: typeof PulumiModule;
  readonly resources: RecordedResource[];
  readonly calls: RecordedCall[];
}

export const MOCK_KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';

/**
 * Loads `modulePath` (an absolute path) with mocks in place and waits until every registration
 * has reached the mock monitor.
 */
export async function runWithMocks<T>(modulePath: string, config: Record<string, string> = {}): Promise<MockedRun<T>> {
  jest.resetModules();
  const pulumi = require('@pulumi/pulumi') as typeof PulumiModule;
  const resources: RecordedResource[] = [];
  const calls: RecordedCall[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === 'kubernetes:gateway.networking.k8s.io/v1:Gateway') {
          state.status = { addresses: [{ type: 'IPAddress', value: '203.0.113.42' }] };
        }
        return { id: `${args.name}_id`, state };
      },
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs });
        if (args.token === 'digitalocean:index/getKubernetesVersions:getKubernetesVersions') {
          return { latestVersion: `${args.inputs.versionPrefix}4-do.0`, validVersions: [`${args.inputs.versionPrefix}4-do.0`], versionPrefix: args.inputs.versionPrefix };
        }
        if (args.token === 'digitalocean:index/getKubernetesCluster:getKubernetesCluster') {
          return { ...args.inputs, id: 'cluster_id', kubeConfigs: [{ rawConfig: MOCK_KUBECONFIG }] };
        }
        return args.inputs;
      },
    },
    'tenantscale',
    'dev',
    false,
  );
  pulumi.runtime.setAllConfig(config);
  const module = require(modulePath) as T;
  await settle(resources);
  return { module, pulumi, resources, calls };
}

/** Waits until no new registration arrives for a while (mock responses resolve on the microtask/immediate queues). */
async function settle(resources: RecordedResource[]): Promise<void> {
  let stable = 0;
  let last = -1;
  while (stable < 50) {
    await new Promise((r) => setImmediate(r));
    if (resources.length === last) stable++;
    else {
      stable = 0;
      last = resources.length;
    }
  }
}

/** Resolves an Output's value. */
export function valueOf<T>(output: PulumiModule.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

export const byType = (resources: readonly RecordedResource[], type: string) => resources.filter((r) => r.type === type);
export const release = (resources: readonly RecordedResource[], name: string) =>
  resources.find((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.name === name);
