#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): payments serves (only once a human creates Secret payments-db or fixes the reference).
set -euo pipefail
NS=chaos-51
DEPLOY=payments
timeout="${CHAOS_VERIFY_TIMEOUT:-60}"
fail() { echo "verify: $*" >&2; exit 1; }
kubectl get deployment "$DEPLOY" -n "$NS" >/dev/null 2>&1 || fail "deployment $NS/$DEPLOY does not exist"
kubectl rollout status "deployment/$DEPLOY" -n "$NS" --timeout="${timeout}s" >/dev/null 2>&1 || fail "the rollout of $DEPLOY did not complete within ${timeout}s"
want=$(kubectl get deployment "$DEPLOY" -n "$NS" -o jsonpath='{.spec.replicas}')
ready=$(kubectl get deployment "$DEPLOY" -n "$NS" -o jsonpath='{.status.readyReplicas}')
[ "${want:-0}" -ge 1 ] || fail "$DEPLOY wants ${want:-0} replicas, fewer than the 1 it served before"
[ "${ready:-0}" -ge "$want" ] || fail "$DEPLOY has ${ready:-0}/$want ready replicas"
waiting=$(kubectl get pods -n "$NS" -l "app=payments" -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{range .status.containerStatuses}}{{if .state.waiting}}{{.state.waiting.reason}} {{end}}{{end}}{{end}}{{end}}')
[ -z "$waiting" ] || fail "pods of $DEPLOY are still waiting: $waiting"
