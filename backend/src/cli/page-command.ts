// `oncall-agent page`: sends a correctly signed PagerDuty V3 incident.triggered to a running daemon and prints its
// answer, so the agent can be tried without a PagerDuty account (README "Quick start").
import { randomUUID } from 'node:crypto';
import { Option, type Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { ConfigError, InvalidInputError, TransientError } from '../domain/errors.js';
import { isAlive, readPublishedFile } from '../lifecycle/agent-settings.js';
import { readSimSecret, simSecretPath } from '../lifecycle/embedded-sim.js';
import { buildTestPage, type TestPageTarget } from '../pagerduty/build-test-page.js';
import { signDelivery } from '../pagerduty/sign-delivery.js';

interface PageOptions {
  url?: string;
  namespace: string;
  deployment?: string;
  pod?: string;
  summary?: string;
  secret?: string;
  json?: boolean;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function targetFrom(options: PageOptions): TestPageTarget | undefined {
  if (options.deployment && options.pod) throw new InvalidInputError('give --deployment or --pod, not both');
  const name = options.deployment ?? options.pod;
  for (const [flag, value] of [['--namespace', options.namespace], ['--deployment/--pod', name]] as const) {
    if (value !== undefined && !NAME.test(value)) throw new InvalidInputError(`${flag} expects a Kubernetes name (lowercase letters, digits, -), got "${value}"`);
  }
  if (!name) return undefined;
  return { namespace: options.namespace, kind: options.deployment ? 'deployment' : 'pod', name };
}

export function registerPageCommand(program: Command): void {
  program
    .command('page')
    .description('Send a signed PagerDuty V3 incident.triggered to a running daemon (a test page) and print its answer.')
    .option('--url <url>', 'the webhook URL (default: the one the local daemon published in STATE_DIR, else http://127.0.0.1:PORT/webhooks/pagerduty)')
    .addOption(new Option('--namespace <ns>', 'namespace of the target').default('demo'))
    .option('--deployment <name>', 'the Deployment the incident is about')
    .option('--pod <name>', 'the Pod the incident is about')
    .option('--summary <text>', 'the incident title (the target is appended the way alert titles name it)')
    .option('--secret <secret>', 'signing secret (default: PAGERDUTY_WEBHOOK_SECRETS, else the one `serve --sim` generated)')
    .option('--json', 'print { status, incidentId, eventId, body } as JSON')
    .addHelpText(
      'after',
      `
Each page has a fresh event id and incident id, so the daemon handles it as a new incident.
The target goes into the title ("deployment/web in namespace demo"), the only place a V3 webhook carries it.

Examples:
  oncall-agent page --deployment web                       # namespace demo, the simulator's demo workloads
  oncall-agent page --namespace shop --pod web-7d9f-x2x --summary "CrashLoopBackOff"
  oncall-agent page --url https://agent.example.com/webhooks/pagerduty --secret "$SECRET" --deployment api`,
    )
    .action(async (options: PageOptions) => {
      const config = loadConfig();
      const target = targetFrom(options);
      // The local daemon's own URL (it may listen on a port PORT=0 picked), while that daemon runs.
      const published = [readPublishedFile(config.STATE_DIR)].find((a) => a && isAlive(a.pid));
      const url = options.url ?? published?.webhookUrl ?? `http://127.0.0.1:${config.PORT}/webhooks/pagerduty`;
      const secrets = options.secret ? [options.secret] : config.PAGERDUTY_WEBHOOK_SECRETS.length ? config.PAGERDUTY_WEBHOOK_SECRETS : [readSimSecret(config.STATE_DIR)].filter((s): s is string => Boolean(s));
      if (secrets.length === 0) {
        throw new ConfigError(
          `no signing secret: pass --secret, set PAGERDUTY_WEBHOOK_SECRETS, or start the daemon with \`serve --sim\` (which saves one to ${simSecretPath(config.STATE_DIR)})`,
        );
      }
      const page = buildTestPage({ target, summary: options.summary, now: new Date() });
      const delivery = signDelivery(page, secrets, randomUUID());
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
        const why = cause?.code ? `${cause.code}${cause.message ? `: ${cause.message}` : ''}` : (error as Error).message;
        throw new TransientError(`no answer from ${url} (${why})`, 'is the daemon running? start one with `oncall-agent serve --sim`, or pass --url');
      }
      const body = await response.text();
      const incidentId = page.event.data.id;
      if (options.json) {
        console.log(JSON.stringify({ status: response.status, incidentId, eventId: page.event.id, title: page.event.data.title, body: parseJson(body) }));
      } else {
        console.log(`${response.status} ${response.statusText} from ${url}: ${body.trim() || '(no body)'}`);
        console.log(`incident ${incidentId}: "${page.event.data.title}" (event ${page.event.id})`);
      }
      if (response.status === 401) {
        throw new ConfigError('the daemon refused the signature', "sign with the daemon's secret: --secret, or PAGERDUTY_WEBHOOK_SECRETS as the daemon has it");
      }
      if (!response.ok) throw new TransientError(`the daemon answered ${response.status}`);
      if (!options.json) console.log(`follow it: oncall-agent audit --incident ${incidentId}   (or watch the daemon's log)`);
    });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
