/** DigitalOcean and DOKS facts more than one layer needs (core/ imports nothing of the project: docs/architecture.md "Layers"). */

/**
 * Node label DOKS puts on every node with its pool's name (digitalocean/clusterlint checks.md
 * "node-name-pod-selector"); tenants placed on a pool select it.
 */
export const DOKS_POOL_LABEL = 'doks.digitalocean.com/node-pool';

/**
 * DigitalOcean's bounds of a load balancer's HTTP idle timeout: 30 to 600 seconds, 60 when unset
 * (digitalocean/openapi@1543211 specification/resources/load_balancers/models/load_balancer_base.yml
 * `http_idle_timeout_seconds`: minimum 30, maximum 600, default 60). The cloud controller manager
 * passes the annotation through unchecked (digitalocean/digitalocean-cloud-controller-manager@v0.1.68
 * cloud-controller-manager/do/loadbalancers.go:1697 getHttpIdleTimeoutSeconds), so a value out of
 * range fails at the DigitalOcean API, on the Service's events.
 */
export const DO_LB_IDLE_TIMEOUT = { minSeconds: 30, maxSeconds: 600, defaultSeconds: 60 } as const;
