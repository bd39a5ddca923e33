#!/usr/bin/env bash
# orders-api runs a migration init container whose command does not exist (exit 127): the main container never starts (escalate naming the init container).
NS=chaos-31
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
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders-api, namespace: $NS, labels: {app: orders-api}}
spec:
  replicas: 2
  selector: {matchLabels: {app: orders-api}}
  template:
    metadata:
      labels: {app: orders-api}
    spec:
      initContainers:
      - name: migrate
        image: busybox:1.36
        command: ["sh", "-c", "echo running migrations; migrate-db --up || exit 127"]
        resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 32Mi}}
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "echo 'listening on :8080'; while true; do sleep 3600; done"]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
wait_until 90 "the migrate init container to fail" pods_show "127|CrashLoopBackOff" app=orders-api
echo "chaos-31: orders-api is stuck in its init container"
