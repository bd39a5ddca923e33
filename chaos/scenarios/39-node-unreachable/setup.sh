#!/usr/bin/env bash
# The kubelet of the node hosting kv-0 stops posting status: the node goes unreachable (Ready=Unknown), kv-0 turns
# NotReady and, once its eviction timeout passes, sticks in Terminating: a StatefulSet never replaces a pod on a node it
# cannot reach (escalate naming the node and the pod).
NS=chaos-39
set -euo pipefail
# Polls a condition (a shell function name) until it holds, at most $1 seconds: every wait here is bounded.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${limit}s waiting for ${what}" >&2
      kubectl get nodes >&2 || true
      kubectl get pods -n "$NS" -o wide >&2 || true
      return 1
    fi
    sleep 0.5
  done
}
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: kv, namespace: $NS, labels: {app: kv}}
spec:
  clusterIP: None
  selector: {app: kv}
  ports: [{name: redis, port: 6379}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: kv, namespace: $NS, labels: {app: kv}}
spec:
  serviceName: kv
  replicas: 3
  selector: {matchLabels: {app: kv}}
  template:
    metadata: {labels: {app: kv}}
    spec:
      containers:
      - name: redis
        image: redis:7.2
        ports: [{name: redis, containerPort: 6379}]
        readinessProbe: {tcpSocket: {port: 6379}, periodSeconds: 5}
        resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 128Mi}}
YAML
all_ready() { [ "$(kubectl get statefulset kv -n "$NS" -o jsonpath='{.status.readyReplicas}' 2>/dev/null)" = "3" ]; }
wait_until 120 "kv to have 3 ready replicas" all_ready
node=$(kubectl get pod kv-0 -n "$NS" -o jsonpath='{.spec.nodeName}')
[ -n "$node" ] || { echo "kv-0 is not on a node" >&2; exit 1; }
kubectl label node "$node" chaos.oncall-agent.dev/pool=chaos-39 --overwrite >/dev/null
# kube-sim stops the node's kubelet on this annotation. A real cluster ignores it: stop the kubelet on $node by hand
# (e.g. `systemctl stop kubelet` on the machine) within the wait below.
kubectl annotate node "$node" sim.oncall-agent.dev/heartbeat=stop --overwrite >/dev/null
node_lost() { [ "$(kubectl get node "$node" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" != "True" ]; }
wait_until 120 "node $node to stop being Ready (stop its kubelet on a real cluster)" node_lost
kv0_unready() { [ "$(kubectl get pod kv-0 -n "$NS" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" != "True" ]; }
wait_until 60 "kv-0 to be marked not ready" kv0_unready
echo "chaos-39: node $node is unreachable; kv-0 on it is not ready"
