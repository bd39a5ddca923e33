#!/usr/bin/env bash
# thumbnailer has no memory limit and allocates 12G on 8Gi nodes: the kernel kills it (OOMKilled, exit code 137) and it crash-loops (escalate: no limit to raise, the agent does not guess a size).
NS=chaos-55
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
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: thumbnailer, namespace: $NS, labels: {app: thumbnailer}}
spec:
  replicas: 1
  selector: {matchLabels: {app: thumbnailer}}
  template:
    metadata:
      labels: {app: thumbnailer}
      annotations:
        sim.oncall-agent.dev/memory-mi.resize: "12288"
    spec:
      containers:
      - name: resize
        image: polinux/stress:1.0.4
        command: ["stress"]
        args: ["--vm", "1", "--vm-bytes", "12G", "--vm-hang", "0"]
        resources: {requests: {cpu: 50m, memory: 256Mi}}
YAML
wait_until 90 "thumbnailer to be OOMKilled" pods_show 'OOMKilled' app=thumbnailer
echo "chaos-55: thumbnailer (no memory limit) is OOMKilled by its node"
