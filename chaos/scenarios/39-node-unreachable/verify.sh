#!/usr/bin/env bash
# Independent check of the cluster (not the agent's verdict): every node kv runs on is Ready and kv has all its
# replicas ready (only once a human brings the node back or replaces it).
set -euo pipefail
NS=chaos-39
timeout="${CHAOS_VERIFY_TIMEOUT:-60}"
fail() { echo "verify: $*" >&2; exit 1; }
kubectl get statefulset kv -n "$NS" >/dev/null 2>&1 || fail "statefulset $NS/kv does not exist"
for node in $(kubectl get pods -n "$NS" -l app=kv -o jsonpath='{.items[*].spec.nodeName}'); do
  [ "$(kubectl get node "$node" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = "True" ] || fail "node $node hosting kv is not Ready"
done
kubectl rollout status statefulset/kv -n "$NS" --timeout="${timeout}s" >/dev/null 2>&1 || fail "kv did not become ready within ${timeout}s"
want=$(kubectl get statefulset kv -n "$NS" -o jsonpath='{.spec.replicas}')
ready=$(kubectl get statefulset kv -n "$NS" -o jsonpath='{.status.readyReplicas}')
[ "${ready:-0}" -ge "$want" ] || fail "kv has ${ready:-0}/$want ready replicas"
