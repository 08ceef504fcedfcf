import type { PrometheusQuery } from '../../tenants/kinds';
import { KedaTrigger } from './keda-trigger';

/**
 * A Prometheus query (kedacore/keda@v2.20.2 pkg/scalers/prometheus_scaler.go:49-53: serverAddress,
 * query, threshold, activationThreshold). KEDA's operator queries Prometheus, not the tenant's pods.
 */
export function prometheusTrigger(q: PrometheusQuery): KedaTrigger {
  return {
    type: 'prometheus',
    metadata: {
      serverAddress: q.serverAddress,
      query: q.query,
      threshold: String(q.threshold),
      ...(q.activationThreshold !== undefined ? { activationThreshold: String(q.activationThreshold) } : {}),
    },
  };
}
