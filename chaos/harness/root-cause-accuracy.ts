// Root-cause accuracy of a chaos scenario run: does the outcome's rootCause name the key facts the scenario's
// expected.json lists (the missing label, the quota, the missing object, the exit code, the probe port)? Pure: the
// eval runner reads the files and the outcomes, this module only scores.
import { z } from 'zod/v4';

export const scenarioExpectationSchema = z.object({
  expect: z.enum(['fix', 'approval', 'rollback', 'escalate']),
  namespace: z.string().min(1),
  target: z.string().regex(/^[a-z]+\/[a-z0-9][-a-z0-9.]*$/, 'target must look like "deployment/name"'),
  rootCauseMustMention: z.array(z.string().min(1)).optional(),
});

export type ScenarioExpectation = z.infer<typeof scenarioExpectationSchema>;

export interface RootCauseScore {
  scenario: string;
  /** False when the scenario lists no key facts: it is not part of the percentage. */
  scored: boolean;
  /** Every key fact is named. */
  named: boolean;
  missing: string[];
}

export interface RootCauseAccuracy {
  scored: number;
  named: number;
  /** 0..100, one decimal; undefined when no scenario was scored. */
  percent?: number;
  misses: Array<{ scenario: string; missing: string[] }>;
}

/** Parses an expected.json body; a bad file gets a one-line error naming the scenario. */
export function parseExpectation(scenario: string, body: unknown): ScenarioExpectation {
  const parsed = scenarioExpectationSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${scenario}/expected.json: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

// Case, runs of whitespace and typographic quotes do not change whether a fact is named.
const normalise = (text: string) => text.toLowerCase().replace(/[“”„"]/g, '"').replace(/[‘’']/g, "'").replace(/\s+/g, ' ').trim();

/** Scores one outcome: each key fact must appear in the rootCause text (case- and whitespace-insensitive). */
export function scoreRootCause(scenario: string, expected: Pick<ScenarioExpectation, 'rootCauseMustMention'>, rootCause: string | undefined): RootCauseScore {
  const facts = expected.rootCauseMustMention ?? [];
  if (facts.length === 0) return { scenario, scored: false, named: false, missing: [] };
  const text = normalise(rootCause ?? '');
  const missing = facts.filter((fact) => !text.includes(normalise(fact)));
  return { scenario, scored: true, named: missing.length === 0, missing };
}

/**
 * A scenario with several incidents (the same failure paged twice) names its cause when any of them does: the others
 * rightly defer to the incident that handled it.
 */
export function scoreBestRootCause(scenario: string, facts: readonly string[], rootCauses: ReadonlyArray<string | undefined>): RootCauseScore & { rootCause?: string } {
  const scores = (rootCauses.length ? rootCauses : [undefined]).map((rootCause) => ({ ...scoreRootCause(scenario, { rootCauseMustMention: [...facts] }, rootCause), rootCause }));
  return scores.find((s) => s.named) ?? scores.reduce((best, s) => (s.missing.length < best.missing.length ? s : best));
}

/** The percentage the eval reports: scenarios whose rootCause named every key fact, over the scenarios scored. */
export function summariseRootCauseAccuracy(scores: readonly RootCauseScore[]): RootCauseAccuracy {
  const scored = scores.filter((s) => s.scored);
  const named = scored.filter((s) => s.named).length;
  return {
    scored: scored.length,
    named,
    percent: scored.length ? Math.round((named / scored.length) * 1000) / 10 : undefined,
    misses: scored.filter((s) => !s.named).map((s) => ({ scenario: s.scenario, missing: s.missing })),
  };
}
