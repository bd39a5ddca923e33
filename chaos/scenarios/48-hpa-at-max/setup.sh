#!/usr/bin/env bash
# search burns CPU far past its HPA's 50% target: the HPA scales it to maxReplicas 4 and wants more, pinned at its
# maximum (escalate: raising the maximum needs a human who knows the cluster's room and the load).
NS=chaos-48
set -euo pipefail
# Polls a condition (a shell function name) until it holds, at most $1 seconds: every wait here is bounded.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${limit}s waiting for ${what}" >&2
      kubectl get hpa,pods -n "$NS" -o wide >&2 || true
      return 1
    fi
    sleep 0.5
  done
}
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
# `yes > /dev/null` keeps a core busy on a real cluster; kube-sim's HPA reads the cpu-utilization annotation.
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: search, namespace: $NS, labels: {app: search}}
spec:
  replicas: 2
  selector: {matchLabels: {app: search}}
  template:
    metadata:
      labels: {app: search}
      annotations: {sim.oncall-agent.dev/cpu-utilization: "250"}
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "yes > /dev/null"]
        resources: {requests: {cpu: 100m, memory: 16Mi}, limits: {cpu: 250m, memory: 32Mi}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: search, namespace: $NS}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: search}
  minReplicas: 2
  maxReplicas: 4
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
YAML
hpa_pinned() {
  [ "$(kubectl get hpa search -n "$NS" -o jsonpath='{.status.currentReplicas}/{.spec.maxReplicas}/{.status.conditions[?(@.type=="ScalingLimited")].status}' 2>/dev/null)" = "4/4/True" ]
}
wait_until 180 "the search HPA to reach maxReplicas 4 and want more" hpa_pinned
all_ready() { [ "$(kubectl get deployment search -n "$NS" -o jsonpath='{.status.readyReplicas}' 2>/dev/null)" = "4" ]; }
wait_until 90 "search to run 4 ready replicas" all_ready
echo "chaos-48: the search HPA is pinned at maxReplicas 4"
