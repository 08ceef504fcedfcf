import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, ClusterIssuer } from '../imports/cert-manager.io';
import { DEFAULT_PLATFORM_SETTINGS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { CHARTS } from './versions';

/** Annotation that makes Pulumi wait for a condition on an object (pulumi-kubernetes ≥ 4.18). */
const PULUMI_WAIT_FOR = 'pulumi.com/waitFor';

/** The platform wildcard Certificate (gateway namespace) and the Secret the HTTPS listener reads. */
export const WILDCARD_CERTIFICATE = 'tenant-wildcard';
export const WILDCARD_SECRET = 'tenant-wildcard-tls';

/** Let's Encrypt's ACME directories (https://letsencrypt.org/docs/staging-environment/). */
export const LETS_ENCRYPT = {
  staging: { issuer: 'letsencrypt-staging', server: 'https://acme-staging-v02.api.letsencrypt.org/directory' },
  production: { issuer: 'letsencrypt-production', server: 'https://acme-v02.api.letsencrypt.org/directory' },
} as const;

/** kubeconfig mode: the ClusterIssuer signing with the local root CA. */
export const LOCAL_CA_ISSUER = 'tenantscale-ca';
/** The self-signed issuer that signs the local root CA, and the root CA's Certificate and Secret. */
export const LOCAL_SELF_SIGNED_ISSUER = 'tenantscale-selfsigned';
export const LOCAL_ROOT_CA = 'tenantscale-root-ca';

/** The DigitalOcean API token Secret the DNS-01 solver reads (created by the Pulumi program, never synthesized). */
export const DNS_TOKEN_SECRET = { name: 'digitalocean-dns', key: 'access-token' } as const;

export interface CertManagerObjectsProps {
  /**
   * Shared names: the Gateway and its HTTP listener (HTTP-01), the tenant domain (DNS-01).
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * `acme`: Let's Encrypt staging and production ClusterIssuers. `local-ca`: a self-signed root
   * and a CA ClusterIssuer, for a cluster without the internet (kind).
   * @default 'acme'
   */
  readonly issuers?: 'acme' | 'local-ca';
  /**
   * ACME account e-mail (Let's Encrypt's account contact; optional in RFC 8555 §7.3).
   * @default none
   */
  readonly email?: string;
  /**
   * Namespace cert-manager runs in: a ClusterIssuer reads its Secrets (DNS token, root CA) there
   * (the chart's `clusterResourceNamespace`, defaulting to the release namespace).
   * @default CHARTS.certManager.namespace
   */
  readonly namespace?: string;
}

/**
 * The ClusterIssuers every tenantscale Certificate names. ACME: one per Let's Encrypt directory,
 * each with two solvers — DNS-01 through DigitalOcean DNS for names in the tenant domain (the
 * wildcard `*.<tenantDomain>`, which HTTP-01 cannot issue) and, for everything else (customers'
 * own domains), HTTP-01 through the Gateway API: cert-manager creates a temporary HTTPRoute on
 * the shared Gateway's HTTP listener (the `gatewayHTTPRoute` solver, enabled by the controller's
 * Gateway API support). Local: a self-signed root CA and a CA issuer, no network needed.
 */
export class CertManagerObjects extends Construct {
  public readonly issuers: ClusterIssuer[] = [];
  /** kubeconfig mode: the root CA Certificate. */
  public readonly rootCa?: Certificate;
  /** `*.<tenantDomain>` for the Gateway's HTTPS listener; absent without `settings.tls`. */
  public readonly wildcard?: Certificate;

  constructor(scope: Construct, id: string, props: CertManagerObjectsProps = {}) {
    super(scope, id);
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const issuers = props.issuers ?? 'acme';
    const namespace = props.namespace ?? CHARTS.certManager.namespace;
    const labels = { ...PLATFORM_LABELS };
    if (issuers === 'local-ca') {
      const selfSigned = new ClusterIssuer(this, 'self-signed', { metadata: { name: LOCAL_SELF_SIGNED_ISSUER, labels }, spec: { selfSigned: {} } });
      this.rootCa = new Certificate(this, 'root-ca', {
        metadata: { name: LOCAL_ROOT_CA, namespace, labels },
        spec: {
          isCa: true,
          commonName: 'tenantscale local root CA',
          secretName: LOCAL_ROOT_CA,
          privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
          issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: LOCAL_SELF_SIGNED_ISSUER },
        },
      });
      this.rootCa.addDependency(selfSigned);
      const ca = new ClusterIssuer(this, 'ca', { metadata: { name: LOCAL_CA_ISSUER, labels }, spec: { ca: { secretName: LOCAL_ROOT_CA } } });
      ca.addDependency(this.rootCa);
      this.issuers.push(selfSigned, ca);
    } else {
      this.issuers.push(...acmeIssuers(this, settings, props.email, labels));
    }
    const tls = settings.tls;
    if (!tls) return;
    // Pulumi waits until it is issued, so a DNS-01 problem (token, zone) fails the deploy here
    // with the Certificate's condition instead of leaving the HTTPS listener without a Secret.
    this.wildcard = new Certificate(this, 'wildcard', {
      metadata: { name: WILDCARD_CERTIFICATE, namespace: settings.gateway.namespace, labels, annotations: { [PULUMI_WAIT_FOR]: 'condition=Ready' } },
      spec: {
        secretName: WILDCARD_SECRET,
        dnsNames: [`*.${tls.tenantDomain}`],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: tls.issuer },
      },
    });
    for (const issuer of this.issuers) this.wildcard.addDependency(issuer);
  }
}

/** The Let's Encrypt staging and production ClusterIssuers. */
function acmeIssuers(scope: Construct, settings: PlatformSettings, email: string | undefined, labels: Record<string, string>): ClusterIssuer[] {
  const tenantDomain = settings.tls?.tenantDomain;
  return [LETS_ENCRYPT.staging, LETS_ENCRYPT.production].map(
    (env) =>
      new ClusterIssuer(scope, env.issuer, {
        metadata: { name: env.issuer, labels },
        spec: {
          acme: {
            server: env.server,
            ...(email ? { email } : {}),
            privateKeySecretRef: { name: `${env.issuer}-account-key` },
            solvers: [
              // cert-manager picks, per DNS name, the solver whose selector matches the most labels
              // (cert-manager/cert-manager@v1.21.1 pkg/controller/acmeorders/selectors/dns_zones.go:36-53):
              // the tenant domain and names under it go through DNS-01, the rest through HTTP-01.
              ...(tenantDomain
                ? [{ selector: { dnsZones: [tenantDomain] }, dns01: { digitalocean: { tokenSecretRef: { name: DNS_TOKEN_SECRET.name, key: DNS_TOKEN_SECRET.key } } } }]
                : []),
              {
                http01: {
                  gatewayHttpRoute: {
                    parentRefs: [
                      {
                        group: 'gateway.networking.k8s.io',
                        kind: 'Gateway',
                        name: settings.gateway.name,
                        namespace: settings.gateway.namespace,
                        sectionName: settings.gateway.listener,
                      },
                    ],
                  },
                },
              },
            ],
          },
        },
      }),
  );
}
