#!/usr/bin/env bash
# quorum wants 12 replicas, each on its own node (required pod anti-affinity on kubernetes.io/hostname): the cluster has fewer nodes (escalate).
NS=chaos-23
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
metadata: {name: quorum, namespace: $NS, labels: {app: quorum}}
spec:
  replicas: 12
  selector: {matchLabels: {app: quorum}}
  template:
    metadata:
      labels: {app: quorum}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: kubernetes.io/hostname
            labelSelector: {matchLabels: {app: quorum}}
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "echo 'listening on :8080'; while true; do sleep 3600; done"]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
wait_until 60 "a quorum pod to be unschedulable" pods_show Unschedulable app=quorum
echo "chaos-23: quorum cannot spread 12 replicas over the nodes"
