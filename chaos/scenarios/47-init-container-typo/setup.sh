#!/usr/bin/env bash
# A rollout adds an init container that runs `wge` (a typo for wget): sh: wge: not found, exit 127, Init:CrashLoopBackOff.
# Plain manifests and real images: the fault is the program's own, no simulator hints.
NS=chaos-47
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
apiVersion: v1
kind: Service
metadata: {name: portal, namespace: chaos-47}
spec: {selector: {app: portal}, ports: [{port: 80, targetPort: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: portal, namespace: chaos-47, labels: {app: portal}}
spec:
  replicas: 2
  selector: {matchLabels: {app: portal}}
  template:
    metadata: {labels: {app: portal}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}

YAML
kubectl rollout status deployment/portal -n "$NS" --timeout=120s >/dev/null
# The new revision adds an init container whose command is misspelt (wge for wget).
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: portal, namespace: chaos-47, labels: {app: portal}}
spec:
  replicas: 2
  selector: {matchLabels: {app: portal}}
  template:
    metadata: {labels: {app: portal}}
    spec:
      initContainers:
      - name: fetch-config
        image: busybox:1.36
        command: ["sh", "-c", "wge -q -O /tmp/config.json http://config.example.invalid/config.json"]
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}

YAML
wait_until 120 "the init container to fail" pods_show "(^| )(CrashLoopBackOff|Error)( |$)" app=portal
echo 'chaos-47: Init-container typo: chaos-47/portal rolls out an init container running wge (exit 127, Init:CrashLoopBackOff).'
