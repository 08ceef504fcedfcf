import { parseStackConfig, StackConfigError } from '../../infra/config';
import { fluxArtifact } from '../../infra/flux-artifact';
import { docrPullRegistry } from '../../infra/pull-secrets';

const base = { clusterMode: 'doks', region: 'fra1' };
const problemsOf = (raw: Record<string, unknown>) => {
  try {
    parseStackConfig(raw, true);
    return [];
  } catch (err) {
    if (!(err instanceof StackConfigError)) throw err;
    return err.problems.map((p) => ({ key: p.key, message: p.message }));
  }
};

describe('tenantscale:tenantDelivery and tenantscale:flux', () => {
  test('default: pulumi mode, 16 shards, OCI source, no selector', () => {
    const c = parseStackConfig(base, true);
    expect(c.tenantDelivery).toBe('pulumi');
    expect(c.flux).toEqual({ source: 'oci', shards: 16, interval: '1m', size: 'medium' });
    expect(c.tenantSelector).toBeUndefined();
  });

  test('flux mode with a DOCR artifact: the artifact follows "latest", the stack creates read-only pull credentials', () => {
    const c = parseStackConfig({ ...base, tenantDelivery: 'flux', flux: { url: 'oci://registry.digitalocean.com/acme/tenants', shards: 8 } }, true);
    expect(fluxArtifact(c)).toEqual({ kind: 'oci', url: 'oci://registry.digitalocean.com/acme/tenants', tag: 'latest' });
    expect(docrPullRegistry(c)).toBe('acme');
    expect(docrPullRegistry({ ...c, flux: { ...c.flux, secretName: 'mine' } })).toBeUndefined();
    expect(docrPullRegistry({ ...c, clusterMode: 'kubeconfig' })).toBeUndefined();
  });

  test('flux mode with a Git branch', () => {
    const c = parseStackConfig({ ...base, tenantDelivery: 'flux', flux: { source: 'git', url: 'https://github.com/acme/tenants.git', secretName: 'git-auth' } }, true);
    expect(fluxArtifact(c)).toEqual({ kind: 'git', url: 'https://github.com/acme/tenants.git', branch: 'tenantscale-dist' });
    expect(docrPullRegistry(c)).toBeUndefined();
  });

  test('flux mode without flux.url, or with a URL of the other source kind, is refused', () => {
    expect(problemsOf({ ...base, tenantDelivery: 'flux' })).toEqual([{ key: 'tenantscale:flux.url', message: 'required when tenantDelivery is flux' }]);
    expect(problemsOf({ ...base, tenantDelivery: 'flux', flux: { source: 'git', url: 'oci://registry.digitalocean.com/acme/t' } })).toEqual([
      { key: 'tenantscale:flux.url', message: 'does not match flux.source = git' },
    ]);
  });

  test('flux mode refuses tenantSecrets (the namespaces are Flux\'s); pulumi mode accepts them', () => {
    const secrets = { openclaw: { 'openclaw-whatsapp': { token: 'x' } } };
    expect(problemsOf({ ...base, tenantDelivery: 'flux', flux: { url: 'oci://registry.digitalocean.com/a/b' }, tenantSecrets: secrets })).toEqual([
      { key: 'tenantscale:tenantSecrets', message: 'values for openclaw, but in flux mode Flux creates the tenant namespaces, so Pulumi cannot create Secrets in them' },
    ]);
    expect(problemsOf({ ...base, tenantSecrets: secrets })).toEqual([]);
  });

  test('shards outside 1..256 and an unknown delivery are refused naming the key', () => {
    expect(problemsOf({ ...base, flux: { shards: 0 } }).map((p) => p.key)).toEqual(['tenantscale:flux.shards']);
    expect(problemsOf({ ...base, flux: { shards: 257 } }).map((p) => p.key)).toEqual(['tenantscale:flux.shards']);
    expect(problemsOf({ ...base, tenantDelivery: 'argo' }).map((p) => p.key)).toEqual(['tenantscale:tenantDelivery']);
  });

  test('tenantSelector: a valid selector is kept, a bad operator is refused naming the key', () => {
    const c = parseStackConfig({ ...base, tenantSelector: { matchLabels: { region: 'eu' } } }, true);
    expect(c.tenantSelector).toEqual({ matchLabels: { region: 'eu' }, matchExpressions: [] });
    expect(problemsOf({ ...base, tenantSelector: { matchExpressions: [{ key: 'tier', operator: 'Near', values: ['x'] }] } }).map((p) => p.key)).toEqual([
      'tenantscale:tenantSelector.matchExpressions[0].operator',
    ]);
  });
});
