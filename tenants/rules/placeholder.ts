/**
 * The cold-start placeholder's status code: the interceptor answers a request for a sleeping
 * tenant with it at once instead of holding the request (kedacore/http-add-on@v0.15.0
 * interceptor/middleware/placeholder.go:82-86: `w.WriteHeader(statusCode)`, 503 when unset). The
 * client never reaches the tenant, so the status must make it come back. Allowed without an
 * override, with their HTTP semantics:
 *
 * - 503 Service Unavailable (the default): the server cannot handle the request now, for a
 *   temporary reason expected to pass after some delay (RFC 9110 section 15.6.4); a Retry-After
 *   header may say when to try again (section 10.2.3).
 * - 429 Too Many Requests: the client sent too many requests in a period (RFC 6585 section 4),
 *   optionally with Retry-After; clients back off and retry.
 * - 307 Temporary Redirect with Location and Retry-After headers: the client repeats the request,
 *   same method and body (RFC 9110 section 15.4.8, unlike 301/302, which may turn a POST into a
 *   GET), and with Retry-After on a 3xx waits that long before the redirected request (section
 *   10.2.3). Redirected to the tenant's own URL, it is a retry after the wake.
 *
 * Refused:
 * - 1xx, always: an interim response, not a final one (RFC 9110 section 15.2). The interceptor is
 *   a Go net/http server, whose `(*response).WriteHeader` sends 100, 102 and 103 as an interim
 *   line and then, on the body write, an implicit 200 OK (golang/go net/http server.go); 101
 *   Switching Protocols announces a protocol change that never happens (section 15.2.2).
 * - any other status, unless `allowStatusCode` repeats it: a 2xx says the request succeeded
 *   (section 15.3), so a webhook sender marks the event delivered and never sends it again while
 *   the tenant never saw it; other 3xx and 4xx are not retried as they are (sections 15.4, 15.5);
 *   500, 502 and 504 say the server failed, not that it is waking (section 15.6).
 */
import type { Problem } from '../problem';

/** Statuses a client retries, allowed without `allowStatusCode`. */
export const RETRIED_PLACEHOLDER_STATUSES: readonly number[] = [503, 429, 307];

/** Headers a 307 placeholder needs to be a retry: where to (Location) and after how long (Retry-After). */
const REDIRECT_HEADERS = ['Location', 'Retry-After'] as const;

/** The placeholder fields this rule reads. */
export interface PlaceholderStatus {
  readonly statusCode: number;
  readonly allowStatusCode?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

function classMeaning(code: number): string {
  if (code < 300) return `${code} is a success (RFC 9110 section 15.3): a webhook sender marks the event delivered and never resends it, but the tenant never saw it`;
  if (code < 400) return `${code} is a redirect a client does not repeat as a retry (RFC 9110 section 15.4; 301 and 302 may turn a POST into a GET)`;
  if (code < 500) return `${code} says the request itself was wrong (RFC 9110 section 15.5): clients do not retry it`;
  return `${code} says the server failed (RFC 9110 section 15.6), not that it is waking: a client may give up`;
}

/** Problems of the placeholder's status code (field `coldStart.placeholder.*`). Pure. */
export function placeholderStatusProblems(tenant: string, p: PlaceholderStatus): Problem[] {
  const field = 'coldStart.placeholder.statusCode';
  const code = p.statusCode;
  const allowed = '503 (the default), 429, or 307 with Location and Retry-After headers; another final status (200-599) only with allowStatusCode set to the same code';
  const out: Problem[] = [];
  const add = (f: string, value: unknown, message: string, fix: string, what = allowed) => out.push({ tenant, field: f, value, message, allowed: what, fix });
  if (code < 200) {
    add(
      field,
      code,
      `${code} is an interim (1xx) response, not a final one (RFC 9110 section 15.2): the interceptor's Go server sends ${code === 101 ? '101 Switching Protocols for a protocol change that never happens' : 'it as an interim line and then an implicit 200 OK with the body'}`,
      'remove statusCode (503) or set statusCode: 503',
      '503, 429 or 307 (a final status; 1xx is never allowed, with or without allowStatusCode)',
    );
    return out;
  }
  const retried = RETRIED_PLACEHOLDER_STATUSES.includes(code);
  if (p.allowStatusCode !== undefined && p.allowStatusCode !== code) {
    add('coldStart.placeholder.allowStatusCode', p.allowStatusCode, `allowStatusCode (${p.allowStatusCode}) is not the statusCode (${code}): the override names the one status it allows`, retried ? 'remove allowStatusCode' : `set allowStatusCode: ${code}, or set statusCode: 503`, 'allowStatusCode equal to statusCode');
    return out;
  }
  if (p.allowStatusCode !== undefined && retried) {
    add('coldStart.placeholder.allowStatusCode', p.allowStatusCode, `${code} is allowed without an override`, 'remove allowStatusCode', 'allowStatusCode only for a status outside 503, 429 and 307');
    return out;
  }
  if (!retried && p.allowStatusCode === undefined) {
    add(field, code, `${classMeaning(code)}; the placeholder answers instead of the sleeping tenant, so the client must come back`, `set statusCode: 503 (add a Retry-After header, e.g. headers: {Retry-After: "10"}), or, if clients of this tenant really expect ${code}, add allowStatusCode: ${code}`);
  }
  if (code === 307) {
    const names = new Set(Object.keys(p.headers ?? {}).map((h) => h.toLowerCase()));
    const missing = REDIRECT_HEADERS.filter((h) => !names.has(h.toLowerCase()));
    if (missing.length > 0) {
      add(
        'coldStart.placeholder.headers',
        p.headers,
        `a 307 without ${missing.join(' and ')} is no retry: Location says where to repeat the request (RFC 9110 section 15.4.8), Retry-After how long to wait first (section 10.2.3)`,
        `add headers: {Location: "https://<the tenant's host>/", Retry-After: "10"}, or use statusCode: 503`,
        '307 with both Location and Retry-After headers',
      );
    }
  }
  return out;
}
