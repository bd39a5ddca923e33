#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): the search HPA has headroom again — below its maximum,
# or no longer limited by it (only a human raises maxReplicas or takes the load away).
set -euo pipefail
NS=chaos-48
fail() { echo "verify: $*" >&2; exit 1; }
state=$(kubectl get hpa search -n "$NS" -o jsonpath='{.status.currentReplicas} {.spec.maxReplicas} {.status.conditions[?(@.type=="ScalingLimited")].reason}' 2>/dev/null) || fail "hpa $NS/search does not exist"
read -r current max limited <<<"$state"
if [ "${current:-0}" -ge "${max:-0}" ] && [ "${limited:-}" = "TooManyReplicas" ]; then fail "the search HPA is pinned at maxReplicas $max and wants more"; fi
