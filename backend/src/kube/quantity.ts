// Kubernetes resource quantities ("250m", "512Mi", "1.5Gi", "2") as numbers, for capacity sums and the OOM rule.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity in base units (bytes, cores); undefined when it is not a quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|K|M|G|T|P|E)?\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  return factor === undefined ? undefined : n * factor;
}

/** Memory in MiB (rounded up), or undefined. */
export function memoryMi(value: unknown): number | undefined {
  const bytes = parseQuantity(value);
  return bytes === undefined ? undefined : Math.ceil(bytes / 2 ** 20);
}

/** CPU in millicores (rounded up), or undefined. */
export function cpuMillis(value: unknown): number | undefined {
  const cores = parseQuantity(value);
  return cores === undefined ? undefined : Math.ceil(cores * 1000 - 1e-9);
}
