import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { SUBGRAPH_NAMES } from '../subgraphs';
import { CONFIG_VARIABLES, DEFAULT_PORTS, loadConfig } from '../tools/config';

/**
 * deploy/kubernetes, checked offline (no cluster here): the production overlay built by kubectl's
 * own kustomize, with throwaway files where its secrets go; every object against its Kubernetes
 * API schema (kubernetes-models, the OpenAPI schemas of the API); then against the code: each
 * service's command, port, health routes and settings, and who may call whom.
 */
const MODELS: Record<string, { validate(): void } & (new (value: any) => { validate(): void })> = {
  Deployment,
  HorizontalPodAutoscaler,
  Job,
  NetworkPolicy,
  PodDisruptionBudget,
  ConfigMap,
  Namespace,
  PersistentVolumeClaim,
  Secret,
  Service,
} as any;

const SERVICES = [...SUBGRAPH_NAMES, 'gateway'] as const;
/** Who calls an agency besides the gateway: immigration asks manpower on a user's behalf. */
const ALSO_CALLED_BY: Record<string, string[]> = { manpower: ['immigration'] };

let objects: any[];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-kubernetes-'));
  cpSync(path.join(__dirname, '..', 'deploy', 'kubernetes'), dir, { recursive: true });
  const overlay = path.join(dir, 'overlays', 'production');
  const secret = (file: string, text = 'not a real secret\n') => {
    mkdirSync(path.dirname(path.join(overlay, 'secrets', file)), { recursive: true });
    writeFileSync(path.join(overlay, 'secrets', file), text);
  };
  for (const name of SUBGRAPH_NAMES) secret(`identity/${name}.secret`);
  for (const file of ['immigration.key.pem', 'immigration.pub.pem', 'oversight.key.pem', 'oversight.pub.pem'])
    secret(`services/${file}`);
  for (const file of ['audit.key.pem', 'audit.pub.pem']) secret(file);
  secret(
    'database-urls.env',
    SUBGRAPH_NAMES.map((name) => `${name.toUpperCase()}_DATABASE_URL=postgres://${name}@db/${name}\n`).join(''),
  );
  const built = execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
  objects = parseAllDocuments(built).map((document) => document.toJS());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const containerOf = (name: string) => named('Deployment', name).spec.template.spec.containers[0];

describe('the Kubernetes manifests (deploy/kubernetes)', () => {
  it('build, and every object holds to its Kubernetes API schema', () => {
    expect(objects.length).toBeGreaterThan(30);
    for (const object of objects) {
      const Model = MODELS[object.kind];
      expect(Model).toBeDefined();
      expect(() => new Model(object).validate()).not.toThrow();
    }
  });

  it.each(SERVICES)(
    'run %s from the image on its port, probed on its health routes, with requests and limits',
    (name) => {
      const container = containerOf(name);
      const port = DEFAULT_PORTS[name];
      expect(container.command).toEqual(['node', 'dist/tools/start.js', '--only', name]);
      expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(container.env).toContainEqual({ name: `${name.toUpperCase()}_PORT`, value: String(port) });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      for (const bound of ['requests', 'limits'])
        expect(Object.keys(container.resources[bound]).sort()).toEqual(['cpu', 'memory']);
      expect(named('Service', name).spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
      expect(named('PodDisruptionBudget', name).spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
      expect(container.image).toMatch(/timpora-gateway:/);
    },
  );

  it('sets only settings the code reads, each database URL from the secret to the one service that owns it', () => {
    const settings = objects.find((o) => o.kind === 'ConfigMap').data as Record<string, string>;
    const known = new Set<string>([...CONFIG_VARIABLES, 'POD_NAME']);
    for (const name of Object.keys(settings)) expect(known).toContain(name);
    for (const name of SERVICES) {
      const env = containerOf(name).env as { name: string; value?: string }[];
      for (const variable of env) expect(known).toContain(variable.name);
      const urls = env.filter((variable) => variable.name.endsWith('DATABASE_URL')).map((variable) => variable.name);
      const own = name === 'gateway' ? 'AUDIT' : name.toUpperCase();
      expect(urls).toEqual(
        name === 'gateway' ? [`${own}_DATABASE_URL`] : [`${own}_DATABASE_URL`, `${own}_READ_DATABASE_URL`],
      );
      // The container's environment as the pod gets it loads in production mode.
      const environment = {
        ...settings,
        ...Object.fromEntries(env.map((v) => [v.name, v.value ?? 'postgres://x@db/x'])),
      };
      expect(loadConfig(environment).auth.production).toBe(true);
    }
    const gateway = loadConfig({ ...settings, GATEWAY_PORT: '4000' });
    for (const name of SUBGRAPH_NAMES)
      expect(gateway.subgraphUrls[name]).toBe(`http://${name}:${DEFAULT_PORTS[name]}/graphql`);
    // The URL of every service's database is a key of the secret the overlay makes.
    const databaseUrls = objects.find(
      (o) => o.kind === 'Secret' && o.metadata.name.startsWith('timpora-database-urls'),
    );
    expect(Object.keys(databaseUrls.data).sort()).toEqual(
      SUBGRAPH_NAMES.map((name) => `${name.toUpperCase()}_DATABASE_URL`).sort(),
    );
  });

  it('mounts each service its key files, and only those, from a secret that holds them', () => {
    for (const name of SERVICES) {
      const volume = named('Deployment', name).spec.template.spec.volumes.find((v: any) => v.name === 'keys');
      const secret = named('Secret', volume.secret.secretName);
      expect(secret).toBeDefined();
      expect(volume.secret.items.map((item: any) => item.key).sort()).toEqual(Object.keys(secret.data).sort());
    }
    const gatewayKeys = named('Secret', named('Deployment', 'gateway').spec.template.spec.volumes[0].secret.secretName);
    for (const agency of SUBGRAPH_NAMES) expect(Object.keys(gatewayKeys.data)).toContain(`${agency}.secret`);
  });

  it('scales the gateway on CPU, from two replicas, each signing checkpoints into its own file on a shared volume', () => {
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(containerOf('gateway').env).toContainEqual({
      name: 'AUDIT_CHECKPOINT_FILE',
      value: '/checkpoints/$(POD_NAME).jsonl',
    });
    const claim = named('Deployment', 'gateway').spec.template.spec.volumes.find((v: any) => v.name === 'checkpoints');
    expect(named('PersistentVolumeClaim', claim.persistentVolumeClaim.claimName).spec.accessModes).toEqual([
      'ReadWriteMany',
    ]);
  });

  it('denies every connection by default, and lets only the gateway call the agencies, oversight and the audit API', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.find((p) => p.metadata.name === 'default-deny-ingress').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    for (const name of SUBGRAPH_NAMES) {
      const own = policies.filter((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === name);
      expect(own).toHaveLength(1);
      const [rule] = own[0].spec.ingress;
      expect(own[0].spec.ingress).toHaveLength(1);
      const callers = rule.from.map((peer: any) => peer.podSelector.matchLabels['app.kubernetes.io/name']).sort();
      expect(callers).toEqual(['gateway', ...(ALSO_CALLED_BY[name] ?? [])].sort());
      expect(rule.ports).toEqual([{ port: DEFAULT_PORTS[name], protocol: 'TCP' }]);
    }
  });
});
