#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): a run of nightly-report completed (only after a human fix).
set -euo pipefail
NS=chaos-32
fail() { echo "verify: $*" >&2; exit 1; }
[ "$(kubectl get job nightly-report -n "$NS" -o jsonpath='{.status.succeeded}' 2>/dev/null)" = "1" ] || fail "job nightly-report has not succeeded"
