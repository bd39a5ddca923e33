#!/usr/bin/env bash
# ledger crash-loops from its very first revision: there is nothing healthy to roll back to (escalate).
NS=chaos-08
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
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: $NS, labels: {app: ledger}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ledger}}
  template:
    metadata:
      labels: {app: ledger}
      annotations:
        sim.oncall-agent.dev/log.app: "ledger starting\nerror: schema migration 0042 failed: column \"balance_cents\" does not exist"
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "echo 'ledger starting'; echo 'error: schema migration 0042 failed: column \"balance_cents\" does not exist'; exit 1"]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
wait_until 90 "ledger to crash-loop" pods_show 'CrashLoopBackOff' app=ledger
echo "chaos-08: ledger crash-loops with no earlier revision"
