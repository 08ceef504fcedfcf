/**
 * Which built-in kinds are cluster-scoped. A full OpenAPI v2 document (`kubectl get --raw
 * /openapi/v2`) says so through its paths; a bare `definitions` file and the kubernetes-models
 * package do not, so this table (from `kubectl api-resources --namespaced=false` on Kubernetes
 * 1.28–1.34) fills in. Every other built-in kind is namespaced.
 */
import { Scope } from './schema-catalog';

const CLUSTER_SCOPED: Readonly<Record<string, readonly string[]>> = {
  '': ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
  ],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'authentication.k8s.io': ['TokenReview', 'SelfSubjectReview'],
  'authorization.k8s.io': ['SubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'internal.apiserver.k8s.io': ['StorageVersion'],
  'networking.k8s.io': ['IngressClass', 'IPAddress', 'ServiceCIDR'],
  'node.k8s.io': ['RuntimeClass'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'resource.k8s.io': ['DeviceClass', 'ResourceSlice'],
  'scheduling.k8s.io': ['PriorityClass'],
  'storage.k8s.io': ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass'],
  'storagemigration.k8s.io': ['StorageVersionMigration'],
};

/** The scope of a built-in kind by group and kind (version-independent). */
export function builtinScope(group: string, kind: string): Scope {
  return CLUSTER_SCOPED[group]?.includes(kind) ? 'Cluster' : 'Namespaced';
}

/** API groups served by Kubernetes itself (not by a CRD). */
const BUILTIN_GROUPS = new Set([
  ...Object.keys(CLUSTER_SCOPED),
  'apps',
  'autoscaling',
  'batch',
  'policy',
  'extensions',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'metrics.k8s.io',
]);

/** True for the core group and the groups Kubernetes serves itself. */
export function isBuiltinGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group);
}
