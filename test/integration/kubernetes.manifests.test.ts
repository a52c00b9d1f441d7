import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { SETTINGS } from '../../src/config/config-schema.js';
import { fromRoot } from '../../src/config/paths.js';

/** The Kubernetes API schema of every kind the manifests use (kubernetes-models' validators). */
const MODELS: Record<string, new () => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

type Doc = Record<string, unknown>;

function isDoc(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `kubectl kustomize` of a folder under deploy/kubernetes, as objects. */
function render(folder: string): Doc[] {
  const run = spawnSync('kubectl', ['kustomize', fromRoot(`deploy/kubernetes/${folder}`)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`kubectl kustomize ${folder}: ${run.stderr}`);
  return parseAllDocuments(run.stdout)
    .map((d) => d.toJSON() as unknown)
    .filter(isDoc);
}

/** A value at a path of plain objects and arrays. */
function at(doc: unknown, ...path: (string | number)[]): unknown {
  let v: unknown = doc;
  for (const p of path) v = isDoc(v) || Array.isArray(v) ? Reflect.get(v, p) : undefined;
  return v;
}

const FOLDERS = ['base', ...readdirSync(fromRoot('deploy/kubernetes/overlays')).map((o) => `overlays/${o}`)];
const SETTING_NAMES = new Set(Object.values(SETTINGS).map((s) => s.env));

it('the validators refuse what the API would refuse (so the checks below can fail)', () => {
  const broken = new Deployment();
  Object.assign(broken, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { replicas: 'two', selector: {}, template: {} },
  });
  expect(() => broken.validate()).toThrow();
});

/** Issue #20: the manifests render and every object holds against the Kubernetes API schemas. */
describe.each(FOLDERS)('deploy/kubernetes/%s', (folder) => {
  const objects = render(folder);

  it('renders objects that each validate against their API schema', () => {
    expect(objects.length).toBeGreaterThan(5);
    for (const o of objects) {
      const kind = `${String(o.apiVersion)}/${String(o.kind)}`;
      const Model = MODELS[kind];
      if (Model === undefined) throw new Error(`${kind} has no validator here: add it to MODELS`);
      const model = new Model();
      Object.assign(model, o);
      expect(() => model.validate()).not.toThrow();
    }
  });

  it('runs API and workers non-root on a read-only root, with probes, requests and limits, secrets by reference', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => at(d, 'metadata', 'name')).sort()).toEqual([
      'xoev-ai-gateway-api',
      'xoev-ai-gateway-worker',
    ]);
    for (const d of deployments) {
      const pod = at(d, 'spec', 'template', 'spec');
      expect(at(pod, 'securityContext', 'runAsNonRoot')).toBe(true);
      const container = at(pod, 'containers', 0);
      expect(at(container, 'securityContext', 'readOnlyRootFilesystem')).toBe(true);
      expect(at(container, 'securityContext', 'allowPrivilegeEscalation')).toBe(false);
      expect(at(container, 'livenessProbe', 'httpGet', 'path')).toBe('/healthz');
      expect(at(container, 'readinessProbe', 'httpGet', 'path')).toBe('/readyz');
      for (const r of ['requests', 'limits'])
        for (const q of ['cpu', 'memory']) expect(at(container, 'resources', r, q)).toBeDefined();
      const env = at(container, 'env');
      const secretNames = Array.isArray(env)
        ? env.filter((e) => at(e, 'valueFrom', 'secretKeyRef') !== undefined).map((e) => at(e, 'name'))
        : [];
      expect(secretNames).toContain('REDIS_URL');
    }
    // No Secret is rendered: secrets are the operator's, referenced by name.
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toHaveLength(2);
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(true);
    expect(objects.some((o) => o.kind === 'NetworkPolicy')).toBe(true);
    expect(objects.some((o) => o.kind === 'ServiceMonitor')).toBe(true);
  });

  it('sets only settings the gateway knows', () => {
    for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
      const data = at(cm, 'data');
      for (const name of Object.keys(isDoc(data) ? data : {})) expect(SETTING_NAMES).toContain(name);
    }
  });
});
