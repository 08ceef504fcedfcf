/**
 * Runs Pulumi code under the SDK's mocks (no CLI, no credentials, no cluster) and records every
 * resource: what reached the mock monitor (type, name, inputs, provider) and what the program
 * asked for (resource options: dependsOn, ignoreChanges, protect, parent), through an in-process
 * stack transformation. Per platform-facts §C: mocks are set before the code under test is
 * loaded, every run gets a fresh module registry (so one @pulumi/pulumi copy is shared by the
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

/** A registration as the program made it, options included. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly resource: PulumiModule.Resource;
  readonly opts: PulumiModule.CustomResourceOptions & PulumiModule.ComponentResourceOptions;
  /** `type::name` of every explicit dependency. */
  readonly dependsOn: string[];
  /** `type::name` of the parent. */
  readonly parent?: string;
}

export interface RecordedCall {
  readonly token: string;
  readonly inputs: any;
}

export interface MockedRun<T> {
  /** What `load` returned (a module's exports, or components built by the test). */
  readonly value: T;
  readonly pulumi: typeof PulumiModule;
  readonly resources: RecordedResource[];
  readonly registrations: Registration[];
  readonly calls: RecordedCall[];
}

export const MOCK_KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';
export const MOCK_GATEWAY_IP = '203.0.113.42';
export const DOCR_CREDENTIALS = 'digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials';
/** The docker config the mocked DOCR credentials resource returns for `registry`. */
export function mockDockerConfig(registry: string): string {
  return JSON.stringify({ auths: { 'registry.digitalocean.com': { auth: Buffer.from(`mock-${registry}:mock-token`).toString('base64') } } });
}

/**
 * Sets the mocks and config, then calls `load`, which must `require` the code under test (so it
 * comes from the fresh module registry), and waits until every registration reached the monitor.
 */
export async function runWithMocks<T>(load: () => T, config: Record<string, string> = {}): Promise<MockedRun<T>> {
  const run = await execute(load, config);
  if (run.failure !== undefined) throw run.failure;
  return run;
}

/** Like runWithMocks for code that must fail: the error, and what was registered before it (nothing, ideally). */
export async function failWithMocks(
  load: () => unknown,
  config: Record<string, string> = {},
): Promise<{ error: unknown; resources: RecordedResource[]; calls: RecordedCall[] }> {
  const run = await execute(load, config);
  if (run.failure === undefined) throw new Error('expected the code to fail, but it succeeded');
  return { error: run.failure, resources: run.resources, calls: run.calls };
}

async function execute<T>(load: () => T, config: Record<string, string>): Promise<MockedRun<T> & { failure?: unknown }> {
  jest.resetModules();
  // Each fresh SDK copy adds its own process exit listeners.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 100));
  const pulumi = require('@pulumi/pulumi') as typeof PulumiModule;
  const resources: RecordedResource[] = [];
  const calls: RecordedCall[] = [];
  const registrations: Registration[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === 'kubernetes:gateway.networking.k8s.io/v1:Gateway') {
          state.status = { addresses: [{ type: 'IPAddress', value: MOCK_GATEWAY_IP }] };
        }
        if (args.type === DOCR_CREDENTIALS) {
          // What the provider computes (resource_container_registry_docker_credentials.go): the docker config and its expiry.
          state.dockerCredentials = mockDockerConfig(String(args.inputs.registryName));
          state.credentialExpirationTime = '2026-12-15T10:00:00Z';
        }
        return { id: `${args.name}_id`, state };
      },
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs });
        if (args.token === 'digitalocean:index/getKubernetesVersions:getKubernetesVersions') {
          const latest = `${args.inputs.versionPrefix}4-do.0`;
          return { latestVersion: latest, validVersions: [latest], versionPrefix: args.inputs.versionPrefix };
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
  const names = new Map<PulumiModule.Resource, string>();
  let value!: T;
  let failure: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((a) => {
      names.set(a.resource, `${a.type}::${a.name}`);
      const deps = a.opts.dependsOn;
      const list = (Array.isArray(deps) ? deps : deps ? [deps] : []) as PulumiModule.Resource[];
      registrations.push({
        type: a.type,
        name: a.name,
        resource: a.resource,
        opts: a.opts,
        get dependsOn() {
          return list.map((r) => names.get(r) ?? '<unknown>');
        },
        get parent() {
          return a.opts.parent ? names.get(a.opts.parent) : undefined;
        },
      } as Registration);
      return undefined;
    });
    try {
      value = load();
    } catch (err) {
      failure = err;
    }
    return {};
  });
  await settle(resources);
  return { value, pulumi, resources, registrations, calls, failure };
}

/** Waits until no new registration arrives for 50 turns of the event loop (mock responses are immediate). */
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

export const RELEASE = 'kubernetes:helm.sh/v3:Release';
export const byType = (resources: readonly RecordedResource[], type: string) => resources.filter((r) => r.type === type);
/** The Helm release with this release name. */
export function release(resources: readonly RecordedResource[], name: string): RecordedResource {
  const found = resources.find((r) => r.type === RELEASE && r.inputs.name === name);
  if (!found) throw new Error(`no Helm release "${name}" among ${byType(resources, RELEASE).map((r) => r.inputs.name).join(', ')}`);
  return found;
}
export function registration(registrations: readonly Registration[], type: string, name: string): Registration {
  const found = registrations.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no registration ${type}::${name}`);
  return found;
}
