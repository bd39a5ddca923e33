#!/usr/bin/env bash
# A claim names a StorageClass that does not exist: the claim stays Pending and so does the pod that mounts it.
# Plain manifests and real images: the fault is the program's own, no simulator hints.
NS=chaos-43
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
metadata: {name: reports, namespace: chaos-43}
spec: {selector: {app: reports}, ports: [{port: 80, targetPort: 80}]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: reports-data, namespace: chaos-43}
spec:
  storageClassName: chaos-43-fast-ssd
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reports, namespace: chaos-43, labels: {app: reports}}
spec:
  replicas: 1
  selector: {matchLabels: {app: reports}}
  template:
    metadata: {labels: {app: reports}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        volumeMounts: [{name: data, mountPath: /usr/share/nginx/html/reports}]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}
      volumes: [{name: data, persistentVolumeClaim: {claimName: reports-data}}]

YAML
wait_until 120 "the claim to fail provisioning and the pod to stay Pending" event_shows FailedScheduling "unbound immediate PersistentVolumeClaims"
echo 'chaos-43: Missing StorageClass: chaos-43/reports-data names a class that does not exist (claim Pending, pod Pending with unbound immediate PersistentVolumeClaims).'
