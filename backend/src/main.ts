// Wiring only: load config, build adapters, start HTTP and workers, shut down on SIGTERM.
// PLACEHOLDER until the foundation lands: the real wiring replaces this file.
export async function runServe(role: 'api' | 'worker' | 'all'): Promise<void> {
  throw new Error(`serve --role ${role}: not wired yet`);
}
