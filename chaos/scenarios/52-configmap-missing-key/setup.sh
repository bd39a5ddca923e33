#!/usr/bin/env bash
# ledger reads DATABASE_URL from ConfigMap ledger-config, which exists but holds DB_URL and LOG_LEVEL only (escalate: name the ConfigMap and the key; no key is invented).
NS=chaos-52
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
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl create configmap ledger-config -n "$NS" --from-literal=DB_URL=postgres://ledger-db:5432/ledger --from-literal=LOG_LEVEL=info >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: $NS, labels: {app: ledger}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ledger}}
  template:
    metadata:
      labels: {app: ledger}
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "echo ledger up; while true; do sleep 3600; done"]
        env:
        - name: DATABASE_URL
          valueFrom: {configMapKeyRef: {name: ledger-config, key: DATABASE_URL}}
        - name: LOG_LEVEL
          valueFrom: {configMapKeyRef: {name: ledger-config, key: LOG_LEVEL}}
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
wait_until 60 "ledger to fail on the missing key" pods_show "CreateContainerConfigError" app=ledger
echo "chaos-52: ledger references key DATABASE_URL, missing from ConfigMap ledger-config"
