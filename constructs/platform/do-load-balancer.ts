/**
 * DigitalOcean load-balancer settings for the shared Gateway's Envoy Service, as typed values, and
 * the pure translation into the cloud controller manager's `service.beta.kubernetes.io/do-loadbalancer-*`
 * annotations (digitalocean-cloud-controller-manager docs/controllers/services/annotations.md).
 */
import { DO_LB_IDLE_TIMEOUT } from '../../core/digitalocean';

export { DO_LB_IDLE_TIMEOUT } from '../../core/digitalocean';

/**
 * The idle timeout the Gateway's load balancer needs: at least every route's timeout (the
 * balancer sees no byte while the interceptor holds a waking request), never below DigitalOcean's
 * default. Above the maximum when a route's timeout is; validation refuses such tenants first. Pure.
 */
export function requiredIdleTimeoutSeconds(routeTimeouts: readonly number[]): number {
  return Math.max(DO_LB_IDLE_TIMEOUT.defaultSeconds, ...routeTimeouts);
}

/** Prefix of every DigitalOcean load-balancer annotation. */
export const DO_LB_ANNOTATION_PREFIX = 'service.beta.kubernetes.io/do-loadbalancer-';

export type DoLoadBalancerType = 'REGIONAL' | 'REGIONAL_NETWORK';
export type DoLoadBalancerNetwork = 'EXTERNAL' | 'INTERNAL';
export type DoLoadBalancerAlgorithm = 'round_robin' | 'least_connections';

/** The load balancer DigitalOcean provisions for the Gateway. Unset fields keep DigitalOcean's defaults. */
export interface DoLoadBalancerSettings {
  /**
   * Load-balancer name shown in the DigitalOcean console (`do-loadbalancer-name`).
   * @default DigitalOcean generates one from the Service UID
   */
  readonly name?: string;
  /**
   * Number of load-balancer nodes, 1–100 (`do-loadbalancer-size-unit`); each node is billed.
   * @default 1
   */
  readonly sizeUnit?: number;
  /**
   * `REGIONAL` (HTTP-aware) or `REGIONAL_NETWORK` (layer 4) (`do-loadbalancer-type`).
   * @default DigitalOcean's default, REGIONAL_NETWORK
   */
  readonly type?: DoLoadBalancerType;
  /**
   * `EXTERNAL` (public IP) or `INTERNAL` (VPC only) (`do-loadbalancer-network`).
   * @default EXTERNAL
   */
  readonly network?: DoLoadBalancerNetwork;
  /**
   * Balancing algorithm (`do-loadbalancer-algorithm`).
   * @default round_robin
   */
  readonly algorithm?: DoLoadBalancerAlgorithm;
  /**
   * Send the PROXY protocol header to Envoy (`do-loadbalancer-enable-proxy-protocol`). Envoy must
   * then be told to expect it (a ClientTrafficPolicy), so leave it off unless you add one.
   * @default false
   */
  readonly enableProxyProtocol?: boolean;
  /**
   * Idle timeout of HTTP connections in seconds, 30–600 (`do-loadbalancer-http-idle-timeout-seconds`).
   * At least the longest route timeout, or the balancer cuts a waking tenant off. The Pulumi
   * program sets it from the tenants' route timeouts when the stack leaves it unset
   * (infra/config.ts `edgeIdleTimeout`).
   * @default 60 (DigitalOcean), when no one sets it
   */
  readonly httpIdleTimeoutSeconds?: number;
  /**
   * Hostname the load balancer answers for (`do-loadbalancer-hostname`); needed with proxy protocol
   * so in-cluster clients reach the balancer instead of hairpinning.
   * @default none
   */
  readonly hostname?: string;
}

/** The CCM annotations for the given settings; unset settings produce no annotation. */
export function doLoadBalancerAnnotations(lb: DoLoadBalancerSettings): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (suffix: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) out[`${DO_LB_ANNOTATION_PREFIX}${suffix}`] = String(value);
  };
  set('name', lb.name);
  set('size-unit', lb.sizeUnit);
  set('type', lb.type);
  set('network', lb.network);
  set('algorithm', lb.algorithm);
  set('enable-proxy-protocol', lb.enableProxyProtocol);
  set('http-idle-timeout-seconds', lb.httpIdleTimeoutSeconds);
  set('hostname', lb.hostname);
  return out;
}
