/**
 * What synth accepts, the API server and the kubelet accept: one failing and one passing case per
 * rule, each failure naming tenant, field, value, what is allowed and the fix.
 */
import { Problem } from '../../tenants/problem';
import { credentialReason, envValueProblem } from '../../tenants/rules/env';
import { hostReason, wildcardCovers, wildcardOverlaps } from '../../tenants/rules/hosts';
import { domainConflicts, platformDomainProblems } from '../../tenants/rules/domains';
import { imageGrammarReason } from '../../tenants/rules/image';
import { reservedLabelDomain } from '../../tenants/rules/labels';
import { largestPoolBound, OFFLINE_POD_BOUND } from '../../tenants/rules/quantities';
import { dropletCapacity } from '../../policies/resources';
import { MAX_PROBLEMS, validateTenantsDocument, validateTenantsText } from '../../tenants/validate';

const DEFAULTS = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { max: 3, metric: { requestRate: { target: 10 } } },
};

function problems(tenant: Record<string, unknown>, others: Record<string, unknown>[] = [], options = {}): Problem[] {
  return validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'ahmed', hosts: ['ahmed.example.com'], ...tenant }, ...others] }, options).problems;
}

/** The one problem, with every part a person needs to fix it. */
function only(tenant: Record<string, unknown>, others: Record<string, unknown>[] = [], options = {}): Problem {
  const ps = problems(tenant, others, options);
  expect(ps.map((p) => `${p.field}: ${p.message}`)).toHaveLength(1);
  const p = ps[0];
  for (const part of [p.tenant, p.field, p.message, p.allowed, p.fix]) expect(part).toBeTruthy();
  expect(p.value).not.toBeUndefined();
  return p;
}

