#!/usr/bin/env bash
# Removes what setup.sh created; safe to run twice. Bounded: waits at most 90 s for the namespace to go.
set -uo pipefail
NS=chaos-38
kubectl delete namespace "$NS" --ignore-not-found --timeout=90s >/dev/null
# Give back the node setup.sh drained.
for node in $(kubectl get nodes -l chaos.oncall-agent.dev/pool=chaos-38 -o jsonpath='{.items[*].metadata.name}'); do
  kubectl uncordon "$node" >/dev/null
  kubectl label node "$node" chaos.oncall-agent.dev/pool- >/dev/null
done
