#!/usr/bin/env bash
# A new API deployment runs `python3` in an nginx image, which has no python3: exit 127, CrashLoopBackOff.
# Plain manifests and real images: the fault is the program's own, no simulator hints.
NS=chaos-40
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
metadata: {name: api, namespace: chaos-40}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8000}]}
YAML
# The new API is started with python3, which the nginx image does not contain.
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: chaos-40, labels: {app: api}}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: nginx:1.25
        command: ["sh", "-c", "python3 -m http.server 8000"]
        ports: [{containerPort: 8000}]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}

YAML
wait_until 120 "api to crash-loop on the missing python3" pods_show "(^| )(CrashLoopBackOff|Error)( |$)" app=api
echo 'chaos-40: Crash from a missing binary: chaos-40/api runs python3 in an image without it (exit 127, CrashLoopBackOff).'
