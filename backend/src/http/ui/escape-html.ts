// The one HTML escaping function of the approval page. Every value interpolated into `html` is escaped by it unless it
// is already SafeHtml (built by `html` itself), so outside text (alert titles, pod logs, model output, commands)
// cannot become markup: there is no other way to put a string into the page.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

/** Markup built by `html` (never from a plain string). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = SafeHtml | string | number | boolean | undefined | null | ReadonlyArray<SafeHtml | string | number | undefined | null>;

/** Tagged template: literal parts are markup; every interpolated value is escaped (arrays joined, SafeHtml kept). */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

function render(value: Part): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v) => render(v as Part)).join('');
  return escapeHtml(value);
}
