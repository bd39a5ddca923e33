// One line per scenario as it starts and ends; on a TTY, a progress bar kept on the last line.
import type { SuiteEvent } from './run-suite.js';

export function createProgress(out: NodeJS.WriteStream = process.stdout): { onEvent(event: SuiteEvent): void; print(line: string): void; done(): void } {
  const tty = Boolean(out.isTTY);
  let bar = '';
  const clearBar = () => {
    if (tty && bar) out.write('\r\x1b[K');
  };
  const drawBar = (index: number, total: number, label: string) => {
    if (!tty) return;
    const width = 24;
    last = { index, total, label };
    const filled = Math.round((index / total) * width);
    bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${index}/${total} ${label}`;
    out.write(bar.slice(0, Math.max(20, (out.columns ?? 100) - 1)));
  };
  let last = { index: 0, total: 1, label: '' };
  const print = (line: string) => {
    clearBar();
    out.write(`${line}\n`);
    if (tty && bar) drawBar(last.index, last.total, last.label);
  };
  return {
    print,
    onEvent(event) {
      if (event.type === 'ready') return;
      const label = `${event.scenario.name}${event.round > 1 ? ` #${event.round}` : ''}`;
      const at = `[${event.index}/${event.total}]`;
      if (event.type === 'start') {
        print(`${at} start ${label} (expect ${event.scenario.expect})`);
        drawBar(event.index - 1, event.total, `running ${label}`);
        return;
      }
      const r = event.result;
      const status = r.error ? 'ERROR' : r.passed ? 'ok' : 'FAIL';
      const fix = r.timeToFixMs !== undefined ? `, fixed in ${(r.timeToFixMs / 1000).toFixed(1)} s` : '';
      const why = r.passed ? '' : ` — ${r.error ?? r.failure}`;
      print(`${at} end   ${label}: ${status} (${r.outcome}${fix}, ${((r.totalMs ?? 0) / 1000).toFixed(1)} s)${why}`);
      drawBar(event.index, event.total, event.index === event.total ? 'done' : '');
    },
    done() {
      clearBar();
      bar = '';
    },
  };
}
