/** The Secrets and ConfigMaps tenants reference, against the stack's `tenantSecrets` and `tenantConfigMaps`. */
import { ConfigProblem, PROJECT, StackConfig } from './config';

/** A Secret a tenant's env or a queue trigger references, as `tenantscale:tenantSecrets.<tenant>.<secret>.<key>`. */
export interface SecretReference {
  readonly tenant: string;
  readonly secret: string;
  readonly key: string;
  /**
   * What reads it: `env FOO`, `triggers[0] (kafka)`.
   * @default 'env'
   */
  readonly use?: string;
}

/**
 * Cross-checks `tenantSecrets` against the tenant list. Values for an unknown tenant, Secret or
 * key are problems (a typo would otherwise leave the tenant waiting for its Secret); references
 * without a value are returned as `missing`: that Secret must then be created some other way
 * (kubectl, External Secrets, …) and the tenant's pods wait for it.
 */
export function checkTenantSecrets(
  tenantSecrets: StackConfig['tenantSecrets'],
  references: readonly SecretReference[],
): { problems: ConfigProblem[]; missing: SecretReference[] } {
  const problems: ConfigProblem[] = [];
  const wanted = new Set(references.map((r) => `${r.tenant}/${r.secret}/${r.key}`));
  for (const [tenant, secrets] of Object.entries(tenantSecrets)) {
    for (const [secret, keys] of Object.entries(secrets)) {
      for (const key of Object.keys(keys)) {
        if (wanted.has(`${tenant}/${secret}/${key}`)) continue;
        const used = [...new Set(references.filter((r) => r.tenant === tenant).map((r) => `${r.secret}.${r.key}`))];
        problems.push({
          key: `${PROJECT}:tenantSecrets.${tenant}.${secret}.${key}`,
          value: '<secret>',
          message: `no env variable or queue trigger of tenant "${tenant}" references Secret "${secret}" key "${key}"`,
          allowed: used.length ? `for tenant "${tenant}": ${used.join(', ')}` : `nothing: tenant "${tenant}" references no Secret (or is not in the tenant list)`,
          fix: `pulumi config rm --path '${PROJECT}:tenantSecrets.${tenant}.${secret}.${key}', or reference it in the tenant's env as {secret: ${secret}, key: ${key}} (a trigger reads the keys its type needs: kafka username/password/ca, redis password, rabbitmq host)`,
        });
      }
    }
  }
  const seen = new Set<string>();
  // One entry per Secret key (env and a trigger may both read it).
  const missing = references.filter((r) => {
    const id = `${r.tenant}/${r.secret}/${r.key}`;
    if (tenantSecrets[r.tenant]?.[r.secret]?.[r.key] !== undefined || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { problems, missing };
}

/** A ConfigMap a tenant references (`coldStart.placeholder.configMap`), as `tenantscale:tenantConfigMaps.<tenant>.<configMap>.<key>`. */
export interface ConfigMapReference {
  readonly tenant: string;
  readonly configMap: string;
  /** The key read; undefined: the interceptor derives it from the request path (`index.html` for `/`). */
  readonly key?: string;
  /** The tenant field that names it. */
  readonly use: string;
}

/**
 * Cross-checks `tenantConfigMaps` against the tenant list, as `checkTenantSecrets` does Secrets:
 * a ConfigMap or key no tenant references is a problem (a typo would leave the placeholder
 * without its body); a reference without data is `missing` (created outside Pulumi, or the
 * interceptor answers without the page). Pure.
 */
export function checkTenantConfigMaps(
  tenantConfigMaps: StackConfig['tenantConfigMaps'],
  references: readonly ConfigMapReference[],
): { problems: ConfigProblem[]; missing: ConfigMapReference[] } {
  const problems: ConfigProblem[] = [];
  for (const [tenant, maps] of Object.entries(tenantConfigMaps)) {
    for (const [configMap, data] of Object.entries(maps)) {
      const refs = references.filter((r) => r.tenant === tenant && r.configMap === configMap);
      const used = references.filter((r) => r.tenant === tenant).map((r) => `${r.configMap}${r.key !== undefined ? `.${r.key}` : ''} (${r.use})`);
      const unused = refs.length === 0 ? [undefined] : refs.every((r) => r.key === undefined) ? [] : Object.keys(data).filter((k) => !refs.some((r) => r.key === k));
      for (const key of unused) {
        problems.push({
          key: `${PROJECT}:tenantConfigMaps.${tenant}.${configMap}${key !== undefined ? `.${key}` : ''}`,
          message: key === undefined ? `tenant "${tenant}" references no ConfigMap "${configMap}"` : `tenant "${tenant}" reads ConfigMap "${configMap}" but not its key "${key}"`,
          allowed: used.length ? `for tenant "${tenant}": ${used.join(', ')}` : `nothing: tenant "${tenant}" references no ConfigMap (or is not in the tenant list)`,
          fix: `pulumi config rm --path '${PROJECT}:tenantConfigMaps.${tenant}.${configMap}${key !== undefined ? `.${key}` : ''}', or set coldStart.placeholder.configMap: {name: ${configMap}${key !== undefined ? `, key: ${key}` : ''}} in the tenant list`,
        });
      }
    }
  }
  const missing = references.filter((r) => {
    const data = tenantConfigMaps[r.tenant]?.[r.configMap];
    return data === undefined || (r.key !== undefined ? data[r.key] === undefined : Object.keys(data).length === 0);
  });
  return { problems, missing };
}
