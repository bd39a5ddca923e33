import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteWords } from '../../../backend/src/cli/risk-command.js';
import { RISK_ORDER } from '../../../backend/src/domain/risk.js';
import { argvFor, assessCommand, parseKubectlArgs, tokenizeCommandLine } from '../../../backend/src/risk/index.js';
import { analysePatch } from '../../../backend/src/risk/patch-body.js';
import { POLICY } from './corpus-helpers.js';

// Property-based fuzzing (fast-check): the tokenizer, the parser and the scorer never throw, on random input and on
// mutations of real remediation commands, and a few effect invariants hold for every input. A failure prints the
// shrunk counter-example and the seed to replay it.

const RUNS = { numRuns: 400 };
const rank = (level: string) => RISK_ORDER.indexOf(level as (typeof RISK_ORDER)[number]);

const SEEDS = [
  'kubectl rollout undo deployment/web -n shop',
  'kubectl scale deployment/web -n shop --replicas=3',
  'kubectl set resources deployment/web -n shop -c app --limits=memory=512Mi',
  'kubectl rollout restart deployment/web -n shop',
  'kubectl uncordon n1',
  'kubectl get pods -n shop -o wide',
  'kubectl patch deploy web -n shop -p \'{"spec":{"replicas":2}}\'',
  'kubectl annotate svc web -n shop team=a',
  'kubectl label node n1 disktype=ssd',
  'kubectl logs web-1 -n shop --tail=50',
];
const WORDS = [
  '-f', '-k', '--filename=x.yaml', '-o', 'yaml', '--output=out.yaml', 'kustomize', 'cp', 'web:/x', './x', '/etc/passwd',
  'git@github.com:o/r', 'github.com/o/r?ref=v1', '--address=0.0.0.0', 'port-forward', 'secret', 'crd', '--to-revision=1',
  '--replicas=9999', 'eks.amazonaws.com/role-arn=x', 'nginx.ingress.kubernetes.io/server-snippet=x', 'app-', 'ds/x',
  '--', '-A', '--all', '--raw', '/api', '-p', '{"a":[[[{}]]]}', '--type=json', '"', "'", '\\', '$', ';', '|', '\u200b', '\u0000',
  '-nkube-system', '--kubeconfig=/x', 'ns/prod', 'delete', 'get', 'describe', 'exec', 'label', 'annotate', 'patch',
];

/** A real command with random edits: insert, delete or replace a word; insert, delete or replace a character. */
const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.tuple(fc.constantFrom('insertWord', 'deleteWord', 'replaceWord', 'insertChar', 'deleteChar', 'swapWords'), fc.nat(), fc.constantFrom(...WORDS), fc.string({ unit: 'binary', maxLength: 1, minLength: 1 })),
      { maxLength: 6 },
    ),
  )
  .map(([seed, edits]) => {
    let line = seed;
    for (const [op, at, word, char] of edits) {
      const words = line.split(' ');
      const w = at % (words.length + 1);
      const c = at % (line.length + 1);
      if (op === 'insertWord') words.splice(w, 0, word);
      else if (op === 'deleteWord' && words.length > 1) words.splice(Math.max(1, w % words.length), 1);
      else if (op === 'replaceWord' && words.length > 1) words[Math.max(1, w % words.length)] = word;
      else if (op === 'swapWords' && words.length > 2) {
        const i = Math.max(1, w % words.length);
        const j = Math.max(1, (w + 1) % words.length);
        [words[i], words[j]] = [words[j], words[i]];
      }
      if (op === 'insertChar') line = `${line.slice(0, c)}${char}${line.slice(c)}`;
      else if (op === 'deleteChar') line = `${line.slice(0, c)}${line.slice(c + 1)}`;
      else line = words.join(' ');
    }
    return line;
  });

/** Random kubectl-shaped argv from the vocabulary, quoted back into one line. */
const wordLists = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 10 });

function checkAssessment(line: string): void {
  const a = assessCommand(line, POLICY);
  expect(RISK_ORDER).toContain(a.level);
  expect(a.reasons.length).toBeGreaterThan(0);
  // Low is earned: read-only implies low, and a forbidden command never yields an argv.
  if (a.readOnly) expect(a.level).toBe('low');
  if (a.level === 'forbidden') expect(() => argvFor(a)).toThrow();
  const parsed = a.parsed;
  if (!parsed || a.level === 'forbidden') return;
  // Anything that reads local files or names -f/-k is never low.
  if (parsed.filenames.length > 0 || parsed.kustomize !== undefined) expect(rank(a.level)).toBeGreaterThanOrEqual(rank('high'));
  if (parsed.verb === 'kustomize' && parsed.flagList.some((f) => f.name === 'output')) expect.fail(`kustomize -o not forbidden: ${line}`);
}

