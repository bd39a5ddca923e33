#!/usr/bin/env bash
# ingest is pinned to one node, and that node gets a NoSchedule taint the pods do not tolerate (escalate: a toleration or untainting is a human decision).
NS=chaos-21
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
# True when some pod matching $2 in $NS shows one of the reasons in the regex $1 (waiting, last terminated, scheduling).
pods_show() {
  kubectl get pods -n "$NS" -l "$2" -o jsonpath='{range .items[*]}{.status.containerStatuses[*].state.waiting.reason} {.status.containerStatuses[*].lastState.terminated.reason} {.status.initContainerStatuses[*].state.waiting.reason} {.status.initContainerStatuses[*].lastState.terminated.exitCode} {.status.conditions[?(@.type=="PodScheduled")].reason}{"\n"}{end}' 2>/dev/null | grep -qE "$1"
}
# True when the namespace has an event with reason $1 whose message matches the regex $2.
event_seen() {
  kubectl get events -n "$NS" -o jsonpath='{range .items[*]}{.reason} {.message}{"\n"}{end}' 2>/dev/null | grep -E "^$1 " | grep -qE "$2"
}
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
NODE=$(kubectl get nodes -o jsonpath='{.items[0].metadata.name}')
kubectl taint node "$NODE" chaos-21=reserved:NoSchedule --overwrite >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingest, namespace: $NS, labels: {app: ingest}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ingest}}
  template:
    metadata:
      labels: {app: ingest}
    spec:
      nodeSelector: {kubernetes.io/hostname: "$NODE"}
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "echo 'listening on :8080'; while true; do sleep 3600; done"]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
wait_until 60 "the ingest pods to be unschedulable" pods_show Unschedulable app=ingest
echo "chaos-21: ingest is Pending on an untolerated taint of $NODE"
