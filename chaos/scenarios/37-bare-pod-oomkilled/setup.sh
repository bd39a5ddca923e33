#!/usr/bin/env bash
# A bare Pod (no controller) whose process needs more memory than its 64Mi limit: it is OOMKilled again and again (escalate: a human must recreate it with a higher limit).
NS=chaos-37
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
apiVersion: v1
kind: Pod
metadata:
  name: etl-once
  namespace: $NS
  labels: {app: etl-once}
  annotations: {sim.oncall-agent.dev/memory-mi.app: "200"}
spec:
  containers:
  - name: app
    image: polinux/stress
    command: ["stress", "--vm", "1", "--vm-bytes", "200M", "--vm-hang", "0"]
    resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
wait_until 90 "the pod to be OOMKilled" pods_show OOMKilled app=etl-once
echo "chaos-37: bare pod etl-once is OOMKilled"
