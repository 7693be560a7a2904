import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, DEFAULT_PORTS, loadConfig } from '../tools/config';
import { SUBGRAPH_NAMES } from '../subgraphs';

const root = path.join(__dirname, '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const services = compose.services as Record<
  string,
  {
    environment?: Record<string, string>;
    ports?: string[];
    command?: string[];
    healthcheck?: unknown;
    depends_on?: Record<string, { condition: string }>;
    secrets?: string[];
    volumes?: string[];
  }
>;
const APP_SERVICES = [...SUBGRAPH_NAMES, 'gateway'] as const;
/** The values operators start from (deploy/example.env), as docker-compose substitutes them. */
const example = Object.fromEntries(
  readFileSync(path.join(root, 'deploy', 'example.env'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
const resolved = (environment: Record<string, string> = {}) =>
  Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      String(value).replace(
        /\$\{([A-Z_]+)(?::?([-?])([^}]*))?\}/g,
        (_m, variable, operator, fallback) => example[variable] ?? (operator === '-' ? fallback : ''),
      ),
    ]),
  );

describe('docker-compose.yml against the code’s configuration', () => {
  it('runs PostgreSQL, the migrations, the four services and the gateway', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'migrate', ...APP_SERVICES].sort());
    expect(services.migrate.command).toEqual(['node', 'dist/tools/migrate.js']);
  });

  it.each(APP_SERVICES)(
    'starts %s on its configured port, with a readiness health check, after its dependencies are healthy',
    (name) => {
      const service = services[name];
      expect(service.command).toEqual(['node', 'dist/tools/start.js', '--only', name]);
      expect(service.ports![0]).toMatch(new RegExp(`:${DEFAULT_PORTS[name]}$`));
      expect(resolved(service.environment)[`${name.toUpperCase()}_PORT`]).toBe(String(DEFAULT_PORTS[name]));
      expect(JSON.stringify(service.healthcheck)).toContain(`127.0.0.1:${DEFAULT_PORTS[name]}/health/ready`);
      for (const dependency of Object.values(service.depends_on ?? {}))
        expect(['service_healthy', 'service_completed_successfully']).toContain(dependency.condition);
    },
  );

  it('sets only variables the code reads, and each service’s configuration loads in production mode', () => {
    for (const name of [...APP_SERVICES, 'migrate']) {
      const environment = resolved(services[name].environment);
      for (const variable of Object.keys(environment)) expect(CONFIG_VARIABLES).toContain(variable);
      const config = loadConfig(environment);
      expect(config.auth.production).toBe(true);
    }
    const gateway = loadConfig(resolved(services.gateway.environment));
    for (const name of SUBGRAPH_NAMES)
      expect(gateway.subgraphUrls[name]).toBe(`http://${name}:${DEFAULT_PORTS[name]}/graphql`);
    // The gateway holds every agency's identity secret; each agency its own alone.
    expect(gateway.auth.identityKeysDir).toBe('/run/secrets');
    expect(services.gateway.secrets).toEqual(
      expect.arrayContaining(
        SUBGRAPH_NAMES.map((name) => ({ source: `${name}_identity_secret`, target: `${name}.secret` })),
      ),
    );
    for (const name of SUBGRAPH_NAMES) {
      const identitySecrets = (services[name].secrets ?? []).filter((secret) =>
        JSON.stringify(secret).includes('identity'),
      );
      expect(identitySecrets).toEqual([{ source: `${name}_identity_secret`, target: `${name}.secret` }]);
    }
    // The gateway signs the read audit's checkpoints with its own key, onto a volume that outlives it.
    expect(gateway.auditCheckpoints.privateKeyFile).toBe('/run/secrets/audit_private_key');
    expect(services.gateway.secrets).toContain('audit_private_key');
    expect(services.gateway.volumes).toContain(`audit-checkpoints:${path.dirname(gateway.auditCheckpoints.file)}`);
    for (const name of SUBGRAPH_NAMES)
      expect(loadConfig(resolved(services[name].environment)).databaseUrls[name]).toMatch(
        new RegExp(`^postgres://${name}:.*@postgres:5432/${name}$`),
      );
  });

  it('documents every variable in the README and reads no other', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const variable of CONFIG_VARIABLES) expect(readme).toContain(variable);
    const source = ['tools/config.ts', 'lib/auth-config.ts']
      .map((file) => readFileSync(path.join(root, file), 'utf8'))
      .join('\n');
    const literal = [...source.matchAll(/env\.([A-Z_]+)|\(env, '([A-Z_]+)'/g)].map((match) => match[1] ?? match[2]);
    for (const variable of literal) expect(CONFIG_VARIABLES).toContain(variable);
  });
});
