#!/usr/bin/env bash
# The only node the batch pods may run on (by nodeSelector) is cordoned: they stay Pending.
NS=chaos-05
set -euo pipefail
# Polls a condition (a shell function name) until it holds, at most $1 seconds: every wait here is bounded.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${limit}s waiting for ${what}" >&2
      kubectl get pods -n "$NS" -o wide >&2 || true
      return 1
    fi
    sleep 0.5
  done
}
# True when some pod matching $2 in $NS shows one of the reasons in the regex $1 (waiting or last terminated).
pods_show() {
  kubectl get pods -n "$NS" -l "$2" -o jsonpath='{range .items[*]}{.status.containerStatuses[*].state.waiting.reason} {.status.containerStatuses[*].lastState.terminated.reason} {.status.conditions[?(@.type=="PodScheduled")].reason}{"\n"}{end}' 2>/dev/null | grep -qE "$1"
}
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
# One schedulable node becomes the scenario's pool; only it is cordoned, so the rest of a real cluster is untouched.
# No pipe into head: with pipefail, kubectl killed by SIGPIPE would end the script silently.
read -r node _ <<<"$(kubectl get nodes -o go-template='{{range .items}}{{if not .spec.unschedulable}}{{.metadata.name}} {{end}}{{end}}')" || true
if [ -z "${node:-}" ]; then echo "no schedulable node to use" >&2; exit 1; fi
kubectl label node "$node" chaos.oncall-agent.dev/pool=chaos-05 --overwrite >/dev/null
kubectl cordon "$node" >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: $NS, labels: {app: batch}}
spec:
  replicas: 2
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec:
      nodeSelector: {chaos.oncall-agent.dev/pool: chaos-05}
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "echo 'batch runner ready'; while true; do sleep 3600; done"]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
wait_until 90 "the batch pods to be Pending as unschedulable" pods_show 'Unschedulable' app=batch
echo "chaos-05: batch pods are Pending, node $node is cordoned"
