#!/usr/bin/env bash
# gateway serves HTTP on its only declared port 8080, but its liveness probe checks :8081: the kubelet restarts a healthy process (approval: set the probe port to 8080).
# Plain manifests and a real image: nothing listens on 8081, so the probe is refused; the fixed probe passes (kube-sim's program model knows `python -m http.server 8080`).
NS=chaos-30
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
metadata: {name: gateway, namespace: $NS, labels: {app: gateway}}
spec:
  replicas: 2
  selector: {matchLabels: {app: gateway}}
  template:
    metadata:
      labels: {app: gateway}
    spec:
      containers:
      - name: app
        image: python:3.12-slim
        command: ["python", "-m", "http.server", "8080"]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
        ports: [{containerPort: 8080, name: http}]
        livenessProbe: {httpGet: {path: /, port: 8081}, periodSeconds: 2, failureThreshold: 2}
YAML
wait_until 120 "the liveness probe to restart gateway" event_seen Unhealthy "Liveness probe failed"
echo "chaos-30: gateway is restarted by a liveness probe on the wrong port"
