// Namespace knowledge in one place: which namespaces always need a human, and how a name from config, a command or
// an alert is compared with them. Risk scoring, the mode decision and the execute stage all ask here.

/** Namespaces that are always protected, whatever PROTECTED_NAMESPACES adds. */
export const DEFAULT_PROTECTED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Namespace names are lower-case DNS labels; a setting or an alert may carry stray case or spaces. */
export function normaliseNamespace(name: string): string {
  return name.trim().toLowerCase();
}

/** The system namespaces plus the configured ones (PROTECTED_NAMESPACES), normalised. */
export function protectedNamespaceSet(extra: readonly string[]): ReadonlySet<string> {
  return new Set([...DEFAULT_PROTECTED_NAMESPACES, ...extra.map(normaliseNamespace).filter(Boolean)]);
}

/** Whether a command acting in `namespace` (or, with allNamespaces, in every one) reaches a protected namespace. */
export function isProtectedNamespace(namespace: string | undefined, allNamespaces: boolean, protectedNamespaces: ReadonlySet<string>): boolean {
  if (allNamespaces) return true; // "-A" includes kube-system
  return namespace !== undefined && protectedNamespaces.has(normaliseNamespace(namespace));
}