describe('property: never throws', () => {
  it('the tokenizer never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (line) => {
        const t = tokenizeCommandLine(line);
        expect(typeof t.ok).toBe('boolean');
      }),
      RUNS,
    );
  });

  it('the parser never throws on any argv', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 12 }), (args) => {
        const p = parseKubectlArgs(args);
        expect(Array.isArray(p.problems)).toBe(true);
      }),
      RUNS,
    );
  });

  it('the scorer never throws on random lines', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (tail) => checkAssessment(`kubectl ${tail}`)), RUNS);
  });

  it('the scorer never throws on kubectl-shaped word lists, and argv is exactly the words', () => {
    fc.assert(
      fc.property(wordLists, (words) => {
        const line = `kubectl ${quoteWords(words)}`;
        checkAssessment(line);
        const a = assessCommand(line, POLICY);
        if (a.level !== 'forbidden') expect(argvFor(a)).toEqual(words);
      }),
      RUNS,
    );
  });

  it('the scorer never throws on mutated remediation commands', () => {
    fc.assert(fc.property(mutated, (line) => checkAssessment(line)), { numRuns: 1_000 });
  });

  it('patch analysis never throws on any JSON value, nor on deep or wide nesting', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.constantFrom(undefined, 'json', 'merge', 'strategic'), (value, type) => {
        const result = analysePatch(JSON.stringify(value), type);
        expect(Array.isArray(result.paths)).toBe(true);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_000 }), fc.constantFrom('{"a":', '[', '{"metadata":{"labels":'), (depth, open) => {
        const close = open === '[' ? ']' : '}'.repeat(open.split('{').length - 1);
        const body = `${open.repeat(depth)}1${close.repeat(depth)}`;
        const a = assessCommand(`kubectl patch deploy web -n shop -p '${body}'`, POLICY);
        if (depth > 64) expect(a.level).toBe('forbidden');
      }),
      { numRuns: 60 },
    );
  });
});

describe('property: classes hold for every spelling', () => {
  const remote = fc.oneof(
    fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z]{2,4})?$/), fc.stringMatching(/^[a-z]{1,6}\/[a-z]{1,6}$/)).map(([u, host, path]) => `${u}@${host}:${path}`),
    fc.tuple(fc.constantFrom('https', 'http', 'ssh', 'git', 'file', 'ftp', 's3'), fc.stringMatching(/^[a-z]{1,8}\/[a-z]{1,8}$/)).map(([s, p]) => `${s}://${p}`),
    fc.tuple(fc.stringMatching(/^[a-z]{1,8}\.(com|io|org|dev)$/), fc.stringMatching(/^[a-z]{1,8}\/[a-z]{1,8}$/)).map(([host, p]) => `${host}/${p}`),
    fc.tuple(fc.stringMatching(/^[a-z]{1,8}\/[a-z]{1,8}$/), fc.stringMatching(/^[a-z0-9.]{1,8}$/)).map(([p, ref]) => `${p}?ref=${ref}`),
  );
  const kVerbs = ['apply -k', 'get -k', 'describe -k', 'diff -k', 'delete -k', 'rollout status -k', 'kustomize', 'create -k', 'replace -k', 'set image -k'];

  it('a remote kustomization is forbidden in every verb that takes -k and in kubectl kustomize', () => {
    fc.assert(
      fc.property(remote, fc.constantFrom(...kVerbs), (source, verb) => {
        const a = assessCommand(`kubectl ${verb} ${quoteWords([source])}`, POLICY);
        expect(a.level, `${verb} ${source}`).toBe('forbidden');
      }),
      RUNS,
    );
  });

  it('any port-forward address off loopback is forbidden', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const a = assessCommand(`kubectl port-forward pod/web 8080:80 --address=${ip}`, POLICY);
        expect(a.level).toBe(ip.startsWith('127.') ? 'high' : 'forbidden');
      }),
      RUNS,
    );
  });

  it('a cp to any local path is forbidden', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9._][a-zA-Z0-9._/-]{0,20}$/), (dest) => {
        const a = assessCommand(`kubectl cp web:/tmp/x ${quoteWords([dest])}`, POLICY);
        expect(a.level, dest).toBe('forbidden');
      }),
      RUNS,
    );
  });
});
