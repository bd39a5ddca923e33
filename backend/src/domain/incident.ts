/** Where an incident came from: every way in runs the same pipeline. */
export type IncidentSource = 'pagerduty' | 'mcp' | 'cli' | 'test-yolo';

/** A PagerDuty incident (or an equivalent alert), normalised. All text fields are untrusted. */
export interface Incident {
  /** PagerDuty incident id (e.g. "PGR0VU2"), or a synthetic id for MCP/CLI runs. */
  id: string;
  title: string;
  number?: number;
  status?: string;
  urgency?: string;
  priority?: string;
  htmlUrl?: string;
  serviceId?: string;
  serviceName?: string;
  createdAt?: string;
  /** Events v2 custom_details (or alert details) merged: namespace, pod, deployment, labels… Untrusted. */
  details: Record<string, unknown>;
  source: IncidentSource;
}

/** What the diagnosis resolved the incident to. */
export interface Target {
  namespace: string;
  kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'Pod' | 'Service' | 'Node';
  name?: string;
  /** Label selector of the workload's pods, when known (e.g. "app=web"). */
  selector?: string;
  /** How it was resolved: "custom_details.deployment", "title: deployment/abc", … */
  resolvedFrom?: string;
}
