// Kubernetes resource quantities ("100m", "256Mi", "1.5G", "1e3"): parse to a number and print back canonically.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|n|u|m|k|M|G|T|P|E)?$/;

/** Parses a quantity; returns undefined when it is not a valid quantity string. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY_RE.exec(value.trim());
  if (!match) return undefined;
  const base = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY) return base * BINARY[suffix];
  if (suffix in DECIMAL) return base * DECIMAL[suffix];
  return base * 10 ** Number(suffix.slice(1));
}

export function isValidQuantity(value: unknown): boolean {
  return parseQuantity(value) !== undefined;
}

/** Prints CPU-like amounts as the apiserver does ("500m", "2") and byte amounts with binary suffixes when exact. */
export function formatQuantity(amount: number, resourceName: string): string {
  const isCpu = /(^|\.)cpu$/.test(resourceName);
  if (isCpu) {
    const milli = Math.round(amount * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (Number.isInteger(amount) && amount !== 0) {
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const unit = BINARY[suffix];
      if (amount % unit === 0) return `${amount / unit}${suffix}`;
    }
  }
  return String(Math.round(amount * 1000) / 1000);
}
