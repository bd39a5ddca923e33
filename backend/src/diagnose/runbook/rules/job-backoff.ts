import type { KubeObject } from '../../../domain/kube.js';
import type { RunbookRule } from '../rule-types.js';
import { lastTermination, statusesOf } from '../pod-facts.js';
import { exitCodeMeaning, fencedTail } from '../rule-helpers.js';

/** A Job that hit its backoffLimit (or deadline): the limit, its failed pods and their exit codes. */
export const jobBackoffRule: RunbookRule = {
  id: 'job-backoff',
  class: 'job',
  diagnose(facts) {
    const jobs = jobsOf(facts);
    const job = jobs.find((j) => ((j.status?.conditions as Array<{ type: string; status: string }>) ?? []).some((c) => c.type === 'Failed' && c.status === 'True'));
    if (!job) return undefined;
    const cond = (job.status.conditions as Array<{ type: string; reason?: string; message?: string }>).find((c) => c.type === 'Failed')!;
    const pods = (facts.namespacePods ?? facts.pods).filter((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'Job' && o.name === job.metadata.name));
    const codes = pods.flatMap((p) => statusesOf(p).map((s) => ({ pod: p.metadata.name, s, code: lastTermination(s)?.exitCode }))).filter((x) => x.code !== undefined && x.code !== 0);
    const distinct = [...new Set(codes.map((c) => c.code))];
    const first = codes[0];
    const logs = first && fencedTail(`logs ${first.pod}/${first.s.name}`, facts.logs?.[`${first.pod}/${first.s.name}`]);
    const limit = job.spec?.backoffLimit ?? 6;
    // The run belongs to a CronJob: that is what a person fixes (its job template), and what runs again on schedule.
    const cron = facts.workload?.kind === 'CronJob' ? facts.workload.name : job.metadata.ownerReferences?.find((o) => o.kind === 'CronJob')?.name;
    const ns = job.metadata.namespace ?? facts.target.namespace;
    return {
      rootCause: `job ${job.metadata.name}${cron ? ` (a run of cronjob ${cron})` : ''} failed: ${cond.reason ?? 'Failed'} (backoffLimit ${limit}, ${job.status?.failed ?? codes.length} failed pod(s)); its pods exit with code ${distinct.join(', ') || '?'} (${distinct.map((c) => exitCodeMeaning(c)).join('; ') || 'unknown'})${first ? ` in container ${first.s.name}` : ''}`,
      confidence: 0.8,
      evidence: [
        { fact: `job ${job.metadata.name}: condition Failed, reason ${cond.reason}: ${String(cond.message ?? '').slice(0, 160)}`, source: 'get_job' },
        ...codes.slice(0, 4).map((c) => ({ fact: `pod ${c.pod} container ${c.s.name}: exit code ${c.code} (${lastTermination(c.s)?.reason ?? 'Error'})`, source: 'get_pod_status' })),
        ...(logs ? [{ fact: `last log lines:\n${logs}`, source: 'get_pod_logs' }] : []),
      ],
      humanStep: cron
        ? `fix cronjob ${cron}'s job template (its command, image or input) with \`kubectl edit cronjob/${cron} -n ${ns}\`; the next scheduled run uses it, or start one now with \`kubectl create job --from=cronjob/${cron} <name> -n ${ns}\`; the failed Job ${job.metadata.name} is not retried by changing it`
        : `fix the job (its command, image or input), then re-run it: a Job's pod template cannot be changed, so delete job/${job.metadata.name} -n ${ns} and create it again from its fixed manifest`,
    };
  },
};

function jobsOf(facts: Parameters<RunbookRule['diagnose']>[0]): KubeObject[] {
  const w = facts.workload;
  const all = facts.jobs ?? [];
  if (w?.kind === 'Job') return [w.object];
  if (w?.kind === 'CronJob') {
    return all.filter((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === w.name)).sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
  }
  const owners = new Set(facts.pods.flatMap((p) => p.metadata.ownerReferences?.filter((o) => o.kind === 'Job').map((o) => o.name) ?? []));
  return all.filter((j) => owners.has(j.metadata.name ?? ''));
}
