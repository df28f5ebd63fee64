/**
 * Summarizes a V8 .cpuprofile (from serverEntry.ts's SIGUSR2 window): where the server's main
 * thread spent the measured phase, by area (our code, each npm package, Node internals, GC, idle),
 * and the top functions by self and by inclusive time. Percentages are of the busy (non-idle)
 * samples, since the window also holds the short pauses between rounds.
 * Also runnable alone: `node --import tsx bench/claims/profile.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  durationMs: number;
  samples: number;
  idlePct: number;
  byArea: { area: string; pct: number }[];
  topSelf: { fn: string; pct: number }[];
  topInclusive: { fn: string; pct: number }[];
  /** Our own functions (server/src, schema) by inclusive time: the request's stages. */
  oursInclusive: { fn: string; pct: number }[];
}

function areaOf(url: string, name: string): string {
  if (name === '(idle)') return '(idle)';
  if (name === '(garbage collector)') return '(garbage collector)';
  if (name === '(program)' || name === '(root)') return '(program: native / not attributed)';
  if (!url) return '(native / builtins)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const m = /\/(server\/src\/[^/]+|schema|bench\/claims)\//.exec(url);
  return m ? m[1]! : url;
}

const label = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/').replace(/^.*\/work\/main\//, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};

export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const area = new Map<string, number>();
  for (const id of p.samples) {
    const n = byId.get(id)!;
    const key = label(n);
    self.set(key, (self.get(key) ?? 0) + 1);
    const a = areaOf(n.callFrame.url, n.callFrame.functionName);
    area.set(a, (area.get(a) ?? 0) + 1);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = label(byId.get(cur)!);
      if (!seen.has(k)) {
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + 1);
      }
    }
  }
  const idle = area.get('(idle)') ?? 0;
  area.delete('(idle)');
  self.delete('(idle)');
  const total = p.samples.length - idle || 1;
  const rank = (m: Map<string, number>, skip: (k: string) => boolean) =>
    [...m].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, c]) => ({ fn, pct: (100 * c) / total }));
  const pseudo = (k: string) => k.startsWith('(root)') || k.startsWith('(program)') || k.startsWith('(idle)') || k.startsWith('(garbage');
  return {
    file,
    durationMs: (p.endTime - p.startTime) / 1000,
    samples: p.samples.length,
    idlePct: (100 * idle) / (p.samples.length || 1),
    byArea: [...area].sort((a, b) => b[1] - a[1]).map(([a, c]) => ({ area: a, pct: (100 * c) / total })),
    topSelf: rank(self, (k) => k.startsWith('(root)')),
    topInclusive: rank(incl, pseudo),
    oursInclusive: rank(incl, (k) => !/ (server\/src|schema)\//.test(k)),
  };
}

export function printProfile(s: ProfileSummary) {
  const pct = (v: number) => `${v.toFixed(1).padStart(5)}%`;
  console.log(`\nServer CPU profile of the measured rounds: ${s.file}`);
  console.log(`  ${s.durationMs.toFixed(0)} ms, ${s.samples} samples of the main thread, ${s.idlePct.toFixed(1)}% idle (incl. pauses between rounds)`);
  console.log('  by area (% of busy samples):');
  for (const a of s.byArea.filter((x) => x.pct >= 0.5)) console.log(`    ${pct(a.pct)}  ${a.area}`);
  console.log('  top self time:');
  for (const f of s.topSelf) console.log(`    ${pct(f.pct)}  ${f.fn}`);
  console.log('  top inclusive time:');
  for (const f of s.topInclusive) console.log(`    ${pct(f.pct)}  ${f.fn}`);
  console.log('  our code by inclusive time (async functions: from each resumption to the next await):');
  for (const f of s.oursInclusive) console.log(`    ${pct(f.pct)}  ${f.fn}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node --import tsx bench/claims/profile.ts <file.cpuprofile> [top]');
    process.exit(1);
  }
  printProfile(summarizeProfile(file, Number(process.argv[3] ?? 25)));
}
