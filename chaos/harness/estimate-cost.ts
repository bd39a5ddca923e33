// Pure: the estimated cost of an incident's tokens, from the LLM_PRICES_PER_MTOK price table.

export interface Price {
  /** A substring of the model name ("sonnet"). */
  match: string;
  inputPerMTok: number;
  outputPerMTok: number;
}

/** USD at the first price whose substring the model name contains; undefined when no price matches. */
export function estimateCost(tokens: { input: number; output: number }, model: string, prices: readonly Price[]): number | undefined {
  const price = prices.find((p) => model.toLowerCase().includes(p.match));
  if (!price) return undefined;
  return (tokens.input * price.inputPerMTok + tokens.output * price.outputPerMTok) / 1_000_000;
}
