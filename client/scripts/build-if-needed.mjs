// Builds the client when client/dist is missing or older than any source file, so `npm start`
// on a fresh clone serves a working app without a separate build step.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'index.html');

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

const sources = ['src', 'public', 'serviceWorker', 'scripts', 'index.html', 'vite.config.ts', '../schema'].map((p) => join(root, p)).filter(existsSync);
const sourceTime = Math.max(...sources.map((p) => newest(p)));
if (!existsSync(built) || statSync(built).mtimeMs < sourceTime) {
  console.log('Building the client…');
  // NODE_ENV=production: test runners set `test`, which would bundle Solid's development build.
  execSync('npx vite build', { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
