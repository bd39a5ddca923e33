#!/usr/bin/env bash
# A worker that needs about 150Mi runs under a 100Mi memory limit: it is OOMKilled again and again.
NS=chaos-03
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
# polinux/stress really allocates 150M; the sim reads the same figure from the memory-mi annotation.
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: $NS, labels: {app: worker}}
spec:
  replicas: 1
  selector: {matchLabels: {app: worker}}
  template:
    metadata:
      labels: {app: worker}
      annotations:
        sim.oncall-agent.dev/memory-mi.stress: "150"
    spec:
      containers:
      - name: stress
        image: polinux/stress:1.0.4
        command: ["stress"]
        args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "0"]
        resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 100Mi}}
YAML
wait_until 90 "the worker to be OOMKilled" pods_show 'OOMKilled' app=worker
echo "chaos-03: worker is OOMKilled"
