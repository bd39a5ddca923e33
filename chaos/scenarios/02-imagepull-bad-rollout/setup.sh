#!/usr/bin/env bash
# Healthy web on nginx:1.27, then a rollout to an image tag that does not exist: the new pods cannot pull.
NS=chaos-02
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
manifest() { # manifest IMAGE
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: $NS, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: $1
        ports: [{containerPort: 80}]
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}
YAML
}
manifest nginx:1.27 | kubectl apply -f - >/dev/null
kubectl rollout status deployment/web -n "$NS" --timeout=90s >/dev/null
manifest nginx:1.27-does-not-exist | kubectl apply -f - >/dev/null
wait_until 90 "the new pods to fail pulling" pods_show 'ErrImagePull|ImagePullBackOff' app=web
echo "chaos-02: web's new pods cannot pull their image"
