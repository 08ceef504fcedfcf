/**
 * OpenAPI `format` checks for the formats that Kubernetes schemas use and the API server (or the Go
 * types behind it) enforces. A format not listed here is not checked, as in the API server.
 */
import { isIP } from 'node:net';

const INT32 = { min: -2147483648, max: 2147483647 };
// 2^63 is not representable exactly; any JS number beyond ±2^63 is certainly out of range.
const INT64_LIMIT = 9223372036854775807;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// k8s.io/apimachinery/pkg/api/resource: a signed decimal number, then a binary SI suffix, a
// decimal SI suffix (n u m k M G T P E) or a decimal exponent.
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const HOSTNAME_LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

/** The formats checked by `checkFormat`; anything else is accepted unchecked. */
export const CHECKED_FORMATS = ['int32', 'int64', 'byte', 'date', 'date-time', 'ipv4', 'ipv6', 'cidr', 'hostname', 'uuid', 'quantity'] as const;

function validDate(year: string, month: string, day: string): boolean {
  const y = Number(year), m = Number(month), d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

/**
 * Checks `value` against `format`. Returns what is wrong, or undefined when the value conforms or
 * the format is not one that is checked. Type mismatches are reported elsewhere, so a value of the
 * wrong JSON type is not this function's business and passes.
 */
export function checkFormat(format: string, value: unknown): string | undefined {
  switch (format) {
    case 'int32':
      if (typeof value === 'number' && (value < INT32.min || value > INT32.max)) return `${value} is out of range for int32 (${INT32.min}..${INT32.max})`;
      return undefined;
    case 'int64':
      if (typeof value === 'number' && Math.abs(value) > INT64_LIMIT) return `${value} is out of range for int64`;
      return undefined;
  }
  if (typeof value !== 'string') return undefined;
  const bad = (what: string) => `${JSON.stringify(value)} is not ${what}`;
  switch (format) {
    case 'byte':
      // Go's base64.StdEncoding (behind encoding/json's []byte and kube-openapi's "byte" format)
      // skips '\r' and '\n' anywhere, padding included (golang/go@10a01cd69af6
      // src/encoding/base64/base64.go decodeQuantum: `if in == '\n' || in == '\r'`), so
      // line-wrapped base64 (`binaryData` from `base64 -w 76`) is valid; other whitespace is not.
      return BASE64.test(value.replace(/[\r\n]/g, '')) ? undefined : bad('valid base64 (format "byte"; only line breaks may separate its characters)');
    case 'date': {
      const m = DATE.exec(value);
      return m && validDate(m[1], m[2], m[3]) ? undefined : bad('an RFC 3339 date (YYYY-MM-DD)');
    }
    case 'date-time': {
      const m = DATE_TIME.exec(value);
      const ok = m && validDate(m[1], m[2], m[3]) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 61;
      return ok ? undefined : bad('an RFC 3339 date-time (e.g. 2024-01-02T15:04:05Z)');
    }
    case 'ipv4':
      return isIP(value) === 4 ? undefined : bad('an IPv4 address');
    case 'ipv6':
      return isIP(value) === 6 ? undefined : bad('an IPv6 address');
    case 'cidr': {
      const [ip, bits, extra] = value.split('/');
      const family = isIP(ip ?? '');
      const max = family === 4 ? 32 : 128;
      const ok = family !== 0 && extra === undefined && bits !== undefined && /^\d{1,3}$/.test(bits) && Number(bits) <= max;
      return ok ? undefined : bad('a CIDR (e.g. 10.0.0.0/8)');
    }
    case 'hostname': {
      const ok = value.length > 0 && value.length <= 253 && value.split('.').every((label) => HOSTNAME_LABEL.test(label));
      return ok ? undefined : bad('an RFC 1123 hostname');
    }
    case 'uuid':
      return UUID.test(value) ? undefined : bad('a UUID');
    case 'quantity':
      return QUANTITY.test(value) ? undefined : bad('a Kubernetes quantity (e.g. 500m, 128Mi, 2, 1e3)');
    default:
      return undefined;
  }
}
