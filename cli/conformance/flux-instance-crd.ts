/**
 * The project's own schema of the FluxInstance (fluxcd.controlplane.io/v1), which no pinned
 * upstream CRD covers (/work/shared/crds has none, and nothing fetched is committed). Written by
 * hand from the Go types of the pinned operator, controlplaneio-fluxcd/flux-operator@v0.58.1
 * (commit b3b36020aca1f8d2172c76949c0bcb6bbf688dde) api/v1/fluxinstance_types.go, each field with
 * its line; the chart of that release installs the CRD generated from the same types (the charts
 * repository's scripts/flux-operator.sh builds templates/crds.yaml from flux-operator config/crd
 * at the release tag). `validate --crds DIR` adds it to the catalog unless DIR defines the kind.
 *
 * Covered: every field tenantscale writes (constructs/platform/flux-instance.ts) and the spec
 * fields beside them that take scalars (distribution, components, cluster, sharding, storage,
 * wait, migrateResources), with their enums, patterns, defaults, required fields and CEL rules.
 * Not covered, so refused here as unknown fields although the operator accepts them:
 * spec.commonMetadata, spec.kustomize (kustomize.Patch from fluxcd/pkg) and spec.sync; tenantscale
 * writes none of them. status is left open (the operator writes it, tenantscale never does).
 */
import type { YamlObject } from './yaml-documents';

const string = { type: 'string' } as const;
const boolean = { type: 'boolean' } as const;

/** FluxInstanceSpec, fluxinstance_types.go:23-82. */
const spec = {
  type: 'object',
  required: ['distribution'], // :27 +required
  // :24 XValidation
  'x-kubernetes-validations': [{ rule: "!has(self.sharding) || !has(self.sharding.storage) || self.sharding.storage != 'persistent' || has(self.storage)", message: ".spec.storage must be set when .spec.sharding.storage is 'persistent'" }],
  properties: {
    // Distribution, :84-117.
    distribution: {
      type: 'object',
      required: ['registry', 'version'], // :87, :92 +required
      properties: {
        version: string, // :88
        registry: string, // :93
        variant: { type: 'string', enum: ['upstream-alpine', 'enterprise-alpine', 'enterprise-distroless', 'enterprise-distroless-fips'] }, // :97-99
        imagePullSecret: string, // :104
        artifact: { type: 'string', pattern: '^oci://.*$' }, // :109-111
        artifactPullSecret: string, // :116
      },
    },
    // []Component, :37; Component enum :120.
    components: {
      type: 'array',
      items: { type: 'string', enum: ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller', 'image-reflector-controller', 'image-automation-controller', 'source-watcher'] },
    },
    // Cluster, :142-212.
    cluster: {
      type: 'object',
      // :143 XValidation
      'x-kubernetes-validations': [{ rule: '(has(self.objectLevelWorkloadIdentity) && self.objectLevelWorkloadIdentity) || !has(self.multitenantWorkloadIdentity) || !self.multitenantWorkloadIdentity', message: '.objectLevelWorkloadIdentity must be set to true when .multitenantWorkloadIdentity is set to true' }],
      properties: {
        domain: { type: 'string', default: 'cluster.local' }, // :147-149
        multitenant: { type: 'boolean', default: false }, // :152-154
        multitenantWorkloadIdentity: { type: 'boolean', default: false }, // :157-160
        tenantDefaultServiceAccount: string, // :170
        tenantDefaultDecryptionServiceAccount: string, // :177
        tenantDefaultKubeConfigServiceAccount: string, // :184
        objectLevelWorkloadIdentity: boolean, // :191
        networkPolicy: { type: 'boolean', default: true }, // :195-197
        type: { type: 'string', enum: ['kubernetes', 'openshift', 'aws', 'azure', 'gcp'], default: 'kubernetes' }, // :201-204
        size: { type: 'string', enum: ['small', 'medium', 'large'] }, // :209-211
      },
    },
    // Sharding, :214-232.
    sharding: {
      type: 'object',
      required: ['shards'], // :222 +required
      properties: {
        key: { type: 'string', default: 'sharding.fluxcd.io/key' }, // :216-218
        shards: { type: 'array', minItems: 1, items: string }, // :221-223
        storage: { type: 'string', enum: ['ephemeral', 'persistent'] }, // :229-231
      },
    },
    // Storage, :234-243.
    storage: { type: 'object', required: ['class', 'size'], properties: { class: string, size: string } },
    wait: { type: 'boolean', default: true }, // :65-67
    migrateResources: { type: 'boolean', default: true }, // :72-74
  },
} as const;

/** The CustomResourceDefinition, as `crdCatalog` reads one (scope and names: fluxinstance_types.go:509-524). */
export const FLUX_INSTANCE_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'fluxinstances.fluxcd.controlplane.io' },
  spec: {
    group: 'fluxcd.controlplane.io',
    names: { kind: 'FluxInstance', listKind: 'FluxInstanceList', plural: 'fluxinstances', singular: 'fluxinstance' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} }, // :511
        schema: {
          openAPIV3Schema: {
            type: 'object',
            // :519 XValidation on the root
            'x-kubernetes-validations': [{ rule: "self.metadata.name == 'flux'", message: "the only accepted name for a FluxInstance is 'flux'" }],
            properties: {
              apiVersion: string,
              kind: string,
              metadata: { type: 'object' },
              spec,
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
} as const;

/** The project's CRDs as objects of a pseudo file, for `crdCatalog`. */
export const PROJECT_CRDS: readonly YamlObject[] = [{ file: 'cli/conformance/flux-instance-crd.ts', document: 1, line: 1, value: FLUX_INSTANCE_CRD }];
