// tsx scripts/summarize-cpu-profile.ts <file.cpuprofile> [top=25]
// The top self-time functions of a V8 CPU profile (node --cpu-prof), with their share of the sampled time and a
// rollup by package/area, for reading where a server's CPU goes (see BENCH_CPU_PROF in bench-ingest.ts).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx scripts/summarize-cpu-profile.ts <file.cpuprofile> [top]');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const areaOf = (url: string): string => {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url.split('/')[0];
  const own = /\/(backend\/src\/[^/]+)/.exec(url)?.[1];
  return own ?? url.replace(/^.*\//, '');
};
const fns = new Map<string, number>();
const areas = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const key = `${functionName || '(anonymous)'}  ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(backend|scripts)\//, '$1/')}:${lineNumber + 1}` : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const area = areaOf(url);
  areas.set(area, (areas.get(area) ?? 0) + us);
}
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
console.log('\ntop self time by function:');
for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) console.log(`  ${pct(us)}  ${k}`);
console.log('\nself time by area:');
for (const [k, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(us)}  ${k}`);
