/**
 * The shapes every policy rule shares. Rules are pure functions: plain Kubernetes objects (or, for
 * the Pulumi-only rules, registered resources) in, violations out. The same functions back
 * `tenantscale check` and the CrossGuard pack.
 */
import type { PlatformSettings } from '../constructs/platform-settings';

/** CrossGuard's two enforcement levels we use: mandatory fails `pulumi preview` and `tenantscale check`. */
export type Level = 'mandatory' | 'advisory';

/** One broken expectation on one object. */
export interface Violation {
  /** Kebab-case rule name, e.g. `autoscaler-owns-replicas`. */
  rule: string;
  level: Level;
  /** The object's namespace; '' for cluster-scoped objects and Pulumi resources. */
  namespace: string;
  kind: string;
  name: string;
  /** What is wrong and the failure a user would see. */
  message: string;
  /** One line: what to change. */
  fix: string;
}

/** A plain Kubernetes object as found in a manifest file or a Pulumi resource's inputs. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

/** A resource as Pulumi registers it (CrossGuard `PolicyResource` without the methods). */
export interface RegisteredResource {
  /** Pulumi type token, e.g. `kubernetes:helm.sh/v3:Release`. */
  type: string;
  /** The Pulumi resource name. */
  name: string;
  props: Record<string, unknown>;
  /** @default undefined (the offline tests have no URNs) */
  urn?: string;
}

/** What every rule declares about itself; the docs table and the CrossGuard policies are built from it. */
export interface RuleInfo {
  /** Kebab-case, unique. */
  readonly name: string;
  readonly level: Level;
  /** Why the rule exists: the failure a user would see without it. */
  readonly description: string;
  /** The lesson pitfall it encodes (for docs/policies.md). */
  readonly pitfall: string;
}

/** Options every manifest rule receives. */
export interface RuleOptions {
  /**
   * Names of the shared platform objects (interceptor Service, Gateway, tenant namespace label).
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
}

/** A rule over plain Kubernetes objects (all of them at once: most pitfalls span objects). */
export interface ManifestRule extends RuleInfo {
  readonly check: (objects: readonly KubeObject[], options?: RuleOptions) => Violation[];
}

/** A rule over the resources a Pulumi program registers (Helm releases, DOKS node pools, k8s objects). */
export interface ResourceRule extends RuleInfo {
  readonly check: (resources: readonly RegisteredResource[]) => Violation[];
}
