import * as pulumi from '@pulumi/pulumi';
import { Manifest } from '../manifests';
import { kubernetesResource } from './kubernetes-resource';
import { PLATFORM_DEFAULT_DENY } from './platform-network-policies';

export interface PlatformNetworkPolicyResourcesArgs {
  /** Exactly `platformNetworkPolicyManifests()`: NetworkPolicies of the platform namespaces. */
  readonly manifests: readonly Manifest[];
  /** By namespace, what creates it (the chart's component); a manifest in another namespace is refused. */
  readonly after: Readonly<Record<string, readonly pulumi.Resource[]>>;
}

/**
 * The platform namespaces' NetworkPolicies as Pulumi resources, one each, each after the chart
 * that creates its namespace. In each namespace the allow policies come first and the default-deny
 * last, so no pod is isolated before its allowed flows exist.
 */
export class PlatformNetworkPolicyResources extends pulumi.ComponentResource {
  /** The applied policies, allows before each namespace's default-deny. */
  public readonly policies: pulumi.CustomResource[];

  constructor(name: string, args: PlatformNetworkPolicyResourcesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:PlatformNetworkPolicies', name, {}, opts);
    this.policies = [];
    const byNamespace = new Map<string, Manifest[]>();
    for (const m of args.manifests) {
      const ns = m.metadata.namespace ?? '';
      if (!args.after[ns]) {
        throw new Error(`PlatformNetworkPolicyResources: ${m.kind} "${m.metadata.name}" is in namespace "${ns}", which no installed chart creates; allowed: ${Object.keys(args.after).join(', ')}; fix: pass the namespace's chart in \`after\``);
      }
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), m]);
    }
    for (const [ns, manifests] of byNamespace) {
      const chart = args.after[ns];
      const allows = manifests.filter((m) => m.metadata.name !== PLATFORM_DEFAULT_DENY).map((m) => kubernetesResource(m, { parent: this, dependsOn: [...chart] }));
      const denies = manifests.filter((m) => m.metadata.name === PLATFORM_DEFAULT_DENY).map((m) => kubernetesResource(m, { parent: this, dependsOn: [...chart, ...allows] }));
      this.policies.push(...allows, ...denies);
    }
    this.registerOutputs({});
  }
}
