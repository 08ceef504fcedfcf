/**
 * Container image references, read as the kubelet's runtime reads them: the distribution
 * reference grammar (distribution/reference@v0.6.0 reference.go:6-24; the regular expressions in
 * regexp.go:44-136), then tenantscale's own rule that the reference is pinned.
 */

const ALPHANUMERIC = '[a-z0-9]+'; // regexp.go:44
const SEPARATOR = '(?:[._]|__|[-]+)'; // regexp.go:53
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'; // regexp.go:61
const OPTIONAL_PORT = '(?::[0-9]+)?'; // regexp.go:65
const TAG = '[\\w][\\w.-]{0,127}'; // regexp.go:68
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}'; // regexp.go:81
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]'; // regexp.go:91
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|${IPV6})`; // regexp.go:99-106
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`; // regexp.go:123
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`; // regexp.go:129

/** `reference := name [":" tag] ["@" digest]` (regexp.go:136 referencePat), anchored. */
export const IMAGE_REFERENCE = new RegExp(`^((?:${HOST}${OPTIONAL_PORT}/)?${REMOTE_NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/** Longest repository name (distribution/reference@v0.6.0 reference.go:39 RepositoryNameTotalLengthMax). */
export const IMAGE_NAME_MAX = 255;

/** Why `image` is not a valid image reference, or undefined. Pure. */
export function imageGrammarReason(image: string): string | undefined {
  if (image.trim() !== image) return 'it has leading or trailing whitespace';
  if (image === '') return 'it is empty';
  if (/\s/.test(image)) return 'it contains whitespace';
  const m = IMAGE_REFERENCE.exec(image);
  if (!m) {
    const name = image.split('@')[0].replace(/:[^/]*$/, '');
    const repository = name.includes('/') && /[.:]|^localhost$/.test(name.split('/')[0]) ? name.slice(name.indexOf('/') + 1) : name;
    if (/[A-Z]/.test(repository)) return 'the repository name has uppercase letters (only the registry host may)';
    return 'it does not match registry/repository[:tag][@digest]';
  }
  if (m[1].length > IMAGE_NAME_MAX) return `the name is ${m[1].length} characters, more than ${IMAGE_NAME_MAX}`;
  return undefined;
}

/** Why an image reference is not pinned, or undefined if it is (tag other than `latest`, or a sha256 digest). */
export function unpinnedImageReason(image: string): string | undefined {
  const at = image.indexOf('@');
  if (at >= 0) {
    return /^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1)) ? undefined : 'the digest is not sha256:<64 hex digits>';
  }
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'it has no tag, so it means "latest" and changes under you';
  const tag = image.slice(colon + 1);
  if (tag === 'latest') return 'the tag "latest" changes under you and defeats IfNotPresent image caching';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return `"${tag}" is not a valid tag`;
  return undefined;
}
