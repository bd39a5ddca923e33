#!/usr/bin/env bash
# The nightly-report Job exits 2 on every attempt and hits its backoffLimit of 1 (escalate with the limit and the exit codes).
NS=chaos-32
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
apiVersion: batch/v1
kind: Job
metadata: {name: nightly-report, namespace: $NS}
spec:
  backoffLimit: 1
  template:
    metadata: {labels: {app: nightly-report}}
    spec:
      restartPolicy: Never
      containers:
      - name: report
        image: busybox:1.36
        command: ["sh", "-c", "echo connecting to warehouse; echo 'error: warehouse unreachable'; exit 2"]
        resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 32Mi}}
YAML
job_failed() { kubectl get job nightly-report -n "$NS" -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}' 2>/dev/null | grep -q True; }
wait_until 120 "the job to hit its backoff limit" job_failed
echo "chaos-32: job nightly-report failed"
