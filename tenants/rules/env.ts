/** Environment variable rules: values are strings, and credentials live in Secrets, not in the Git-tracked list. */
import type { Problem } from '../problem';

/**
 * A value written as a YAML number, boolean or null. Kubernetes env values are strings; reading
 * the YAML number and printing it again changes it (`3.10` → "3.1", `01234` → "1234", `0x1F` →
 * "31", 12345678901234567890 → "12345678901234567000"), so it is refused with the text as written,
 * quoted. `sourceText` is the value's text in the file (from its source range), when known. Pure.
 */
export function envValueProblem(tenant: string, key: string, value: unknown, sourceText?: string): Problem | undefined {
  if (typeof value === 'string' || (typeof value === 'object' && value !== null)) return undefined;
  const written = sourceText !== undefined && sourceText.trim() !== '' ? sourceText.trim() : value === null ? '' : String(value);
  const kind = value === null ? 'null (no value)' : typeof value === 'boolean' ? 'a boolean' : 'a number';
  const read = value === null ? 'an empty or missing value' : `${JSON.stringify(String(value))}`;
  return {
    tenant,
    field: `env.${key}`,
    value: written === '' ? null : written,
    message: `YAML reads this as ${kind}, not text; the container would get ${read}${written !== '' && written !== String(value) ? ` instead of "${written}"` : ''}`,
    allowed: 'a quoted string, or {secret: <Secret name>, key: <key>}',
    fix: `quote it: ${key}: ${JSON.stringify(written)}`,
  };
}

/**
 * Names that hold credentials: any name containing SECRET, PASSWORD, PASSWD, PASSPHRASE, a TOKEN
 * word, CREDENTIAL, PRIVATE_KEY, API_KEY or ACCESS_KEY (not ACCESS_KEY_ID), and names ending in _PASS,
 * _PWD, _SK (Stripe-style secret key), _DSN (data source names carry passwords), or naming a
 * signing/encryption/master key.
 */
const CREDENTIAL_NAMES: readonly RegExp[] = [
  /SECRET/,
  /PASSWORD|PASSWD|PASSPHRASE/,
  /(^|_)PASS(_|$)/,
  /(^|_)PWD$/,
  /(^|_)TOKEN(_|$)/, // GITHUB_TOKEN, TOKEN_V2; not MAX_TOKENS or TOKENIZER (model settings of an AI tenant)
  /CREDENTIAL/,
  /PRIVATE_?KEY/,
  /API_?KEY/,
  /ACCESS_?KEY(?!_?ID)/,
  /(^|_)SK$/,
  /(^|_)DSN$/,
  /(^|_)(SIGNING|ENCRYPTION|MASTER)_?KEY/,
  /CONNECTION_?STRING/,
];

/**
 * Value shapes of credentials, whatever the name: the token formats the issuers document (and
 * that secret scanners such as gitleaks and GitHub secret scanning match), a PEM private key,
 * and a URL with a password in its userinfo.
 */
