// Kubernetes resource quantities (cpu "250m", memory "512Mi", "1e3", "128974848"), parsed to plain numbers in base units.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const PATTERN = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** Thrown for a string that is not a Kubernetes quantity. */
export class InvalidQuantityError extends Error {
  constructor(readonly input: string) {
    super(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(input)}`);
    this.name = 'InvalidQuantityError';
  }
}

/** Parses a quantity to base units (cores for cpu, bytes for memory). Throws InvalidQuantityError. */
export function parseQuantity(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new InvalidQuantityError(String(input));
    return input;
  }
  const match = PATTERN.exec(input.trim());
  if (!match) throw new InvalidQuantityError(input);
  const [, digits, suffix, exponent] = match;
  const value = Number(digits);
  if (exponent !== undefined) return value * 10 ** Number(exponent);
  if (suffix === undefined) return value;
  return value * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** Like parseQuantity, but undefined/invalid gives `fallback` (for optional fields of objects we did not validate). */
export function quantityOr(input: unknown, fallback: number): number {
  if (typeof input !== 'string' && typeof input !== 'number') return fallback;
  try {
    return parseQuantity(input);
  } catch {
    return fallback;
  }
}

/** Formats cores the way the API server canonicalises them: "2", "1500m". */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Formats bytes canonically: the largest binary suffix that divides exactly ("256Mi", "1Gi"), else plain bytes. */
export function formatBytes(bytes: number): string {
  const whole = Math.round(bytes);
  if (whole === 0) return '0';
  for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = BINARY[suffix];
    if (whole % unit === 0) return `${whole / unit}${suffix}`;
  }
  return String(whole);
}

/** Formats a plain count ("pods", "count/deployments.apps"). */
export function formatCount(n: number): string {
  return String(Math.round(n));
}
