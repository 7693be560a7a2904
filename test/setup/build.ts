import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Once before all test files: the build that tests running the command-line tools start. */
export default function build() {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: path.join(__dirname, '..', '..'), stdio: 'inherit' });
}