const CREDENTIAL_VALUES: readonly { what: string; pattern: RegExp }[] = [
  { what: 'a URL with a password', pattern: /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:(?!\$\([A-Za-z_][A-Za-z0-9_]*\)@)[^\s/@]+@/i },
  { what: 'a PEM private key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/ },
  { what: 'a Stripe secret key', pattern: /\b[rs]k_(live|test)_[0-9A-Za-z]{10,}/ },
  { what: 'an AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a GitHub token', pattern: /\b(gh[pousr]_[0-9A-Za-z]{36,}|github_pat_[0-9A-Za-z_]{22,})/ },
  { what: 'a GitLab token', pattern: /\bglpat-[0-9A-Za-z_-]{20,}/ },
  { what: 'a Slack token', pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}/ },
  { what: 'an OpenAI or Anthropic API key', pattern: /\bsk-(proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{20,}/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  { what: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { what: 'a DigitalOcean token', pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/ },
];

/**
 * Names that describe a credential rather than hold one: the last word names an attribute (where
 * the credential is, how long it lives, how long it must be), and the value has that attribute's
 * shape. DB_PASSWORD_FILE=/run/secrets/db, SECRET_MOUNT_PATH=/var/run/app, PASSWORD_MIN_LENGTH=12
 * and TOKEN_TTL_SECONDS=3600 hold no credential; DB_PASSWORD=123456 and PASSWORD_MIN_LENGTH=hunter2
 * stay refused (no attribute word, or a value of the wrong shape).
 */
const ATTRIBUTE_SHAPES: readonly { words: ReadonlySet<string>; shape: string; value: RegExp }[] = [
  // An absolute path without spaces (a password written there would have to start with "/").
  { words: new Set(['FILE', 'PATH', 'DIR', 'DIRECTORY', 'MOUNT', 'LOCATION']), shape: 'an absolute path such as /run/secrets/db', value: /^\/[A-Za-z0-9._\-/]*$/ },
  // A whole number, or a number with a time unit.
  {
    words: new Set(['LENGTH', 'LEN', 'SIZE', 'BITS', 'BYTES', 'TTL', 'SECONDS', 'SECS', 'MINUTES', 'MINS', 'HOURS', 'DAYS', 'MS', 'TIMEOUT', 'EXPIRY', 'LIFETIME', 'AGE', 'COUNT', 'ROUNDS', 'ATTEMPTS', 'RETRIES', 'LIMIT', 'MIN', 'MAX', 'INTERVAL']),
    shape: 'a number or a duration such as 12, 3600 or 15m',
    value: /^[0-9]{1,12}(ms|s|m|h|d)?$/,
  },
  { words: new Set(['ENABLED', 'DISABLED', 'REQUIRED', 'ENABLE', 'DISABLE']), shape: 'true or false', value: /^(true|false)$/i },
];

/** The attribute a credential-like name describes, if its value has that attribute's shape. Pure. */
function describesCredential(upper: string, value: string): boolean {
  const last = upper.split('_').pop() ?? '';
  return ATTRIBUTE_SHAPES.some((a) => a.words.has(last) && a.value.test(value));
}

/** Options of the credential check. */
export interface CredentialCheckOptions {
  /** Names the tenant declares hold no credential (`envNotSecret`): the name-based check skips them. @default none */
  readonly notSecret?: ReadonlySet<string>;
}

/**
 * Why a plain env variable looks like a credential (by name, or by the shape of its value), or
 * undefined. A name reading as a credential passes when it names an attribute of one and the value
 * has that shape, or when the tenant lists it in `envNotSecret`; a value shaped like a known token
 * format is refused whatever the name and the override. Pure.
 */
export function credentialReason(key: string, value: string, options: CredentialCheckOptions = {}): string | undefined {
  const shape = CREDENTIAL_VALUES.find((s) => s.pattern.test(value));
  if (shape) return `the value looks like ${shape.what}`;
  const upper = key.toUpperCase();
  if (options.notSecret?.has(key) || describesCredential(upper, value)) return undefined;
  if (CREDENTIAL_NAMES.some((p) => p.test(upper))) return `the name ${key} says it holds a credential`;
  return undefined;
}

/** The problem of a credential written in plain text (value redacted), or undefined. Pure. */
export function plaintextCredentialProblem(tenant: string, key: string, value: unknown, options: CredentialCheckOptions = {}): Problem | undefined {
  if (typeof value === 'object' && value !== null) return undefined;
  const reason = credentialReason(key, String(value ?? ''), options);
  if (!reason) return undefined;
  const byName = reason.startsWith('the name');
  return {
    tenant,
    field: `env.${key}`,
    value: '<redacted>',
    message: `${reason}, written in plain text in a Git-tracked file (pull requests, forks and every clone would carry it)`,
    allowed: `a reference {secret: <Secret name>, key: <key>} for credentials${byName ? `; a plain value only for a name that describes one (…_FILE or …_PATH with ${ATTRIBUTE_SHAPES[0].shape}, …_LENGTH or …_TTL_SECONDS with ${ATTRIBUTE_SHAPES[1].shape}) or one listed in envNotSecret` : ''}`,
    fix: `create a Secret in tenant-${tenant} (e.g. pulumi config set --secret --path 'tenantscale:tenantSecrets.${tenant}.<name>.<key>' <value>) and write ${key}: {secret: <name>, key: <key>}; rotate the exposed value${byName ? `. If it holds no credential, add ${key} to envNotSecret` : ''}`,
  };
}

/**
 * Problems of `envNotSecret`: every name must be a plain variable of `env` (a stale entry would
 * silently exempt a credential added later under that name). Pure.
 */
export function envNotSecretProblems(tenant: string, names: readonly string[], env: Readonly<Record<string, unknown>>): Problem[] {
  return names.flatMap((key, i) => {
    const value = env[key];
    if (typeof value === 'string') return [];
    return [
      {
        tenant,
        field: `envNotSecret.${i}`,
        value: key,
        message: value === undefined ? `env has no variable ${key}` : `env.${key} is a Secret reference, not a plain value`,
        allowed: 'names of plain (string) variables in env',
        fix: `remove ${key} from envNotSecret`,
      },
    ];
  });
}
