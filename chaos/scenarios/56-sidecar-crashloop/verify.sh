#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): api serves again (nginx and its log-shipper sidecar): every replica ready, no pod waiting.
set -euo pipefail
NS=chaos-56
DEPLOY=api
timeout="${CHAOS_VERIFY_TIMEOUT:-60}"
fail() { echo "verify: $*" >&2; exit 1; }
kubectl get deployment "$DEPLOY" -n "$NS" >/dev/null 2>&1 || fail "deployment $NS/$DEPLOY does not exist"
kubectl rollout status "deployment/$DEPLOY" -n "$NS" --timeout="${timeout}s" >/dev/null 2>&1 || fail "the rollout of $DEPLOY did not complete within ${timeout}s"
want=$(kubectl get deployment "$DEPLOY" -n "$NS" -o jsonpath='{.spec.replicas}')
ready=$(kubectl get deployment "$DEPLOY" -n "$NS" -o jsonpath='{.status.readyReplicas}')
[ "${want:-0}" -gt 0 ] || fail "$DEPLOY wants 0 replicas"
[ "${ready:-0}" -ge "$want" ] || fail "$DEPLOY has ${ready:-0}/$want ready replicas"
# No live pod of the workload is waiting (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError, ...).
waiting=$(kubectl get pods -n "$NS" -l "app=$DEPLOY" -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{range .status.containerStatuses}}{{if .state.waiting}}{{.state.waiting.reason}} {{end}}{{end}}{{end}}{{end}}')
[ -z "$waiting" ] || fail "pods of $DEPLOY are still waiting: $waiting"
