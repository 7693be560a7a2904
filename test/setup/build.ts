import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Once before all test files: the build that tests running the command-line tools start. A clean
 * one (`npm run build` empties dist/ first), so no module removed from the sources lingers there.
 */
export default function build() {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: path.join(__dirname, '..', '..'), stdio: 'inherit' });
}
