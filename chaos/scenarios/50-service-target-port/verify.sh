#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): service checkout has ready endpoints and every port it targets is one its pods declare.
set -euo pipefail
NS=chaos-50
timeout="${CHAOS_VERIFY_TIMEOUT:-60}"
fail() { echo "verify: $*" >&2; exit 1; }
deadline=$((SECONDS + timeout))
until [ -n "$(kubectl get endpoints checkout -n "$NS" -o jsonpath='{.subsets[*].addresses[*].ip}' 2>/dev/null)" ]; do
  ((SECONDS < deadline)) || fail "service checkout has no ready endpoints after ${timeout}s"
  sleep 1
done
declared=" $(kubectl get pods -n "$NS" -l app=checkout -o jsonpath='{.items[*].spec.containers[*].ports[*].containerPort} {.items[*].spec.containers[*].ports[*].name}') "
for target in $(kubectl get service checkout -n "$NS" -o jsonpath='{.spec.ports[*].targetPort}'); do
  [[ "$declared" == *" $target "* ]] || fail "service checkout targets port $target, which its pods do not declare (they declare:$declared)"
done
