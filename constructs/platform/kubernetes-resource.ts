/**
 * From a synthesized manifest to a typed Pulumi resource, one object each, so Pulumi tracks,
 * diffs, orders and deletes every object the constructs produce. Built-in kinds need their own
 * class (their type token is `kubernetes:apps/v1:Deployment`, not something derivable from the
 * manifest); custom resources all use `apiextensions.CustomResource`.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Manifest } from '../manifests';

type ResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** Built-in kinds by `apiVersion/kind`. */
export const BUILTIN_KINDS: Readonly<Record<string, ResourceClass>> = {
  'v1/Namespace': k8s.core.v1.Namespace,
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Secret': k8s.core.v1.Secret,
  'v1/ResourceQuota': k8s.core.v1.ResourceQuota,
  'v1/LimitRange': k8s.core.v1.LimitRange,
  'v1/PersistentVolumeClaim': k8s.core.v1.PersistentVolumeClaim,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'apps/v1/StatefulSet': k8s.apps.v1.StatefulSet,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
  'rbac.authorization.k8s.io/v1/Role': k8s.rbac.v1.Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': k8s.rbac.v1.RoleBinding,
  'batch/v1/CronJob': k8s.batch.v1.CronJob,
};

/** API groups served by Kubernetes itself; any other group is a CRD's. */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'flowcontrol.apiserver.k8s.io',
]);

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether the object is a custom resource (its kind is defined by a CRD some chart installs). */
export function isCustomResource(manifest: Pick<Manifest, 'apiVersion'>): boolean {
  return !BUILTIN_GROUPS.has(apiGroup(manifest.apiVersion));
}

/** A Pulumi resource name unique within the stack: `<namespace>-<kind>-<name>` (`cluster` when cluster-scoped). */
export function resourceName(manifest: Manifest): string {
  return `${manifest.metadata.namespace ?? 'cluster'}-${manifest.kind.toLowerCase()}-${manifest.metadata.name}`;
}

/** Creates the Pulumi resource for one manifest, exactly as synthesized. */
export function kubernetesResource(manifest: Manifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const name = resourceName(manifest);
  if (isCustomResource(manifest)) {
    return new k8s.apiextensions.CustomResource(name, manifest as k8s.apiextensions.CustomResourceArgs, opts);
  }
  const cls = BUILTIN_KINDS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!cls) {
    throw new Error(
      `kubernetesResource: ${manifest.apiVersion} ${manifest.kind} "${manifest.metadata.name}" has no Pulumi class mapped; ` +
        `allowed: ${Object.keys(BUILTIN_KINDS).join(', ')} or a custom resource; fix: add the kind to BUILTIN_KINDS in constructs/platform/kubernetes-resource.ts`,
    );
  }
  return new cls(name, manifest, opts);
}
