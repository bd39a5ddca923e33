#!/usr/bin/env bash
# Removes what setup.sh created; safe to run twice. Bounded: waits at most 90 s for the namespace to go.
set -uo pipefail
NS=chaos-48
kubectl delete namespace "$NS" --ignore-not-found --timeout=90s >/dev/null
