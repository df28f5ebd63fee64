/**
 * Vite build plugin: writes dist/sw.js from the template client/serviceWorker/sw.js with the list
 * of files to precache (index.html and every file of this build: hashed JS, CSS, the map worker)
 * and a version derived from their contents, so each deploy installs a new worker and cache.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const TEMPLATE = fileURLToPath(new URL('../serviceWorker/sw.js', import.meta.url));

/** The precache list and version for a build's output files (name → contents). */
export function shellManifest(files: Record<string, string | Uint8Array>): { version: string; urls: string[] } {
  const names = Object.keys(files)
    .filter((name) => !name.endsWith('.map') && name !== 'sw.js')
    .sort();
  const hash = createHash('sha256');
  for (const name of names) hash.update(name).update('\0').update(files[name]).update('\0');
  const urls = names.map((name) => (name === 'index.html' ? '/index.html' : `/${name}`));
  return { version: hash.digest('hex').slice(0, 16), urls };
}

export function serviceWorkerPlugin(): Plugin {
  return {
    name: 'delivery-board-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files: Record<string, string | Uint8Array> = {};
      for (const [name, out] of Object.entries(bundle)) files[name] = out.type === 'chunk' ? out.code : out.source;
      const { version, urls } = shellManifest(files);
      const template = readFileSync(TEMPLATE, 'utf8');
      const source = template
        .replace("'__SHELL_VERSION__'", JSON.stringify(version))
        .replace("'__SHELL_FILES__'", JSON.stringify(JSON.stringify(urls)));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
