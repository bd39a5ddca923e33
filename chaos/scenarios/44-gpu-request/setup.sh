#!/usr/bin/env bash
# A trainer asks for 4 nvidia.com/gpu on a cluster whose nodes advertise none: Pending, Insufficient nvidia.com/gpu.
# Plain manifests and real images: the fault is the program's own, no simulator hints.
NS=chaos-44
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
apiVersion: apps/v1
kind: Deployment
metadata: {name: trainer, namespace: chaos-44, labels: {app: trainer}}
spec:
  replicas: 1
  selector: {matchLabels: {app: trainer}}
  template:
    metadata: {labels: {app: trainer}}
    spec:
      containers:
      - name: trainer
        image: python:3.9-slim
        command: ["python", "-m", "http.server", "8080"]
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {memory: 256Mi, nvidia.com/gpu: 4}

YAML
wait_until 90 "the scheduler to find no node with GPUs" event_shows FailedScheduling "Insufficient nvidia.com/gpu"
echo 'chaos-44: GPU request: chaos-44/trainer requests 4 nvidia.com/gpu and no node has any (Pending, FailedScheduling Insufficient nvidia.com/gpu).'
