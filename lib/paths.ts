import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root, whether running from sources (ts) or from the build (dist/). */
export const projectRoot = findRoot(__dirname);

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}
