// `node tools/build.mjs [--clean]`: builds dist/ from the TypeScript sources, or does nothing when
// dist/ is already newer than every source. Plain JavaScript, so it runs before any build exists.
//
// Every npm script that runs a tool starts with it: a tool answers at once when nothing changed
// (a no-op `tsc --incremental` takes 3.5 s here; this check takes a few ms). Several scripts
// started at once (five `npm run start:<service>`) build once: the first takes a lock, the others
// wait for it and then find dist/ fresh. `--clean` (what `npm run build` runs) always empties
// dist/ first, so no module removed from the sources lingers there.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const TSCONFIG = 'tsconfig.build.json';
/** Written after every successful build; its mtime is when that build started. */
const STAMP = path.join(dist, '.build-stamp.json');
const LOCK = path.join(root, '.build.lock');

/** What tsc reads: the config files and the .ts/.json files of tsconfig.build.json's folders. */
function sourceFiles() {
  const { include } = JSON.parse(fs.readFileSync(path.join(root, TSCONFIG), 'utf8'));
  const files = ['tsconfig.json', TSCONFIG];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (/\.(ts|json)$/.test(entry.name)) files.push(relative);
    }
  };
  for (const dir of include) walk(dir);
  return files.sort();
}

/** Why dist/ must be rebuilt ('clean': a source was added or removed), or null when it is fresh. */
function staleness() {
  let stamp;
  try {
    stamp = { mtimeMs: fs.statSync(STAMP).mtimeMs, sources: JSON.parse(fs.readFileSync(STAMP, 'utf8')).sources };
  } catch {
    return 'clean';
  }
  const sources = sourceFiles();
  if (sources.join('\n') !== stamp.sources.join('\n')) return 'clean';
  const changed = sources.some((file) => fs.statSync(path.join(root, file)).mtimeMs > stamp.mtimeMs);
  return changed ? 'changed' : null;
}

function compile(clean) {
  const started = new Date();
  const sources = sourceFiles();
  if (clean) fs.rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', TSCONFIG], {
    cwd: root,
    stdio: 'inherit',
  });
  fs.writeFileSync(STAMP, JSON.stringify({ sources }));
  // A source saved while tsc ran is newer than this, so the next check builds again.
  fs.utimesSync(STAMP, started, started);
}

/** Takes the lock, or says who holds it; a lock left by a process that died is taken over. */
function tryLock() {
  try {
    fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
  const holder = Number(fs.readFileSync(LOCK, 'utf8')) || 0;
  if (holder && isAlive(holder)) return false;
  fs.rmSync(LOCK, { force: true });
  return tryLock();
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function main() {
  const clean = process.argv.includes('--clean');
  if (!clean && staleness() === null) return;
  let waited = false;
  while (!tryLock()) {
    if (!waited) process.stderr.write('Another build of dist/ is running; waiting for it…\n');
    waited = true;
    sleep(100);
  }
  try {
    // The build waited for may have made dist/ fresh; a clean build is asked for by name.
    const why = clean ? 'clean' : staleness();
    if (why === null) return;
    if (!clean)
      process.stderr.write(`Building dist/ (${why === 'clean' ? 'sources added or removed' : 'sources changed'})…\n`);
    compile(why === 'clean');
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

try {
  main();
} catch (error) {
  // tsc has printed its errors already.
  if (error.status === undefined) console.error(`Build failed: ${error.message}`);
  process.exit(error.status || 1);
}
