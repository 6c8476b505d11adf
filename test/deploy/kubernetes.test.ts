// The Kubernetes example is valid against the Kubernetes API schemas (kubernetes-models' validators),
// and runs toolshed the way the README's deployment section says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

const MANIFEST = new URL('../../deploy/kubernetes/toolshed.yaml', import.meta.url);
const MODELS: Record<string, new (data: never) => { validate(): void }> = { Deployment, Service, ConfigMap, Secret };

const docs = parseAllDocuments(readFileSync(MANIFEST, 'utf8')).map((d) => d.toJSON() as { kind: string; metadata: { name: string }; spec?: Record<string, unknown> });

test('every object in the manifest validates against its Kubernetes schema', () => {
  assert.deepEqual(docs.map((d) => d.kind).sort(), ['ConfigMap', 'Deployment', 'Deployment', 'Secret', 'Service', 'Service']);
  for (const doc of docs) {
    const Model = MODELS[doc.kind];
    assert.ok(Model, `no validator for ${doc.kind}`);
    assert.doesNotThrow(() => new Model(doc as never).validate(), `${doc.kind} ${doc.metadata.name}`);
  }
  // The validator does catch a broken object (so the test above can fail).
  assert.throws(() => new Deployment({ metadata: { name: 'x' }, spec: { replicas: 'three' } } as never).validate());
});

test('the toolshed Deployment runs stateless replicas on Redis tasks, probed on /readyz and /healthz', () => {
  const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'toolshed') as unknown as Deployment;
  const container = deployment.spec!.template.spec!.containers[0]!;
  const args = container.command!.join(' ');
  assert.match(args, /serve --http --host 0\.0\.0\.0/);
  assert.match(args, /--stateless --tasks redis:\/\/toolshed-redis:6379/);
  assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
  assert.equal(container.livenessProbe?.httpGet?.path, '/healthz');
  assert.ok(docs.some((d) => d.kind === 'Service' && d.metadata.name === 'toolshed-redis'), 'the Redis the --tasks URL names');
});

test('each Service selects its Deployment\'s pods and targets a port they declare; the drain fits the grace period', () => {
  for (const service of docs.filter((d) => d.kind === 'Service') as unknown as Service[]) {
    const name = service.metadata!.name!;
    const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name) as unknown as Deployment | undefined;
    assert.ok(deployment, `a Deployment for Service ${name}`);
    const labels = deployment.spec!.template.metadata!.labels!;
    for (const [key, value] of Object.entries(service.spec!.selector!)) assert.equal(labels[key], value, `Service ${name} selects ${key}=${value}`);
    assert.deepEqual(deployment.spec!.selector.matchLabels, service.spec!.selector);
    const ports = deployment.spec!.template.spec!.containers.flatMap((c) => c.ports ?? []).map((p) => p.name);
    for (const port of service.spec!.ports!) assert.ok(ports.includes(String(port.targetPort)), `Service ${name} targets ${port.targetPort}, declared by its pods`);
  }
  const toolshed = (docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'toolshed') as unknown as Deployment).spec!.template.spec!;
  const container = toolshed.containers[0]!;
  for (const probe of [container.readinessProbe, container.livenessProbe]) assert.ok(container.ports!.some((p) => p.name === probe?.httpGet?.port), 'probes name a declared port');
  // SIGTERM drains for --shutdown-timeout-ms (10 s by default) and exits within 0.5 s more: Kubernetes must wait longer.
  assert.ok(toolshed.terminationGracePeriodSeconds! > 10.5);
});
