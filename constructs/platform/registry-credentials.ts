import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';

/** Seconds in a day. */
const DAY = 86_400;

/** Where one pull Secret gets its docker config. */
export type RegistryCredentialSource =
  | {
      /** A DigitalOcean Container Registry: the stack creates read-only credentials for it. */
      readonly digitalOceanRegistry: string;
      /** Days between rotations; the credentials live twice as long. */
      readonly rotationDays: number;
    }
  | {
      /** A docker config JSON from Pulumi secret config (any registry; kubeconfig mode). */
      readonly dockerConfigJson: pulumi.Input<string>;
    };

export interface RegistryCredentialsArgs {
  /** The sources of the pull Secrets the tenants name (`imagePullSecret`), by Secret name. */
  readonly sources: Readonly<Record<string, RegistryCredentialSource>>;
  /**
   * The time of this run: picks the rotation window of DOCR credentials.
   * @default new Date()
   */
  readonly now?: Date;
}

/**
 * The docker configs of the stack's image pull Secrets. A DigitalOcean Container Registry source
 * becomes one `digitalocean.ContainerRegistryDockerCredentials` (read-only, `write: false`); a
 * `dockerConfigJson` source is passed through as a secret. Every value is a secret output: the
 * Pulumi program writes it into Secrets of the tenant namespaces (TenantWorkloads), never into
 * dist/ and never to the console.
 *
 * Rotation. The provider regenerates DOCR credentials only in Read, and only once they have
 * expired (digitalocean/terraform-provider-digitalocean@v2.99.1
 * digitalocean/registry/resource_container_registry_docker_credentials.go:208-239,
 * `updateExpiredDockerCredentials`); a plain `pulumi up` does not call Read, so left alone the
 * token expires and pulls fail until someone runs a refresh. Here the credentials are instead
 * replaced at the first `pulumi up` of every window of `rotationDays` days (counted from the Unix
 * epoch; `replacementTrigger`), with `expirySeconds` = 2 × rotationDays: a deploy at least once
 * per window keeps a valid token in every pull Secret. Pulumi replaces create-before-delete, so
 * the Secrets get the new token before the old resource is deleted, and deleting it revokes the
 * old token (same file :138-158, RevokeOAuthToken; best effort: a failed revocation is not
 * reported). The file is unchanged from v2.71.0 to v2.99.1.
 */
export class RegistryCredentials extends pulumi.ComponentResource {
  /** `.dockerconfigjson` of each pull Secret, by Secret name (secret outputs). */
  public readonly dockerConfigJsons: Record<string, pulumi.Output<string>>;
  /** The DOCR credentials resources, by Secret name. */
  public readonly digitalOcean: Record<string, digitalocean.ContainerRegistryDockerCredentials>;
  /** When each DOCR credential expires (RFC 3339), by Secret name. */
  public readonly expiresAt: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: RegistryCredentialsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:RegistryCredentials', name, {}, opts);
    const now = args.now ?? new Date();
    this.dockerConfigJsons = {};
    this.digitalOcean = {};
    this.expiresAt = {};
    for (const [secretName, source] of Object.entries(args.sources)) {
      if ('dockerConfigJson' in source) {
        this.dockerConfigJsons[secretName] = pulumi.secret(source.dockerConfigJson);
        continue;
      }
      const credentials = new digitalocean.ContainerRegistryDockerCredentials(
        `${name}-${secretName}`,
        { registryName: source.digitalOceanRegistry, write: false, expirySeconds: 2 * source.rotationDays * DAY },
        { parent: this, replacementTrigger: rotationWindow(now, source.rotationDays) },
      );
      this.digitalOcean[secretName] = credentials;
      this.dockerConfigJsons[secretName] = pulumi.secret(credentials.dockerCredentials);
      this.expiresAt[secretName] = credentials.credentialExpirationTime;
    }
    this.registerOutputs({ expiresAt: this.expiresAt });
  }
}

/** The start (UTC date) of the rotation window `now` falls in: windows of `days` days from the Unix epoch. Pure. */
export function rotationWindow(now: Date, days: number): string {
  const length = days * DAY * 1000;
  return new Date(Math.floor(now.getTime() / length) * length).toISOString().slice(0, 10);
}
