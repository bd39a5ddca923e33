import { describe, expect, it } from 'vitest';
import { RISK_ORDER } from '../../../backend/src/domain/risk.js';
import { quoteWords } from '../../../backend/src/cli/risk-command.js';
import { argvFor, assessCommand } from '../../../backend/src/risk/index.js';
import { POLICY } from './corpus-helpers.js';

// Seeded random kubectl command lines from a kubectl-shaped vocabulary, checked against invariants that must hold for
// every input, not just the hand-written corpus.

const VOCABULARY = [
  'get', 'delete', 'scale', 'rollout', 'undo', 'restart', 'patch', 'label', 'annotate', 'exec', 'logs', 'create',
  'secret', 'generic', 'apply', 'drain', 'cordon', 'top', 'set', 'image', 'describe', 'edit', 'pods', 'po', 'deploy',
  'deployment/web', 'ns', 'Namespace', 'ns/prod', 'secrets', 'nodes', 'all', 'svc,ns', 'web', 'x', 'prod', '-n', 'shop',
  '-A', '--all', '-l', 'app=web', '-o', 'yaml', 'name', '--replicas=0', '--replicas', '2', '--force', '--', '-f',
  'x.yaml', '-p', '{"spec":{"replicas":0}}', '--type=json', '--dry-run', '--grace-period=0', '-it', 'sh', 'a=b', '-v=9',
  '--namespace=kube-system', '-nkube-system', '--overwrite', '--raw', '/api/v1', 'token', 'role', 'r',
  // Added by the adversarial audit: printers in odd case, other verbs that print objects, create sub-verb plugins.
  'YAML', 'Json', 'wait', '--for=create', 'secret/db', 'foo', '-k', 'dir', 'node/n1', '--grace-period=00',
];

function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function commands(count: number, seed: number): string[][] {
  const rand = prng(seed);
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(rand() * 7) }, () => VOCABULARY[Math.floor(rand() * VOCABULARY.length)]));
}

const rank = (level: string) => RISK_ORDER.indexOf(level as (typeof RISK_ORDER)[number]);

describe('invariants over 2,000 generated commands', () => {
  const cases = commands(2000, 42).map((words) => ({ words, line: `kubectl ${quoteWords(words)}` }));

  it('never throws, always explains itself, and argv is exactly the words', () => {
    for (const { words, line } of cases) {
      const a = assessCommand(line, POLICY);
      expect(RISK_ORDER).toContain(a.level);
      expect(a.reasons.length, line).toBeGreaterThan(0);
      if (a.level !== 'forbidden') expect(argvFor(a), line).toEqual(words);
    }
  });

  it('a credential flag before the verb is always forbidden', () => {
    for (const { line } of cases) {
      for (const flag of ['--kubeconfig=/x', '--context=prod', '-s https://evil', '--as=admin', '--token=t']) {
        const a = assessCommand(line.replace(/^kubectl /, `kubectl ${flag} `), POLICY);
        expect(a.level, `${flag} ${line}`).toBe('forbidden');
      }
    }
  });

  it('naming a protected namespace never lowers the level below high', () => {
    for (const { line } of cases) {
      const plain = assessCommand(line, POLICY);
      if (plain.parsed?.namespace !== undefined) continue; // the command's own -n wins (last one counts)
      const protectedLine = assessCommand(line.replace(/^kubectl /, 'kubectl -n kube-system '), POLICY);
      expect(rank(protectedLine.level), line).toBeGreaterThanOrEqual(rank('high'));
    }
  });

  it('deleting a namespace stays forbidden whatever else is on the line', () => {
    for (const { words } of cases) {
      const tail = words.filter((w) => w !== '--');
      const a = assessCommand(`kubectl delete ns doomed ${quoteWords(tail)}`, POLICY);
      expect(a.level, a.command).toBe('forbidden');
    }
  });

  it('fail closed: a command that can write is never low, and one whose objects come from -f/-k is at least high', () => {
    for (const { line } of cases) {
      const a = assessCommand(line, POLICY);
      if (a.level === 'forbidden' || a.readOnly) continue;
      expect(rank(a.level), line).toBeGreaterThanOrEqual(rank('medium'));
      const fromFiles = a.parsed?.flagList.some((f) => f.name === 'filename' || f.name === 'kustomize');
      if (fromFiles) expect(rank(a.level), line).toBeGreaterThanOrEqual(rank('high'));
    }
  });

  it('any command that may print a Secret through an object printer is at least high, whatever the verb or case', () => {
    for (const { line } of cases) {
      for (const output of ['yaml', 'YAML', 'json', "'jsonpath={.data}'"]) {
        const a = assessCommand(`${line.replace(/ -- .*$| --$/, '')} -o ${output}`, POLICY);
        const secrets = a.parsed?.resources.includes('secrets') ?? false;
        if (a.level === 'forbidden' || !secrets) continue;
        expect(rank(a.level), a.command).toBeGreaterThanOrEqual(rank('high'));
      }
    }
  });
});
