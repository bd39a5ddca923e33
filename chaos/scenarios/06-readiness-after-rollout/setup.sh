#!/usr/bin/env bash
# A rollout points frontend's readiness probe at a path that answers 404: the new pods run but never become Ready.
NS=chaos-06
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
manifest() { # manifest PROBE_PATH [sim probe-fail value]
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: $NS, labels: {app: frontend}}
spec:
  replicas: 2
  progressDeadlineSeconds: 60
  selector: {matchLabels: {app: frontend}}
  template:
    metadata:
      labels: {app: frontend}
      annotations:
        sim.oncall-agent.dev/probe-fail.nginx: "${2:-none}"
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: "$1", port: 80}, periodSeconds: 5, failureThreshold: 2}
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}
YAML
}
manifest / | kubectl apply -f - >/dev/null
kubectl rollout status deployment/frontend -n "$NS" --timeout=90s >/dev/null
manifest /healthz/v2 readiness | kubectl apply -f - >/dev/null
readiness_failing() { kubectl get events -n "$NS" --field-selector reason=Unhealthy -o jsonpath='{.items[*].message}' 2>/dev/null | grep -q 'Readiness probe failed'; }
wait_until 90 "the new pods' readiness probe to fail" readiness_failing
echo "chaos-06: frontend's new pods fail their readiness probe"
