#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): the thumbnails HPA reads its metrics again.
set -euo pipefail
NS=chaos-33
fail() { echo "verify: $*" >&2; exit 1; }
[ "$(kubectl get hpa thumbnails -n "$NS" -o jsonpath='{.status.conditions[?(@.type=="ScalingActive")].status}' 2>/dev/null)" = "True" ] || fail "the thumbnails HPA still cannot scale"
