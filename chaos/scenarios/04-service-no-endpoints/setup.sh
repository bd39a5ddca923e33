#!/usr/bin/env bash
# The api Service loses every endpoint because its Deployment was scaled to 0.
NS=chaos-04
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
metadata: {name: api, namespace: $NS, labels: {app: api}}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: $NS, labels: {app: api}}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 80}]
YAML
kubectl rollout status deployment/api -n "$NS" --timeout=90s >/dev/null
kubectl scale deployment/api -n "$NS" --replicas=0 >/dev/null
no_endpoints() { [ -z "$(kubectl get endpoints api -n "$NS" -o jsonpath='{.subsets[*].addresses[*].ip}' 2>/dev/null)" ]; }
wait_until 90 "the api Service to lose its endpoints" no_endpoints
echo "chaos-04: service api has no endpoints"
