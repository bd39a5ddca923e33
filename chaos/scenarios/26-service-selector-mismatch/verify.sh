#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): service storefront has ready endpoints again.
set -euo pipefail
NS=chaos-26
timeout="${CHAOS_VERIFY_TIMEOUT:-60}"
fail() { echo "verify: $*" >&2; exit 1; }
deadline=$((SECONDS + timeout))
until [ -n "$(kubectl get endpoints storefront -n "$NS" -o jsonpath='{.subsets[*].addresses[*].ip}' 2>/dev/null)" ]; do
  ((SECONDS < deadline)) || fail "service storefront has no ready endpoints after ${timeout}s"
  sleep 1
done
