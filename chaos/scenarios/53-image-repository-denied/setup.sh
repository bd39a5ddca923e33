#!/usr/bin/env bash
# pricing runs nginx:1.27 (revision 1); revision 2 points it at acme-internal/pricing:2.4, a repository Docker Hub does not have (or that needs credentials): its new pod fails with "pull access denied" while revision 1's pods still serve (fix: roll back to the last image that ran).
NS=chaos-53
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
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
manifest() {
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: pricing, namespace: $NS, labels: {app: pricing}}
spec:
  replicas: 2
  selector: {matchLabels: {app: pricing}}
  template:
    metadata: {labels: {app: pricing}}
    spec:
      containers:
      - name: app
        image: $1
        ports: [{containerPort: 80}]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}
YAML
}
manifest nginx:1.27 | kubectl apply -f - >/dev/null
kubectl rollout status deployment/pricing -n "$NS" --timeout=90s >/dev/null
manifest acme-internal/pricing:2.4 | kubectl apply -f - >/dev/null
wait_until 90 "the new pod to fail pulling" pods_show 'ErrImagePull|ImagePullBackOff' app=pricing
wait_until 30 "the kubelet's pull failure event" event_seen Failed 'pull access denied'
echo "chaos-53: pricing's new pod cannot pull acme-internal/pricing:2.4 (pull access denied)"
