#!/usr/bin/env bash
# A node hosting ledger is drained, but ledger's PodDisruptionBudget (minAvailable 2 of 2 replicas) allows 0
# disruptions: the eviction is refused (429) and the drain cannot finish (escalate naming the budget).
NS=chaos-38
set -euo pipefail
# Polls a condition (a shell function name) until it holds, at most $1 seconds: every wait here is bounded.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${limit}s waiting for ${what}" >&2
      kubectl get pods -n "$NS" -o wide >&2 || true
      return 1
    fi
    sleep 0.5
  done
}
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: $NS, labels: {app: ledger}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ledger}}
  template:
    metadata: {labels: {app: ledger}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ledger-pdb, namespace: $NS}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: ledger}}
YAML
ready_pods() { [ "$(kubectl get deployment ledger -n "$NS" -o jsonpath='{.status.readyReplicas}' 2>/dev/null)" = "2" ]; }
wait_until 90 "ledger to have 2 ready replicas" ready_pods
budget_counted() { [ "$(kubectl get pdb ledger-pdb -n "$NS" -o jsonpath='{.status.currentHealthy}/{.status.disruptionsAllowed}' 2>/dev/null)" = "2/0" ]; }
wait_until 60 "ledger-pdb to count 2 healthy pods and allow 0 disruptions" budget_counted
# The node of the first ledger pod is drained, as a node upgrade would: only ledger's pods are evicted (--pod-selector),
# so the rest of a real cluster is untouched. The drain is refused by the budget and gives up after its timeout.
node=$(kubectl get pods -n "$NS" -l app=ledger -o jsonpath='{.items[0].spec.nodeName}')
[ -n "$node" ] || { echo "no node hosts ledger" >&2; exit 1; }
kubectl label node "$node" chaos.oncall-agent.dev/pool=chaos-38 --overwrite >/dev/null
if out=$(kubectl drain "$node" --pod-selector=app=ledger --ignore-daemonsets --delete-emptydir-data --timeout=8s 2>&1); then
  echo "the drain of $node went through: the budget did not hold" >&2
  exit 1
fi
grep -q "disruption budget" <<<"$out" || { echo "$out" >&2; echo "the drain of $node failed for another reason" >&2; exit 1; }
echo "chaos-38: the drain of $node is blocked: ledger-pdb allows 0 disruptions"
