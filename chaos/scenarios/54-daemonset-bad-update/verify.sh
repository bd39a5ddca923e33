#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): log-agent runs ready on every node it should, and no pod of it is waiting.
set -euo pipefail
NS=chaos-54
timeout="${CHAOS_VERIFY_TIMEOUT:-60}"
fail() { echo "verify: $*" >&2; exit 1; }
kubectl rollout status daemonset/log-agent -n "$NS" --timeout="${timeout}s" >/dev/null 2>&1 || fail "the rollout of daemonset log-agent did not complete within ${timeout}s"
want=$(kubectl get daemonset log-agent -n "$NS" -o jsonpath='{.status.desiredNumberScheduled}')
ready=$(kubectl get daemonset log-agent -n "$NS" -o jsonpath='{.status.numberReady}')
[ "${want:-0}" -ge 1 ] || fail "log-agent is scheduled on no node"
[ "${ready:-0}" -ge "$want" ] || fail "log-agent has ${ready:-0}/$want ready pods"
waiting=$(kubectl get pods -n "$NS" -l app=log-agent -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{range .status.containerStatuses}}{{if .state.waiting}}{{.state.waiting.reason}} {{end}}{{end}}{{end}}{{end}}')
[ -z "$waiting" ] || fail "pods of log-agent are still waiting: $waiting"
