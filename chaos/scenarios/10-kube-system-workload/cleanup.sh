#!/usr/bin/env bash
# Removes what setup.sh created; safe to run twice. Bounded: waits at most 90 s for the namespace to go.
set -uo pipefail
NS=kube-system
# Never the namespace: only the scenario's own Deployment in kube-system.
kubectl delete deployment chaos-metrics-agent -n "$NS" --ignore-not-found --timeout=90s >/dev/null
