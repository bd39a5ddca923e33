#!/usr/bin/env bash
# orders reads its settings from a ConfigMap that does not exist: its containers cannot be created (escalate).
NS=chaos-07
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
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders, namespace: $NS, labels: {app: orders}}
spec:
  replicas: 2
  selector: {matchLabels: {app: orders}}
  template:
    metadata: {labels: {app: orders}}
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "echo \"orders using \$DATABASE_HOST\"; while true; do sleep 3600; done"]
        envFrom: [{configMapRef: {name: orders-config}}]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
wait_until 90 "the orders containers to fail on their config" pods_show 'CreateContainerConfigError' app=orders
echo "chaos-07: orders cannot start: configmap orders-config is missing"
