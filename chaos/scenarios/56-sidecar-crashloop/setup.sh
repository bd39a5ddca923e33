#!/usr/bin/env bash
# api runs nginx plus a log-shipper sidecar (revision 1); revision 2 changes only the sidecar's flags and the sidecar exits 1 at start while nginx keeps running (fix: roll back; the root cause names the sidecar, not nginx).
NS=chaos-56
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
manifest() {
  cat <<YAML
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
      - name: log-shipper
        image: busybox:1.36
        command: ["sh", "-c", "$1"]
        resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 32Mi}}
YAML
}
manifest "echo shipping /var/log/nginx to loki:3100; while true; do sleep 3600; done" | kubectl apply -f - >/dev/null
kubectl rollout status deployment/api -n "$NS" --timeout=90s >/dev/null
manifest "echo 'log-shipper: unknown flag --batch-sizee'; exit 1" | kubectl apply -f - >/dev/null
wait_until 90 "the new log-shipper sidecar to crash-loop" pods_show "CrashLoopBackOff|Error" app=api
echo "chaos-56: api's log-shipper sidecar crash-loops after revision 2; nginx runs"
