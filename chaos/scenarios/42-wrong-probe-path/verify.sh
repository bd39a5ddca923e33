#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): the rollout of shop completed and every replica is ready.
set -euo pipefail
NS=chaos-42
DEPLOY=shop
timeout="${CHAOS_VERIFY_TIMEOUT:-60}"
fail() { echo "verify: $*" >&2; exit 1; }
kubectl get deployment "$DEPLOY" -n "$NS" >/dev/null 2>&1 || fail "deployment $NS/$DEPLOY does not exist"
kubectl rollout status "deployment/$DEPLOY" -n "$NS" --timeout="${timeout}s" >/dev/null 2>&1 || fail "the rollout of $DEPLOY did not complete within ${timeout}s"
want=$(kubectl get deployment "$DEPLOY" -n "$NS" -o jsonpath='{.spec.replicas}')
ready=$(kubectl get deployment "$DEPLOY" -n "$NS" -o jsonpath='{.status.readyReplicas}')
[ "${want:-0}" -ge 1 ] || fail "$DEPLOY wants ${want:-0} replicas, fewer than 1"
[ "${ready:-0}" -ge "$want" ] || fail "$DEPLOY has ${ready:-0}/$want ready replicas"
# No live pod of the workload is pending, waiting or unready.
bad=$(kubectl get pods -n "$NS" -l "app=$DEPLOY" -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{if ne .status.phase "Running"}}{{.metadata.name}}:{{.status.phase}} {{end}}{{range .status.containerStatuses}}{{if .state.waiting}}{{.name}}:{{.state.waiting.reason}} {{else if not .ready}}{{.name}}:unready {{end}}{{end}}{{end}}{{end}}')
[ -z "$bad" ] || fail "pods of $DEPLOY are not serving: $bad"
echo "verify: $NS/$DEPLOY serves"
