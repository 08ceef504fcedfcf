/**
 * direct-when-warm needs Envoy Gateway's Backend API (off by default upstream): under the Pulumi
 * mocks, the gateway-helm release carries `config.envoyGateway.extensionApis.enableBackend: true`
 * only when asked, keeps the controller name, and is applied before the EnvoyProxy, GatewayClass
 * and Gateway, in that order.
 */
import type * as EnvoyGatewayModule from '../../constructs/platform/envoy-gateway';
import { MOCK_KUBECONFIG, RELEASE, registration, release, runWithMocks } from './pulumi-mocks';

function build(backendApi: boolean | undefined) {
  return runWithMocks(() => {
    const k8s = require('@pulumi/kubernetes');
    const { EnvoyGateway } = require('../../constructs/platform/envoy-gateway') as typeof EnvoyGatewayModule;
    const provider = new k8s.Provider('test-cluster', { kubeconfig: MOCK_KUBECONFIG });
    return new EnvoyGateway('envoy-gateway', backendApi === undefined ? {} : { backendApi }, { providers: { kubernetes: provider } });
  });
}

test('backendApi: the chart enables the Backend API, and the release precedes EnvoyProxy ← GatewayClass ← Gateway', async () => {
  const run = await build(true);
  const eg = release(run.resources, 'eg');
  expect(eg.inputs.values.config.envoyGateway).toEqual({
    gateway: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    extensionApis: { enableBackend: true },
  });
  const proxy = run.registrations.find((r) => r.type === 'kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy')!;
  const klass = run.registrations.find((r) => r.type === 'kubernetes:gateway.networking.k8s.io/v1:GatewayClass')!;
  const gateway = run.registrations.find((r) => r.type === 'kubernetes:gateway.networking.k8s.io/v1:Gateway')!;
  expect(proxy.dependsOn).toEqual([`${RELEASE}::envoy-gateway`]);
  expect(klass.dependsOn).toEqual([`${RELEASE}::envoy-gateway`, `${proxy.type}::${proxy.name}`]);
  expect(gateway.dependsOn).toEqual(expect.arrayContaining([`${RELEASE}::envoy-gateway`, `${klass.type}::${klass.name}`]));
  expect(registration(run.registrations, RELEASE, 'envoy-gateway').dependsOn).toEqual([`${RELEASE}::envoy-gateway-crds`]);
});

test('by default the Backend API stays off (upstream default): no extensionApis in the chart values', async () => {
  const run = await build(undefined);
  expect(release(run.resources, 'eg').inputs.values.config.envoyGateway).toEqual({ gateway: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } });
});
