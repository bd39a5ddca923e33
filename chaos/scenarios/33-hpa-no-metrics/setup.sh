#!/usr/bin/env bash
# thumbnails has an HPA on CPU utilization, but its container declares no CPU request: the HPA cannot compute utilization and never scales (escalate).
NS=chaos-33
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
metadata: {name: thumbnails, namespace: $NS, labels: {app: thumbnails}}
spec:
  replicas: 2
  selector: {matchLabels: {app: thumbnails}}
  template:
    metadata:
      labels: {app: thumbnails}
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "echo 'listening on :8080'; while true; do sleep 3600; done"]
        resources: {limits: {memory: 64Mi}}
YAML
kubectl apply -f - >/dev/null <<YAML
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: thumbnails, namespace: $NS}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: thumbnails}
  minReplicas: 2
  maxReplicas: 6
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}]
YAML
hpa_blind() { kubectl get hpa thumbnails -n "$NS" -o jsonpath='{.status.conditions[?(@.type=="ScalingActive")].status}' 2>/dev/null | grep -q False; }
wait_until 120 "the HPA to report it cannot read metrics" hpa_blind
echo "chaos-33: the thumbnails HPA cannot read its metrics"
