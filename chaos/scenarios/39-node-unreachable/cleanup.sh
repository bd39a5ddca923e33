#!/usr/bin/env bash
# Removes what setup.sh created; safe to run twice. The node's kubelet comes back first, so the pods it holds can
# finish terminating and the namespace can go (bounded: at most 60 s for the node, 90 s for the namespace).
set -uo pipefail
NS=chaos-39
for node in $(kubectl get nodes -l chaos.oncall-agent.dev/pool=chaos-39 -o jsonpath='{.items[*].metadata.name}'); do
  kubectl annotate node "$node" sim.oncall-agent.dev/heartbeat- >/dev/null
  deadline=$((SECONDS + 60))
  until [ "$(kubectl get node "$node" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = "True" ] || ((SECONDS >= deadline)); do sleep 0.5; done
  kubectl label node "$node" chaos.oncall-agent.dev/pool- >/dev/null
done
kubectl delete namespace "$NS" --ignore-not-found --timeout=90s >/dev/null
