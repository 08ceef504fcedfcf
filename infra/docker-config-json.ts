/** The docker config JSON a `kubernetes.io/dockerconfigjson` Secret holds: what the kubelet can read of it. */

/**
 * Why a docker config JSON cannot be a `kubernetes.io/dockerconfigjson` Secret's value, or
 * undefined. The API server only requires `.dockerconfigjson` to be a JSON object
 * (kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateSecret, case
 * SecretTypeDockerConfigJson); the kubelet then reads only `auths`, each entry's `auth` as
 * base64 of "user:password" or its `username` and `password` (pkg/credentialprovider/config.go
 * DockerConfigJson, DockerConfigEntry.UnmarshalJSON, decodeDockerConfigFieldAuth). So a config
 * that relies on credsStore/credHelpers, or has a broken `auth`, is refused here instead of
 * failing as ImagePullBackOff. Never quotes the value. Pure.
 */
export function dockerConfigJsonReason(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'it is not a JSON object';
  const auths = (parsed as { auths?: unknown }).auths;
  if (auths === null || typeof auths !== 'object' || Array.isArray(auths) || Object.keys(auths).length === 0) {
    return 'it has no "auths" object naming at least one registry (a config that relies on credsStore or credHelpers holds no credentials)';
  }
  for (const [host, entry] of Object.entries(auths as Record<string, unknown>)) {
    const e = (entry ?? {}) as { auth?: unknown; username?: unknown; password?: unknown };
    if (typeof e.auth === 'string' && e.auth !== '') {
      const decoded = /^[A-Za-z0-9+/]*={0,2}$/.test(e.auth) && e.auth.length % 4 === 0 ? Buffer.from(e.auth, 'base64').toString('utf8') : '';
      if (!decoded.includes(':')) return `the "auth" of "${host}" is not base64 of "user:password"`;
    } else if (!(typeof e.username === 'string' && typeof e.password === 'string')) {
      return `the entry for "${host}" has neither "auth" nor "username" and "password"`;
    }
  }
  return undefined;
}
