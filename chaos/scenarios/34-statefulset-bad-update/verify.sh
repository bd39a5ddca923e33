#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): every cache replica is ready and none is waiting.
set -euo pipefail
NS=chaos-34
timeout="${CHAOS_VERIFY_TIMEOUT:-60}"
fail() { echo "verify: $*" >&2; exit 1; }
kubectl rollout status statefulset/cache -n "$NS" --timeout="${timeout}s" >/dev/null 2>&1 || fail "the rollout of statefulset cache did not complete within ${timeout}s"
ready=$(kubectl get statefulset cache -n "$NS" -o jsonpath='{.status.readyReplicas}')
[ "${ready:-0}" -ge 2 ] || fail "cache has ${ready:-0}/2 ready replicas"
waiting=$(kubectl get pods -n "$NS" -l app=cache -o go-template='{{range .items}}{{range .status.containerStatuses}}{{if .state.waiting}}{{.state.waiting.reason}} {{end}}{{end}}{{end}}')
[ -z "$waiting" ] || fail "pods of cache are still waiting: $waiting"
