#!/usr/bin/env bash
# billing mounts ConfigMap billing-confg (a typo); billing-config exists with the same key: the pods stay ContainerCreating (approval: re-point the volume).
NS=chaos-27
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
kind: ConfigMap
metadata: {name: billing-config, namespace: $NS}
data: {settings.yaml: "currency: EUR"}
YAML
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: billing, namespace: $NS, labels: {app: billing}}
spec:
  replicas: 2
  selector: {matchLabels: {app: billing}}
  template:
    metadata:
      labels: {app: billing}
    spec:
      volumes: [{name: settings, configMap: {name: billing-confg, items: [{key: settings.yaml, path: settings.yaml}]}}]
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "echo 'listening on :8080'; while true; do sleep 3600; done"]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
        volumeMounts: [{name: settings, mountPath: /etc/billing}]
YAML
wait_until 90 "the billing volume to fail to mount" event_seen FailedMount "billing-confg"
echo "chaos-27: billing cannot mount configmap billing-confg"
