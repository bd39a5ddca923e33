#!/usr/bin/env bash
# A cache with one-replica-per-node anti-affinity is scaled to 12 replicas: the extra replicas stay Pending.
# Plain manifests and real images: the fault is the program's own, no simulator hints.
NS=chaos-45
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
metadata: {name: cache, namespace: chaos-45, labels: {app: cache}}
spec:
  replicas: 1
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: cache}}
            topologyKey: kubernetes.io/hostname
      containers:
      - name: redis
        image: redis:7
        ports: [{containerPort: 6379}]
        readinessProbe: {tcpSocket: {port: 6379}, periodSeconds: 5}
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}

YAML
kubectl rollout status deployment/cache -n "$NS" --timeout=120s >/dev/null
# One replica per node is required; 12 replicas cannot fit on fewer nodes.
kubectl scale deployment/cache -n "$NS" --replicas=12 >/dev/null
wait_until 90 "replicas to stay Pending on anti-affinity" event_shows FailedScheduling "anti-affinity rules"
echo 'chaos-45: Anti-affinity over too few nodes: chaos-45/cache requires one replica per node and asks for 12 (Pending, anti-affinity rules).'
