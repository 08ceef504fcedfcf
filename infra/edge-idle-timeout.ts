/** The Gateway load balancer's idle timeout a stack needs for the routes it serves. */
import { DO_LB_IDLE_TIMEOUT, requiredIdleTimeoutSeconds } from '../constructs/platform/do-load-balancer';
import { longestRoute } from '../tenants/rules/edge-timeout';
import type { TenantSpec } from '../tenants/schema';
import { ConfigProblem, PROJECT } from './config';

/**
 * The Gateway load balancer's HTTP idle timeout for the tenants a stack serves: the configured
 * value when it covers every route's timeout (else a problem naming the tenant and the figures),
 * or, unset, the longest route timeout (never below DigitalOcean's 60 s default). Pure.
 */
export function edgeIdleTimeout(configured: number | undefined, tenants: readonly TenantSpec[]): { seconds: number; longest?: { tenant: string; seconds: number }; problem?: ConfigProblem } {
  const longest = longestRoute(tenants);
  const required = requiredIdleTimeoutSeconds(longest ? [longest.seconds] : []);
  if (configured === undefined) return { seconds: required, longest };
  if (longest === undefined || configured >= longest.seconds) return { seconds: configured, longest };
  return {
    seconds: configured,
    longest,
    problem: {
      key: `${PROJECT}:gateway.loadBalancer.httpIdleTimeoutSeconds`,
      value: configured,
      message: `tenant "${longest.tenant}" has a route timeout of ${longest.seconds} s (coldStartBudget + responseTimeout + margin); the load balancer would close its connection after ${configured} s of silence while the tenant wakes`,
      allowed: `an integer from ${Math.max(longest.seconds, DO_LB_IDLE_TIMEOUT.minSeconds)} to ${DO_LB_IDLE_TIMEOUT.maxSeconds}`,
      fix: `pulumi config rm --path ${PROJECT}:gateway.loadBalancer.httpIdleTimeoutSeconds (the program then sets ${required}), or set it to at least ${longest.seconds}`,
    },
  };
}
