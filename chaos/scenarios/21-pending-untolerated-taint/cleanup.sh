#!/usr/bin/env bash
# Removes what setup.sh created; safe to run twice. Bounded: waits at most 90 s for the namespace to go.
set -uo pipefail
NS=chaos-21
for n in $(kubectl get nodes -o name); do kubectl taint "$n" chaos-21- >/dev/null 2>&1 || true; done
kubectl delete namespace "$NS" --ignore-not-found --timeout=90s >/dev/null
