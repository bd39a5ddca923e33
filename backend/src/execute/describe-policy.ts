// Pure: what the agent will do with a fix, in one line, from the configuration alone. Said at start and by
// `oncall-agent status` (which reads what the running daemon published), so nobody has to work it out from the
// decide-mode table. Kept next to decide-mode: the two must tell the same story.
import type { Config } from '../config/load-config.js';
import { assessCommand } from '../risk/index.js';

export type PolicySettings = Pick<
  Config,
  | 'EXECUTION_MODE'
  | 'MODE_OVERRIDES'
  | 'K8S_ENABLE_DESTRUCTIVE_OPERATIONS'
  | 'YOLO_MIN_CONFIDENCE'
  | 'YOLO_MIN_CONFIDENCE_HIGH'
  | 'SKIP_BELOW_CONFIDENCE'
  | 'KILL_SWITCH'
  | 'PROTECTED_NAMESPACES'
  | 'DENY_COMMANDS'
>;

export interface EffectivePolicy {
  /** e.g. "yolo: will execute low and medium risk commands at confidence ≥ 0.8, high risk at ≥ 0.9; …" */
  line: string;
  /** Settings that make the mode do less than its name promises, each naming the setting to change. */
  warnings: string[];
}

/** The gate's name as documented; the older K8S_ENABLE_DESTRUCTIVE_OPERATIONS is folded into it by loadConfig. */
export const WRITE_GATE = 'ALLOW_MEDIUM_AND_HIGH_RISK_WRITES';

/**
 * The kinds of fix the runbook analyzer proposes, as it writes them. Scored with the real scorer here, so the warning
 * below follows the risk rules instead of restating them.
 */
const RUNBOOK_FIX_SHAPES = [
  'kubectl rollout undo deployment/web -n shop',
  'kubectl scale deployment/web --replicas=2 -n shop',
  'kubectl set resources deployment/web -c web --limits=memory=512Mi -n shop',
  'kubectl uncordon node-1',
];

const n = (value: number) => String(Number(value.toFixed(2)));

export function describeEffectivePolicy(settings: PolicySettings): EffectivePolicy {
  const gate = settings.K8S_ENABLE_DESTRUCTIVE_OPERATIONS;
  const warnings: string[] = [];
  const skip = `skip every action below confidence ${n(settings.SKIP_BELOW_CONFIDENCE)}`;
  let line: string;
  switch (settings.EXECUTION_MODE) {
    case 'plan':
      line = 'plan: previews every command and executes none';
      break;
    case 'approval':
      line = gate
        ? `approval: asks a human before every write (low, medium and high risk); ${skip}`
        : `approval: asks a human before low risk writes and refuses medium and high risk ones (${WRITE_GATE}=false); ${skip}`;
      break;
    default:
      line = gate
        ? `yolo: will execute low and medium risk commands at confidence ≥ ${n(settings.YOLO_MIN_CONFIDENCE)} and high risk at ≥ ${n(settings.YOLO_MIN_CONFIDENCE_HIGH)}, ask a human below that, and ${skip}`
        : `yolo: will execute low risk commands at confidence ≥ ${n(settings.YOLO_MIN_CONFIDENCE)} and refuse medium and high risk ones (${WRITE_GATE}=false); ${skip}`;
  }
  const extras: string[] = [];
  if (settings.MODE_OVERRIDES.length) extras.push(`overrides: ${settings.MODE_OVERRIDES.map((o) => `${o.scope}:${o.key}=${o.mode}`).join(',')}`);
  extras.push('protected namespaces always need a human');
  if (settings.KILL_SWITCH) extras.push('paused (KILL_SWITCH=true): no writes while it is set');
  line = `${line}; ${extras.join('; ')}`;

  const yoloSomewhere = settings.EXECUTION_MODE === 'yolo' || settings.MODE_OVERRIDES.some((o) => o.mode === 'yolo');
  if (yoloSomewhere && !gate) {
    const policy = { protectedNamespaces: settings.PROTECTED_NAMESPACES, denyList: settings.DENY_COMMANDS };
    const runnable = RUNBOOK_FIX_SHAPES.filter((command) => assessCommand(command, policy).level === 'low');
    if (runnable.length === 0) {
      warnings.push(
        `EXECUTION_MODE=yolo cannot execute any runbook fix: each is medium risk or more, and ${WRITE_GATE}=false allows only low-risk writes; set ${WRITE_GATE}=true to let yolo act`,
      );
    }
  }
  if (yoloSomewhere && settings.KILL_SWITCH) warnings.push('EXECUTION_MODE=yolo executes nothing while KILL_SWITCH=true; set KILL_SWITCH=false to let it act');
  return { line, warnings };
}