describe('hosts', () => {
  const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.example.com`);
  test('more than 16 hosts (HTTPRoute spec.hostnames maxItems) is refused; 16 pass', () => {
    const p = only({ hosts: hosts(17) });
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'hosts', message: 'too many entries', allowed: 'a list of up to 16 hostnames (at least one for http and stateful tenants; an HTTPRoute holds at most 16)' });
    expect(problems({ hosts: hosts(16) })).toEqual([]);
  });

  test.each([['10.0.0.1'], ['192.168.1.20'], ['1.2.3']])('IP address %s is refused', (host) => {
    expect(only({ hosts: [host] })).toMatchObject({ field: 'hosts.0', value: host, message: expect.stringMatching(/^an IP address is not a hostname/) });
  });

  test('localhost and its subdomains are refused; a name under a real domain passes', () => {
    expect(only({ hosts: ['localhost'] }).message).toMatch(/"localhost" names the client's own machine/);
    expect(only({ hosts: ['ahmed.localhost'] }).field).toBe('hosts.0');
    expect(problems({ hosts: ['ahmed.127.0.0.1.nip.io', 'localhost-ahmed.example.com'] })).toEqual([]);
  });

  // Wildcard hosts need tls: false (tenants/rules/tls.ts: no wildcard certificate through HTTP-01).
  test.each([['*.com'], ['*.co.uk'], ['*.github.io']])('a wildcard over the public suffix %s is refused', (host) => {
    const p = only({ hosts: [host], tls: false });
    expect(p.message).toMatch(/covers every domain under the public suffix/);
    expect(p.fix).toMatch(/claim a domain you control/);
  });

  test('a wildcard over a domain passes', () => {
    expect(problems({ hosts: ['*.acme.com', '*.acme.co.uk'], tls: false })).toEqual([]);
    expect(hostReason('*.tenants.example.com')).toBeUndefined();
  });

  test('a wildcard of one tenant over another tenant\'s exact host is refused on the wildcard tenant', () => {
    const p = only({ hosts: ['*.acme.com'], tls: false }, [{ name: 'login', hosts: ['login.acme.com'] }]);
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'hosts', value: '*.acme.com' });
    expect(p.message).toBe('"*.acme.com" covers "login.acme.com" of tenant "login"; the Gateway and the interceptor route the exact host to "login", so the two tenants split that traffic');
    expect(p.fix).toBe('give "login" a host outside acme.com, or replace "*.acme.com" with the exact hosts this tenant serves');
  });

  test('no overlap: the apex, another domain, or the same tenant', () => {
    expect(problems({ hosts: ['*.acme.com', 'login.acme.com'], tls: false }, [{ name: 'apex', hosts: ['acme.com'] }, { name: 'other', hosts: ['login.acme.org'] }])).toEqual([]);
  });

  test('wildcardCovers reads *. as a suffix match of one or more labels, and covers narrower wildcards', () => {
    expect(wildcardCovers('*.acme.com', 'a.b.acme.com')).toBe(true);
    expect(wildcardCovers('*.acme.com', '*.eu.acme.com')).toBe(true);
    expect(wildcardCovers('*.acme.com', '*.acme.com')).toBe(false);
    expect(wildcardCovers('*.acme.com', 'acme.com')).toBe(false);
    expect(wildcardCovers('*.acme.com', 'xacme.com')).toBe(false);
    expect(wildcardOverlaps([{ tenant: 'a', hosts: ['*.acme.com'] }, { tenant: 'b', hosts: ['*.eu.acme.com'] }])).toEqual([{ tenant: 'a', wildcard: '*.acme.com', other: 'b', host: '*.eu.acme.com' }]);
  });
});

describe('labels', () => {
  test('a label prefix over 253 characters is refused; 253 passes', () => {
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`;
    expect(long.length).toBeGreaterThan(253);
    const p = only({ labels: { [`${long}/plan`]: 'gold' } });
    expect(p).toMatchObject({ field: `labels.${long}/plan`, message: `the prefix is ${long.length} characters; the API server refuses label prefixes over 253` });
    const fits = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(63)}.ex.com`;
    expect(fits.length).toBe(253);
    expect(problems({ labels: { [`${fits}/plan`]: 'gold' } })).toEqual([]);
  });

  test.each([['kubernetes.io/metadata.name'], ['pod-security.kubernetes.io/enforce'], ['k8s.io/x'], ['node.k8s.io/y'], ['app.kubernetes.io/name'], ['tenantscale.io/tenant']])(
    'the reserved prefix of %s is refused',
    (key) => {
      const p = only({ labels: { [key]: 'privileged' } });
      expect(p).toMatchObject({ field: `labels.${key}`, value: key });
      expect(p.message).toMatch(/^the prefix is reserved/);
    },
  );

  test('own prefixes pass, including names that merely contain "kubernetes"', () => {
    expect(problems({ labels: { 'example.com/plan': 'gold', plan: 'gold', 'notkubernetes.io/x': 'y', 'kubernetes.io.example.com/x': 'y' } })).toEqual([]);
    expect(reservedLabelDomain('plan')).toBeUndefined();
  });
});

describe('image reference grammar (distribution/reference)', () => {
  test.each([
    [' ghcr.io/acme/app:1.0', 'it has leading or trailing whitespace'],
    ['ghcr.io/acme/app:1.0\n', 'it has leading or trailing whitespace'],
    ['ghcr.io/Acme/App:1.0', 'the repository name has uppercase letters (only the registry host may)'],
    ['ghcr.io/acme/my app:1.0', 'it contains whitespace'],
    ['ghcr.io/acme/app:1.0:2', 'it does not match registry/repository[:tag][@digest]'],
    ['ghcr.io//app:1.0', 'it does not match registry/repository[:tag][@digest]'],
    [`ghcr.io/${'a'.repeat(300)}:1.0`, 'the name is 308 characters, more than 255'],
  ])('%j is refused: %s', (image, reason) => {
    expect(imageGrammarReason(image)).toBe(reason);
    const p = only({ image });
    expect(p).toMatchObject({ field: 'image', message: expect.stringContaining(reason) });
    expect(p.message).toMatch(/InvalidImageName/);
  });

  test.each([['ghcr.io/acme/app:1.4.2'], ['Registry.Example.com:5000/acme/app:1.0'], ['localhost:5000/app:v1'], ['[::1]:5000/app:1'], ['docker.io/library/nginx:1.27'], ['nginx:1.27'], [`ghcr.io/acme/app@sha256:${'a'.repeat(64)}`], [`app:1.0@sha256:${'b'.repeat(64)}`]])(
    '%s passes',
    (image) => {
      expect(imageGrammarReason(image)).toBeUndefined();
      expect(problems({ image })).toEqual([]);
    },
  );

  test('a grammatical but unpinned image is still refused as unpinned, once', () => {
    expect(only({ image: 'ghcr.io/acme/app' }).message).toMatch(/^image is not pinned/);
  });
});

describe('env values', () => {
  test.each([
    ['3.10', 3.1, '"3.1" instead of "3.10"'],
    ['01234', 1234, '"1234" instead of "01234"'],
    ['0x1F', 31, '"31" instead of "0x1F"'],
    ['12345678901234567890', 12345678901234567000, '"12345678901234567000" instead of "12345678901234567890"'],
    ['true', true, '"true"'],
    ['1e3', 1000, '"1000" instead of "1e3"'],
  ])('VERSION: %s (a YAML number or boolean) is refused with a fix quoting the text as written', (written, read, says) => {
    const result = validateTenantsText(`defaults:\n  image: ghcr.io/a/b:1.0\ntenants:\n  - name: ahmed\n    hosts: [ahmed.example.com]\n    env:\n      VERSION: ${written}\n`);
    const p = result.problems.find((x) => x.field === 'env.VERSION')!;
    expect(p).toMatchObject({ tenant: 'ahmed', value: written, fix: `quote it: VERSION: "${written}"`, line: 7, column: 16 });
    expect(p.message).toContain(says);
    expect(envValueProblem('ahmed', 'VERSION', read, written)?.fix).toBe(`quote it: VERSION: "${written}"`);
  });

  test('an empty value (null) is refused with "" as the fix; quoted values pass', () => {
    const p = only({ env: { EMPTY: null } });
    expect(p).toMatchObject({ field: 'env.EMPTY', fix: 'quote it: EMPTY: ""' });
    expect(problems({ env: { VERSION: '3.10', DEBUG: 'true', EMPTY: '' } })).toEqual([]);
  });
});

describe('credentials in plain env values', () => {
  test.each([
    ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['SECRET_KEY_BASE', 'a'.repeat(64)],
    ['DB_PASS', 'hunter2'],
    ['DB_PASSWORD', 'hunter2'],
    ['STRIPE_SK', 'abc'],
    ['SENTRY_DSN', 'https://abc@o1.ingest.sentry.io/1'],
    ['GITHUB_TOKEN', 'v4lue-github_token'],
    ['JWT_PRIVATE_KEY', 'v4lue-jwt_private_key'],
    ['OPENAI_API_KEY', 'v4lue-openai_api_key'],
    ['SIGNING_KEY', 'v4lue-signing_key'],
    ['ENCRYPTION_KEY', 'v4lue-encryption_key'],
  ])('the name %s is refused', (key, value) => {
    const p = only({ env: { [key]: value } });
    expect(p).toMatchObject({ field: `env.${key}`, value: '<redacted>' });
    expect(p.message).toMatch(/says it holds a credential/);
    expect(p.fix).toMatch(new RegExp(`write ${key}: \\{secret: <name>, key: <key>\\}`));
    expect(JSON.stringify(p)).not.toContain(value);
  });

  test.each([
    ['DATABASE_URL', 'postgres://app:s3cret@db.internal:5432/app', 'a URL with a password'],
    ['REDIS_URL', 'redis://:s3cret@redis:6379/0', 'a URL with a password'],
    ['PAYMENTS', `sk_live_${'a'.repeat(24)}`, 'a Stripe secret key'],
    ['AWS_ID', 'AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['GH', `ghp_${'a'.repeat(36)}`, 'a GitHub token'],
    ['SLACK', 'xoxb-123456789012-abcdefghij', 'a Slack token'],
    ['CERT', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...', 'a PEM private key'],
    ['LLM', `sk-proj-${'a'.repeat(40)}`, 'an OpenAI or Anthropic API key'],
  ])('the value of %s is refused by its shape', (key, value, what) => {
    const p = only({ env: { [key]: value } });
    expect(p.message).toBe(`the value looks like ${what}, written in plain text in a Git-tracked file (pull requests, forks and every clone would carry it)`);
    expect(JSON.stringify(p)).not.toContain(value);
  });

  test('ordinary values and Secret references pass', () => {
    expect(
      problems({
        env: {
          LOG_LEVEL: 'info',
          DATABASE_URL: 'postgres://app@db.internal:5432/app',
          DATABASE_URL_2: 'postgres://app:$(DB_PASSWORD)@db.internal/app',
          AWS_ACCESS_KEY_ID: 'from-instance-profile',
          PASSTHROUGH_HEADERS: 'x-request-id',
          PUBLIC_URL: 'https://ahmed.example.com',
          DB_PASSWORD: { secret: 'db', key: 'password' },
          TASK: 'skip',
          MAX_TOKENS: '4096',
          TOKENIZER: 'cl100k_base',
        },
      }),
    ).toEqual([]);
    expect(credentialReason('DESK', 'x')).toBeUndefined();
  });
});

describe('object size', () => {
  test('env values that make the Deployment larger than 256 KiB are refused with the limit', () => {
    const env = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`CHUNK_${i}`, 'x'.repeat(8 * 1024)]));
    const p = only({ env });
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'env', value: '40 variables, about 326 KiB' });
    expect(p.message).toMatch(/objects over 256 KiB fail `kubectl apply` \(the last-applied annotation limit\) and over 1\.5 MiB fail in etcd/);
    const fits = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`CHUNK_${i}`, 'x'.repeat(8 * 1024)]));
    expect(problems({ env: fits })).toEqual([]);
  });
});

describe('quantities no pod can use', () => {
  test('memory: 128 (bytes) is refused with the unit as the fix; 128Mi passes', () => {
    const p = only({ resources: { requests: { cpu: '100m', memory: 128 }, limits: { cpu: '500m', memory: '512Mi' } } });
    expect(p).toMatchObject({ field: 'resources.requests.memory', value: '128', fix: 'add the unit: e.g. "128Mi"' });
    expect(p.message).toBe('128 is 128 bytes (a number without a unit counts bytes); no container starts with less than 6Mi');
    expect(problems({ resources: { requests: { cpu: '100m', memory: '6Mi' }, limits: { cpu: '500m', memory: '512Mi' } } })).toEqual([]);
  });

  test('1Ei and 1000 cores are refused against the offline bound, which the message names', () => {
    const ps = problems({ resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000', memory: '1Ei' } } });
    expect(ps.map((p) => p.field).sort()).toEqual(['resources.limits.cpu', 'resources.limits.memory']);
    for (const p of ps) expect(p.allowed).toMatch(/the offline bound \(no stack known: at most 256 cores and 4Ti/);
    expect(problems({ resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '64', memory: '1Ti' } } })).toEqual([]);
  });

  test('with the stack known, the largest node pool bounds requests and limits', () => {
    const podBound = largestPoolBound([
      { name: 'default', size: 's-2vcpu-4gb', capacity: dropletCapacity('s-2vcpu-4gb') },
      { name: 'memory', size: 's-4vcpu-8gb', capacity: dropletCapacity('s-4vcpu-8gb') },
    ]);
    const p = only({ resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '16Gi' } } }, [], { podBound });
    expect(p).toMatchObject({ field: 'resources.limits.memory', value: '16Gi' });
    expect(p.allowed).toBe('at most 8Gi: the largest node pool "memory" (s-4vcpu-8gb: 4 CPU, 8Gi; allocatable is lower after system reservations)');
    expect(problems({ resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '4', memory: '6Gi' } } }, [], { podBound })).toEqual([]);
    expect(largestPoolBound([{ name: 'x', size: 'unknown-size' }])).toBe(OFFLINE_POD_BOUND);
  });
});

describe('tls (tenants/rules/tls.ts)', () => {
  test('a wildcard host with tls on (the default) is refused: no wildcard certificate through HTTP-01', () => {
    const p = only({ hosts: ['*.ahmed.example.com'] });
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'hosts.0', value: '*.ahmed.example.com' });
    expect(p.message).toBe('"*.ahmed.example.com" is a wildcard and tls is on: a wildcard certificate needs the DNS-01 challenge in the customer\'s DNS zone, and the platform\'s HTTP-01 solver cannot issue one');
    expect(p.allowed).toBe('exact hostnames when tls: true (each gets a certificate through HTTP-01); wildcards only with tls: false');
    expect(p.fix).toBe('list the exact names under ahmed.example.com this tenant serves (at most 16 hosts), or set tls: false for this tenant');
  });

  test('exact hosts with tls, and a wildcard with tls: false (also from defaults), pass', () => {
    expect(problems({ hosts: ['ahmed.example.com', 'chat.ahmed.example.org'] })).toEqual([]);
    expect(problems({ hosts: ['*.ahmed.example.com'], tls: false })).toEqual([]);
    const doc = { defaults: { ...DEFAULTS, tls: false }, tenants: [{ name: 'ahmed', hosts: ['*.ahmed.example.com'] }] };
    expect(validateTenantsDocument(doc).problems).toEqual([]);
    expect(validateTenantsDocument(doc).tenants[0].tls).toBe(false);
  });

  test('tls is on by default', () => {
    expect(validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'ahmed', hosts: ['ahmed.example.com'] }] }).tenants[0].tls).toBe(true);
  });
});

describe('domains (tenants/rules/domains.ts)', () => {
  const owner = { name: 'fatima', hosts: ['assistant.fatima.example.org'], domains: ['fatima.example.org'] };

  test('a host in a domain another tenant owns is refused on the intruder', () => {
    const p = only({ hosts: ['shop.fatima.example.org'] }, [owner]);
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'hosts.0', value: 'shop.fatima.example.org' });
    expect(p.message).toBe('"shop.fatima.example.org" is in the domain "fatima.example.org" that tenant "fatima" owns; this tenant would receive (and get certificates for) that customer\'s names');
    expect(p.allowed).toBe('hosts outside every other tenant\'s domains');
    expect(p.fix).toBe('check who registered fatima.example.org: if "fatima"\'s customer did, remove "shop.fatima.example.org" from this tenant; if this tenant\'s customer did, remove "fatima.example.org" from "fatima"\'s domains');
  });

  test('the domain apex itself is refused too', () => {
    expect(only({ hosts: ['fatima.example.org'] }, [owner])).toMatchObject({ field: 'hosts.0', value: 'fatima.example.org' });
  });

  test('wildcards included: under the domain, or covering it', () => {
    // The owner serves a name outside its domain only: the domain rule alone speaks.
    const apexOwner = { ...owner, hosts: ['fatima.tenants.example.com'] };
    expect(only({ hosts: ['*.fatima.example.org'], tls: false }, [apexOwner])).toMatchObject({ field: 'hosts.0', value: '*.fatima.example.org', message: expect.stringMatching(/^"\*\.fatima\.example\.org" is in the domain/) });
    // *.example.org covers fatima.example.org (and, per the hosts rule, fatima's exact host).
    const ps = problems({ hosts: ['*.example.org'], tls: false }, [owner]);
    expect(ps.map((p) => p.message)).toContain('"*.example.org" covers the domain "fatima.example.org" that tenant "fatima" owns; this tenant would receive (and get certificates for) that customer\'s names');
  });

  test('two tenants owning the same or nested domains: refused on the later entry', () => {
    const p = only({ hosts: ['ahmed.example.com'] }, [owner, { name: 'zara', hosts: ['zara.example.com'], domains: ['eu.fatima.example.org'] }]);
    expect(p).toMatchObject({ tenant: 'zara', field: 'domains.0', value: 'eu.fatima.example.org' });
    expect(p.message).toBe('"eu.fatima.example.org" overlaps the domain "fatima.example.org" that tenant "fatima" already owns');
    expect(p.fix).toBe('remove "eu.fatima.example.org" from this tenant or "fatima.example.org" from "fatima"');
  });

  test('a public suffix is nobody\'s domain', () => {
    const p = only({ domains: ['co.uk'] });
    expect(p).toMatchObject({ field: 'domains.0', value: 'co.uk' });
    expect(p.message).toMatch(/^"co\.uk" is a public suffix: owning it covers every domain under the public suffix "co\.uk"/);
    expect(p.fix).toBe('name the customer\'s domain, e.g. "acme.co.uk"');
  });

  test('a wildcard is not a domain (schema)', () => {
    expect(only({ domains: ['*.fatima.example.org'] })).toMatchObject({ field: 'domains.0', message: 'malformed value' });
  });

  test('passing: own hosts in own domain, a sibling domain, and names of the same registrable domain outside it', () => {
    expect(problems({ hosts: ['ahmed.example.org', 'fatima-example.org'] }, [owner])).toEqual([]);
    expect(problems({ hosts: ['a.ahmed.example.com'], domains: ['ahmed.example.com'] }, [owner])).toEqual([]);
  });

  test('20,000 tenants with a domain and a wildcard each: the cross-tenant rules stay linear (one lookup per label) and still find the one intruder', () => {
    const tenants = Array.from({ length: 20_000 }, (_, i) => ({ tenant: `t${i}`, hosts: [`*.t${i}.example.com`], domains: [`d${i}.example.org`] }));
    tenants.push({ tenant: 'intruder', hosts: ['shop.d7.example.org', 'x.t9.example.com'], domains: [] });
    const started = Date.now();
    const conflicts = domainConflicts(tenants);
    const overlaps = wildcardOverlaps(tenants);
    // Comparing every host with every owned domain and wildcard (4·10^8 pairs each) took minutes.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(conflicts.map((p) => `${p.tenant} ${p.field} ${p.value}`)).toEqual(['intruder hosts.0 shop.d7.example.org']);
    expect(overlaps).toEqual([{ tenant: 't9', wildcard: '*.t9.example.com', other: 'intruder', host: 'x.t9.example.com' }]);
  });

  test('3,000 tenants claiming one domain (4.5 million overlapping pairs) are refused within the problem cap instead of crashing', () => {
    const tenants = Array.from({ length: 3_000 }, (_, i) => ({ name: `t${i}`, hosts: [`t${i}.example.com`], domains: ['x.example.org'] }));
    const { problems: ps } = validateTenantsDocument({ defaults: DEFAULTS, tenants });
    expect(ps).toHaveLength(MAX_PROBLEMS + 1);
    expect(ps[0].message).toBe('validation stopped after 1,000 problems (the list may have more)');
    expect(ps[1]).toMatchObject({ tenant: 't1', field: 'domains.0', value: 'x.example.org', message: '"x.example.org" overlaps the domain "x.example.org" that tenant "t0" already owns' });
  });

  test('entries sharing a name and a domain are one owner: a host of another tenant in it is reported once', () => {
    const ps = domainConflicts([{ tenant: 'a', hosts: [], domains: ['x.example.org'] }, { tenant: 'a', hosts: [], domains: ['x.example.org'] }, { tenant: 'b', hosts: ['shop.x.example.org'], domains: [] }]);
    expect(ps.map((p) => `${p.tenant} ${p.field}`)).toEqual(['b hosts.0']);
  });

  test('the platform\'s tenant domain: owning it or a domain above it, a wildcard over it, or its apex is refused', () => {
    const ps = platformDomainProblems(
      [
        { tenant: 'evil', hosts: ['*.tenants.example.com', 'tenants.example.com', '*.example.com'], domains: ['tenants.example.com', 'example.com'] },
      ],
      'tenants.example.com',
    );
    expect(ps.map((p) => `${p.field}=${p.value}`)).toEqual(['domains.0=tenants.example.com', 'domains.1=example.com', 'hosts.0=*.tenants.example.com', 'hosts.1=tenants.example.com', 'hosts.2=*.example.com']);
    expect(ps[0]).toMatchObject({ tenant: 'evil', message: '"tenants.example.com" is the platform\'s tenant domain tenants.example.com, under which every tenant gets its <name>.tenants.example.com host: no tenant can own it', fix: 'remove "tenants.example.com" from domains' });
    expect(ps[1].message).toMatch(/^"example\.com" contains the platform's tenant domain/);
    expect(ps[2].message).toBe('"*.tenants.example.com" covers every name under the platform\'s tenant domain tenants.example.com: the tenant would receive the requests for every name no tenant has claimed yet, future tenants\' included');
    expect(ps[2].fix).toBe('write the tenant\'s own name, e.g. "evil.tenants.example.com"');
  });

  test('with the tenant domain known, a claim on it is reported on the claimant, not on the tenants already under it', () => {
    const ps = problems({ hosts: ['ahmed.tenants.example.com'] }, [{ name: 'evil', hosts: ['evil.tenants.example.com'], domains: ['tenants.example.com'] }], { tenantDomain: 'tenants.example.com' });
    expect(ps.map((p) => `${p.tenant} ${p.field}`)).toEqual(['evil domains.0']);
    // Without it (the file alone), the same list blames the tenant already there.
    expect(problems({ hosts: ['ahmed.tenants.example.com'] }, [{ name: 'evil', hosts: ['evil.tenants.example.com'], domains: ['tenants.example.com'] }]).map((p) => p.tenant)).toEqual(['ahmed']);
  });

  test('names under the tenant domain, a wildcard below a tenant\'s label, and a domain below it pass', () => {
    expect(platformDomainProblems([{ tenant: 'fatima', hosts: ['fatima.tenants.example.com', 'a.b.tenants.example.com', '*.fatima.tenants.example.com', '*.example.org'], domains: ['fatima.tenants.example.com', 'fatima.example.org'] }], 'tenants.example.com')).toEqual([]);
  });

  test('domains may not come from defaults (they are one tenant\'s)', () => {
    const ps = validateTenantsDocument({ defaults: { ...DEFAULTS, domains: ['x.example.com'] }, tenants: [{ name: 'ahmed', hosts: ['ahmed.example.com'] }] }).problems;
    expect(ps[0]).toMatchObject({ tenant: 'defaults', field: 'domains', message: 'unknown field (a typo would otherwise be silently ignored)' });
  });
});
