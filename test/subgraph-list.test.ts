import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SUBGRAPH_NAMES, SUBGRAPHS, subgraphs } from '../subgraphs';
import { CONFIG_VARIABLES, DEFAULT_PORTS, loadConfig, SERVICE_NAMES } from '../tools/config';
import { IMPORTS } from '../tools/import';
import { startTestSystem, TestSystem } from './helpers/system';

const root = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/**
 * subgraphs/index.ts declares each subgraph once; everything else that names the subgraphs is
 * derived from it. Adding an agency is one folder plus one entry there, and this suite shows that
 * no list was left behind.
 */
describe('the one list of subgraphs', () => {
  it('has a folder per entry and an entry per folder, each named as its definition', () => {
    const folders = readdirSync(path.join(root, 'subgraphs'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
      .map((entry) => entry.name);
    expect([...SUBGRAPH_NAMES].sort()).toEqual(folders.sort());
    for (const name of SUBGRAPH_NAMES) expect(subgraphs[name].name).toBe(name);
  });

  it('gives every service its own port and its variables, documented in the README', () => {
    expect(SERVICE_NAMES).toEqual([...SUBGRAPH_NAMES, 'gateway']);
    const ports = SERVICE_NAMES.map((name) => DEFAULT_PORTS[name]);
    expect(new Set(ports).size).toBe(ports.length);
    const readme = read('README.md');
    for (const name of SUBGRAPH_NAMES) {
      for (const suffix of ['PORT', 'URL', 'DATABASE_URL']) {
        expect(CONFIG_VARIABLES).toContain(`${name.toUpperCase()}_${suffix}`);
        expect(readme).toContain(`${name.toUpperCase()}_${suffix}`);
      }
    }
    const config = loadConfig({});
    for (const name of SUBGRAPH_NAMES) {
      expect(config.subgraphUrls[name]).toBe(`http://127.0.0.1:${SUBGRAPHS[name].defaultPort}/graphql`);
      expect(config.databaseUrls[name]).toMatch(new RegExp(`${name}\\.sqlite$`));
    }
  });

  it('composes every subgraph into the checked-in supergraph, with a schema file each', () => {
    const supergraph = read('schema/supergraph.graphql');
    for (const name of SUBGRAPH_NAMES) {
      expect(supergraph).toContain(
        `@join__graph(name: "${name}", url: "http://127.0.0.1:${SUBGRAPHS[name].defaultPort}/graphql")`,
      );
      expect(read(`schema/${name}.graphql`).length).toBeGreaterThan(0);
    }
    expect(supergraph.match(/@join__graph\(name: "/g)).toHaveLength(SUBGRAPH_NAMES.length);
  });

  it('keeps each subgraph’s migrations in its folder, all listed by its definition', () => {
    for (const name of SUBGRAPH_NAMES) {
      const files = readdirSync(path.join(root, SUBGRAPHS[name].migrationsFolder)).filter(
        (file) => file !== 'index.ts',
      );
      expect(files.map((file) => file.replace(/\.ts$/, '')).sort()).toEqual(
        subgraphs[name].migrations.map((migration) => migration.name).sort(),
      );
    }
  });

  it('lets every subgraph with record types import them, and only its own', () => {
    const importing = SUBGRAPH_NAMES.filter((name) => SUBGRAPHS[name].imports.length > 0);
    expect(Object.keys(IMPORTS).sort()).toEqual([...importing].sort());
    for (const name of importing) for (const type of IMPORTS[name]!) expect(type.agency).toBe(name);
  });

  it('runs every subgraph as a service in docker-compose on its port', () => {
    const services = parse(read('docker-compose.yml'), { merge: true }).services as Record<
      string,
      { command?: string[]; ports?: string[] }
    >;
    for (const name of SERVICE_NAMES) {
      expect(services[name].command).toEqual(['node', 'dist/tools/start.js', '--only', name]);
      expect(services[name].ports![0]).toMatch(new RegExp(`:${DEFAULT_PORTS[name]}$`));
    }
  });

  describe('started as a system', () => {
    let t: TestSystem;
    beforeAll(async () => {
      t = await startTestSystem({ persons: 20 });
    });
    afterAll(() => t.stop());

    it('starts every subgraph and the gateway checks each one for readiness', async () => {
      expect(Object.keys(t.system.subgraphs).sort()).toEqual([...SUBGRAPH_NAMES].sort());
      const response = await fetch(new URL('/health/ready', t.system.gateway!.url));
      const body = (await response.json()) as { checks: Record<string, string> };
      expect(Object.keys(body.checks).sort()).toEqual([...SUBGRAPH_NAMES].sort());
    });

    it('names an agency by its label when its data is missing', async () => {
      await t.subgraph('police').stop();
      const { errors } = await t.query('{ foreignNationals(first: 1) { nodes { id policeReports { role } } } }');
      expect(errors?.[0]).toMatchObject({
        message: expect.stringContaining(SUBGRAPHS.police.label),
        extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'police' },
      });
    });
  });
});
