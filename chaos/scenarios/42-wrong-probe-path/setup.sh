#!/usr/bin/env bash
# nginx is rolled out with a readiness probe on /healthz, which it answers 404: the rollout stalls with unready pods.
# Plain manifests and real images: the fault is the program's own, no simulator hints.
NS=chaos-42
set -euo pipefail
# Polls a condition until it holds, at most $1 seconds: every wait here is bounded.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${limit}s waiting for ${what}" >&2
      kubectl get pods -n "$NS" -o wide >&2 || true
      kubectl get events -n "$NS" --sort-by=.lastTimestamp >&2 || true
      return 1
    fi
    sleep 1
  done
}
# True when a pod matching $2 shows a reason matching the regex $1 (waiting, last terminated, init or scheduling).
pods_show() {
  kubectl get pods -n "$NS" -l "$2" -o jsonpath='{range .items[*]}{.status.initContainerStatuses[*].state.waiting.reason} {.status.initContainerStatuses[*].lastState.terminated.reason} {.status.containerStatuses[*].state.waiting.reason} {.status.containerStatuses[*].lastState.terminated.reason} {.status.conditions[?(@.type=="PodScheduled")].reason}{"\n"}{end}' 2>/dev/null | grep -qE "$1"
}
# True when an event in $NS has reason $1 and a message matching the regex $2.
event_shows() {
  kubectl get events -n "$NS" -o jsonpath='{range .items[*]}{.reason}{"\t"}{.message}{"\n"}{end}' 2>/dev/null | grep -E "^$1	" | grep -qE "$2"
}
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: chaos-42}
spec: {selector: {app: shop}, ports: [{port: 80, targetPort: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, namespace: chaos-42, labels: {app: shop}}
spec:
  replicas: 2
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - name: shop
        image: nginx:1.25
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}

YAML
kubectl rollout status deployment/shop -n "$NS" --timeout=120s >/dev/null
# The new revision probes /healthz, which stock nginx answers with 404: the new pods never become ready.
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, namespace: chaos-42, labels: {app: shop}}
spec:
  replicas: 2
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - name: shop
        image: nginx:1.25
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 5}
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}

YAML
wait_until 150 "the readiness probe to get 404" event_shows Unhealthy "Readiness probe failed: HTTP probe failed with statuscode: 404"
echo 'chaos-42: Wrong probe path: chaos-42/shop probes /healthz, which nginx answers 404 (new pods never ready, rollout stuck).'
