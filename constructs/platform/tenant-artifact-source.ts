import { Construct } from 'constructs';
import { GitRepository, OciRepository, OciRepositorySpecProvider } from '../imports/source.toolkit.fluxcd.io';
import { PLATFORM_LABELS } from '../platform-settings';

/** Where the deploy workflow publishes the synthesized tenants (`synth` output). */
export type TenantArtifact =
  | {
      /** An OCI artifact (`flux push artifact`), e.g. on DigitalOcean Container Registry. */
      readonly kind: 'oci';
      /** `oci://registry.digitalocean.com/<registry>/<repository>` */
      readonly url: string;
      /** The tag Flux follows; the workflow pushes `:<commit>` and moves this tag to it. */
      readonly tag: string;
    }
  | {
      /** A Git branch the workflow force-pushes the synth output to. */
      readonly kind: 'git';
      /** `https://…` or `ssh://…` clone URL. */
      readonly url: string;
      readonly branch: string;
    };

export interface TenantArtifactSourceProps {
  /** Object name (the Kustomizations' `sourceRef.name`). */
  readonly name: string;
  /** Namespace of Flux. */
  readonly namespace: string;
  readonly artifact: TenantArtifact;
  /**
   * How often Flux looks for a new artifact.
   * @default '1m'
   */
  readonly interval?: string;
  /**
   * A Secret in `namespace` with the pull credentials (`kubernetes.io/dockerconfigjson` for OCI,
   * username/password or SSH key for Git).
   * @default none (a public artifact)
   */
  readonly secretName?: string;
}

/**
 * The Flux source of the tenant artifact: an OCIRepository (source.toolkit.fluxcd.io/v1,
 * source-controller v1.9.1) following one tag, or a GitRepository following one branch.
 */
export class TenantArtifactSource extends Construct {
  /** `sourceRef` for a Kustomization. */
  public readonly ref: { readonly kind: 'OCIRepository' | 'GitRepository'; readonly name: string };

  constructor(scope: Construct, id: string, props: TenantArtifactSourceProps) {
    super(scope, id);
    const interval = props.interval ?? '1m';
    const metadata = { name: props.name, namespace: props.namespace, labels: { ...PLATFORM_LABELS } };
    const secretRef = props.secretName ? { secretRef: { name: props.secretName } } : {};
    if (props.artifact.kind === 'oci') {
      new OciRepository(this, 'source', {
        metadata,
        spec: {
          url: props.artifact.url,
          ref: { tag: props.artifact.tag },
          interval,
          // DOCR is a plain registry: credentials come from the pull Secret, not a cloud identity.
          provider: OciRepositorySpecProvider.GENERIC,
          ...secretRef,
        },
      });
      this.ref = { kind: 'OCIRepository', name: props.name };
    } else {
      new GitRepository(this, 'source', {
        metadata,
        spec: { url: props.artifact.url, ref: { branch: props.artifact.branch }, interval, ...secretRef },
      });
      this.ref = { kind: 'GitRepository', name: props.name };
    }
  }
}
