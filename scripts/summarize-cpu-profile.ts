// tsx scripts/summarize-cpu-profile.ts <file.cpuprofile> [top=25] [--from FUNCTION] [--per N]
// The top self-time functions of a V8 CPU profile (node --cpu-prof), with their share of the sampled time, a rollup
// by package/area, and the inclusive (self + callees) time of the busiest functions, for reading where a server's
// CPU goes (see BENCH_CPU_PROF in bench-ingest.ts).
// --from FUNCTION: count only samples from the first one whose stack holds FUNCTION (skips module loading and
//   start-up, so the figures describe the steady state under load).
// --per N: also print each line as µs per unit of work, for N units in the profiled window (e.g. requests served).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: 'string' }, per: { type: 'string' } } });
const [file, topArg] = positionals;
if (!file) {
  console.error('usage: tsx scripts/summarize-cpu-profile.ts <file.cpuprofile> [top] [--from FUNCTION] [--per N]');
  process.exit(1);
}
const top = Number(topArg ?? 25);
const per = values.per ? Number(values.per) : undefined;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

const areaOf = (url: string): string => {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url.split('/')[0];
  const own = /\/(backend\/src\/[^/]+)/.exec(url)?.[1];
  return own ?? url.replace(/^.*\//, '');
};
const keyOf = (id: number): string => {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  return `${functionName || '(anonymous)'}  ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(backend|scripts)\//, '$1/')}:${lineNumber + 1}` : ''}`;
};
const stackOf = (id: number): number[] => {
  const stack: number[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) stack.push(at);
  return stack;
};

let first = 0;
if (values.from) {
  first = profile.samples.findIndex((id) => stackOf(id).some((n) => byId.get(n)!.callFrame.functionName === values.from));
  if (first < 0) {
    console.error(`no sample has ${values.from} on its stack`);
    process.exit(1);
  }
}

const fns = new Map<string, number>();
const areas = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
for (let i = first; i < profile.samples.length; i += 1) {
  const id = profile.samples[i];
  const us = profile.timeDeltas[i] ?? 0;
  total += us;
  const key = keyOf(id);
  fns.set(key, (fns.get(key) ?? 0) + us);
  areas.set(areaOf(byId.get(id)!.callFrame.url), (areas.get(areaOf(byId.get(id)!.callFrame.url)) ?? 0) + us);
  // Each function once per sample, however deep its recursion.
  for (const k of new Set(stackOf(id).map(keyOf))) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
}

const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%${per ? `  ${(us / per).toFixed(1).padStart(6)} µs` : ''}`;
const print = (title: string, m: Map<string, number>, n: number, skip: (k: string) => boolean = () => false) => {
  console.log(`\n${title}:`);
  for (const [k, us] of [...m].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${pct(us)}  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled${values.from ? ` from the first sample in ${values.from}` : ''}${per ? `; µs per unit for ${per} units` : ''}`);
print('top self time by function', fns, top);
print('self time by area', areas, 15);
// Roots and the idle/GC pseudo-frames say nothing about who called them.
print('inclusive time (self + callees)', inclusive, top, (k) => /^\((root|idle|program|garbage collector)\)/.test(k));
