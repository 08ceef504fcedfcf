#!/usr/bin/env node
/**
 * Smoke test of the installed pack, without the Pulumi CLI: starts the pack exactly as
 * `pulumi preview --policy-pack policies` does (`@pulumi/pulumi/cmd/run-policy-pack`, TypeScript
 * compiled and type-checked by ts-node), then talks to its gRPC analyzer the way the engine does:
 * GetAnalyzerInfo must list every policy, AnalyzeStack must flag the lesson's chatbot (the
 * HTTPRoute without a ReferenceGrant, among others) and pass the clean fixture; the same for an
 * InterceptorRoute + ScaledObject tenant (add-on 0.15 model): its broken timeout chain is flagged, its
 * fixed counterpart passes.
 *
 * Run after `cd policies && npm install`:  node policies/smoke.js   (exit 0 = pass)
 */
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const PACK_DIR = __dirname;
const FIXTURES = join(PACK_DIR, '..', 'test', 'fixtures');
const req = (m) => require(require.resolve(m, { paths: [PACK_DIR] }));
const grpc = req('@grpc/grpc-js');
const services = req('@pulumi/pulumi/proto/analyzer_grpc_pb.js');
const messages = req('@pulumi/pulumi/proto/analyzer_pb.js');
const { Struct } = req('google-protobuf/google/protobuf/struct_pb');
const { Empty } = req('google-protobuf/google/protobuf/empty_pb');
const { parseAllDocuments } = req('yaml');

/** Mandatory rules the lesson's chatbot breaks (docs/policies.md, test/policies/rules.test.ts). */
const LESSON_MANDATORY = ['autoscaler-owns-replicas', 'cold-start-timeout-chain', 'cross-namespace-ref-granted', 'http-scaled-has-readiness'];
const MANDATORY = 1;

/** The InterceptorRoute fixtures: broken (readiness unbounded, 30 s route) and fixed. */
const INTERCEPTOR_ROUTE = 'cold-start-timeout-chain-interceptor-route';

function resourcesOf(fixture, file = 'chatbot.yaml') {
  const text = readFileSync(join(FIXTURES, fixture, file), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((o) => o && o.kind)
    .map((o) => {
      const type = `kubernetes:${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`;
      const r = new messages.AnalyzerResource();
      r.setType(type);
      r.setName(`${o.metadata.namespace || 'cluster'}-${o.kind.toLowerCase()}-${o.metadata.name}`);
      r.setUrn(`urn:pulumi:smoke::tenantscale::${type}::${r.getName()}`);
      r.setProperties(Struct.fromJavaScript(o));
      r.setOptions(new messages.AnalyzerResourceOptions());
      return r;
    });
}

function call(client, method, request) {
  return new Promise((resolve, reject) => client[method](request, (err, res) => (err ? reject(err) : resolve(res.toObject()))));
}

function firstLine(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl).trim());
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`the pack exited (${code}) before listening:\n${err}${out}`)));
  });
}

async function main() {
  const child = spawn(process.execPath, [require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [PACK_DIR] }), '127.0.0.1:0', '.'], {
    cwd: PACK_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const failures = [];
  try {
    const port = await firstLine(child);
    if (!/^\d+$/.test(port)) throw new Error(`expected the analyzer port, got: ${port}`);
    const client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

    const info = await call(client, 'getAnalyzerInfo', new Empty());
    const names = info.policiesList.map((p) => p.name);
    console.log(`pack ${info.name} ${info.version}: ${names.length} policies`);
    if (info.name !== 'tenantscale' || names.length < 24) failures.push(`unexpected pack info: ${info.name}, ${names.join(', ')}`);

    const lesson = new messages.AnalyzeStackRequest();
    lesson.setResourcesList(resourcesOf('lesson-chatbot'));
    const found = (await call(client, 'analyzeStack', lesson)).diagnosticsList;
    for (const d of found) console.log(`  lesson-chatbot: ${d.policyname} (${d.enforcementlevel === MANDATORY ? 'mandatory' : 'advisory'}) on ${d.urn.split('::').pop()}`);
    const mandatory = [...new Set(found.filter((d) => d.enforcementlevel === MANDATORY).map((d) => d.policyname))].sort();
    if (JSON.stringify(mandatory) !== JSON.stringify(LESSON_MANDATORY)) failures.push(`lesson-chatbot: mandatory ${mandatory.join(', ')}, expected ${LESSON_MANDATORY.join(', ')}`);
    const grant = found.find((d) => d.policyname === 'cross-namespace-ref-granted');
    if (!grant || !grant.urn.endsWith('default-httproute-chatbot-route')) failures.push('cross-namespace-ref-granted was not reported on the chatbot-route URN');

    const clean = new messages.AnalyzeStackRequest();
    clean.setResourcesList(resourcesOf('clean'));
    const none = (await call(client, 'analyzeStack', clean)).diagnosticsList;
    console.log(`  clean: ${none.length} diagnostics`);
    if (none.length > 0) failures.push(`clean fixture: ${none.map((d) => d.policyname).join(', ')}`);

    const broken = new messages.AnalyzeStackRequest();
    broken.setResourcesList(resourcesOf(INTERCEPTOR_ROUTE, 'assistant.yaml'));
    const chain = (await call(client, 'analyzeStack', broken)).diagnosticsList;
    for (const d of chain) console.log(`  ${INTERCEPTOR_ROUTE}: ${d.policyname} on ${d.urn.split('::').pop()}`);
    const flagged = chain.filter((d) => d.policyname === 'cold-start-timeout-chain').map((d) => d.urn.split('::').pop()).sort();
    if (JSON.stringify(flagged) !== JSON.stringify(['assistant-httproute-assistant', 'assistant-interceptorroute-assistant'])) {
      failures.push(`${INTERCEPTOR_ROUTE}: cold-start-timeout-chain on ${flagged.join(', ') || 'nothing'}, expected the HTTPRoute and the InterceptorRoute`);
    }
    const fixed = new messages.AnalyzeStackRequest();
    fixed.setResourcesList(resourcesOf(`${INTERCEPTOR_ROUTE}-fixed`, 'assistant.yaml'));
    const silent = (await call(client, 'analyzeStack', fixed)).diagnosticsList;
    console.log(`  ${INTERCEPTOR_ROUTE}-fixed: ${silent.length} diagnostics`);
    if (silent.length > 0) failures.push(`${INTERCEPTOR_ROUTE}-fixed: ${silent.map((d) => d.policyname).join(', ')}`);
    client.close();
  } finally {
    child.kill();
  }
  if (failures.length > 0) {
    for (const f of failures) console.error(`✗ ${f}`);
    process.exit(1);
  }
  console.log('✓ the pack loads under run-policy-pack and analyzes stacks as expected');
}

main().catch((err) => {
  console.error(`✗ ${err.stack || err}`);
  process.exit(1);
});
