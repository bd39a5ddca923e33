#!/usr/bin/env bash
# cart crash-loops after a bad rollout and two alerts about it page at once: one remediation, not two.
NS=chaos-09
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
manifest() { # manifest COMMAND LOG
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: $NS, labels: {app: cart}}
spec:
  replicas: 2
  selector: {matchLabels: {app: cart}}
  template:
    metadata:
      labels: {app: cart}
      annotations:
        sim.oncall-agent.dev/log.app: "$2"
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "$1"]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
}
manifest "echo 'cart v1 ready'; while true; do sleep 3600; done" "cart v1 ready" | kubectl apply -f - >/dev/null
kubectl rollout status deployment/cart -n "$NS" --timeout=90s >/dev/null
manifest "echo 'cart v2: loading price rules'; echo 'fatal: price rules file /etc/cart/rules.yaml not found'; exit 3" 'cart v2: loading price rules\nfatal: price rules file /etc/cart/rules.yaml not found' | kubectl apply -f - >/dev/null
wait_until 90 "the new cart pods to crash-loop" pods_show 'CrashLoopBackOff' app=cart
echo "chaos-09: cart is crash-looping after its rollout"
