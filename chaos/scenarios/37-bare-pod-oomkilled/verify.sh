#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): etl-once runs without being OOMKilled (only after a human recreates it).
set -euo pipefail
NS=chaos-37
fail() { echo "verify: $*" >&2; exit 1; }
[ "$(kubectl get pod etl-once -n "$NS" -o jsonpath='{.status.containerStatuses[0].ready}' 2>/dev/null)" = "true" ] || fail "pod etl-once is not ready"
reason=$(kubectl get pod etl-once -n "$NS" -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}')
[ "$reason" != "OOMKilled" ] || fail "pod etl-once is still OOMKilled"
