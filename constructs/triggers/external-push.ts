import { PlatformSettings } from '../platform-settings';
import { KedaTrigger } from './keda-trigger';

/**
 * The HTTP add-on's trigger for an InterceptorRoute of the same namespace. The scaler reads the
 * route named by metadata `interceptorRoute` in the ScaledObject's namespace
 * (kedacore/http-add-on@v0.15.0 scaler/handlers.go:111-112, key pkg/k8s/scaledobject.go:17) and
 * reports one metric per `scalingMetric` entry (handlers.go:120-131). Address: the chart's
 * `keda-add-ons-http-external-scaler` Service, gRPC port 9090 (kedacore/charts@c4b92e9 release
 * v0.15.0, http-add-on/templates/scaler/service.yaml; keda-docs content/http-add-on/0.15/user-guide/autoscale-an-app.md).
 */
export function externalPushTrigger(routeName: string, settings: PlatformSettings): KedaTrigger {
  const scaler = settings.externalScaler;
  return {
    type: 'external-push',
    metadata: { scalerAddress: `${scaler.service}.${scaler.namespace}:${scaler.port}`, interceptorRoute: routeName },
  };
}
