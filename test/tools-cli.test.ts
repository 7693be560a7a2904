import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The command-line tools answer at once and explain themselves: `--help` prints the usage (exit
 * 0), a bad argument is one line naming the real range (exit 2), never a stack trace, and a
 * second run does not rebuild dist/.
 */
const root = path.join(__dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-cli-'));
const env = { ...process.env, DATA_DIR: dataDir };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: root, env }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const tool = (name: string, ...args: string[]) =>
  run(process.execPath, [path.join('dist', 'tools', `${name}.js`), ...args]);

describe('npm run -s token', () => {
  it('prints its usage on --help and exits 0', async () => {
    const { code, stdout } = await tool('token', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run -s token -- \[options\]/);
    for (const flag of ['--role', '--pii', '--subject', '--hours']) expect(stdout).toContain(flag);
  });

  it.each([
    [['--hours', '0'], /--hours takes a number more than 0 and at most 12 .*got "0"/],
    [['--hours', '-1'], /--hours takes a number more than 0 and at most 12 .*got "-1"/],
    [['--hours', 'soon'], /--hours takes a number .*got "soon"/],
    [['--hours', '13'], /at most 12 .*got "13"/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--role', 'nobody'], /--role takes .*analyst.*got "nobody"/],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await tool('token', ...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('prints a token for a fraction of an hour', async () => {
    const { code, stdout } = await tool('token', '--hours', '0.5');
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('does not rebuild when nothing changed: dist/ stays untouched', async () => {
    const built = (file: string) => statSync(path.join(root, 'dist', file)).mtimeMs;
    const before = [built('.build-stamp.json'), built('tools/token.js')];
    for (let i = 0; i < 2; i += 1) {
      const { code, stderr } = await run('npm', ['run', '-s', 'token']);
      expect(code).toBe(0);
      expect(stderr).not.toMatch(/Building/);
    }
    expect([built('.build-stamp.json'), built('tools/token.js')]).toEqual(before);
  }, 30_000);
});

describe('the other tools take their arguments the same way', () => {
  it.each([['seed'], ['import'], ['migrate'], ['audit-verify'], ['chaos'], ['start'], ['control']])(
    '%s prints its usage on --help',
    async (name) => {
      const { code, stdout } = await tool(name, '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: /);
    },
  );

  it.each([
    ['seed', ['--persons', 'many'], /--persons takes a whole number from 20 to [\d]+, got "many"/],
    ['seed', ['--persons', '0'], /--persons takes a whole number from 20/],
    ['chaos', ['--agencies', 'interpol'], /--agencies takes a comma-separated list of immigration, .*got "interpol"/],
    ['chaos', ['--seconds', '-5'], /--seconds takes a whole number from 1, got "-5"/],
    ['migrate', ['interpol'], /Unknown interpol; choose from immigration/],
    ['import', ['--agency', 'manpower'], /--agency and --file are required/],
    ['start', ['--only', 'interpol'], /--only takes .*gateway, got "interpol"/],
    ['control', ['restart', 'interpol'], /Unknown service interpol/],
    ['audit-verify', ['--bogus'], /Unknown option '--bogus'/],
  ])('%s %j is one line and exit 2', async (name, args, message) => {
    const { code, stderr } = await tool(name, ...args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });
});
