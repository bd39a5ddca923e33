#!/usr/bin/env bash
# Healthy checkout (revision 1), then a rollout whose container exits 1 at start: a crash loop the previous revision did not have.
NS=chaos-01
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
manifest() { # manifest COMMAND LOG
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: $NS, labels: {app: checkout}}
spec:
  replicas: 2
  selector: {matchLabels: {app: checkout}}
  template:
    metadata:
      labels: {app: checkout}
      annotations:
        sim.oncall-agent.dev/log.app: "$2"
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "$1"]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
}
manifest "echo 'checkout v1 listening on :8080'; while true; do sleep 3600; done" "checkout v1 listening on :8080" | kubectl apply -f - >/dev/null
kubectl rollout status deployment/checkout -n "$NS" --timeout=90s >/dev/null
# The bad rollout: the new build dies on start.
manifest "echo 'checkout v2 starting'; echo 'panic: runtime error: invalid memory address or nil pointer dereference'; exit 1" 'checkout v2 starting\npanic: runtime error: invalid memory address or nil pointer dereference' | kubectl apply -f - >/dev/null
wait_until 90 "the new pods to crash-loop" pods_show 'CrashLoopBackOff' app=checkout
echo "chaos-01: checkout is crash-looping after its rollout"
