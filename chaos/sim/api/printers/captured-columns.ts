// Column definitions of the real kube-apiserver (v1.26) Tables, as captured from a real kube-apiserver v1.26 / kubectl 1.32 (see SEMANTICS.md, "Tables").
// Descriptions are the API documentation strings the server sends; kubectl only shows the names.

import type { ColumnDefinition } from './table-types.js';

const D0 = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names";
const D1 = "The aggregate readiness state of this pod for accepting traffic.";
const D2 = "The aggregate status of the containers in this pod.";
const D3 = "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.";
const D4 = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const D5 = "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.";
const D6 = "NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.";
const D7 = "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.";
const D8 = "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates";
const D9 = "Number of the pod with ready state";
const D10 = "Total number of non-terminated pods targeted by this deployment that have the desired template spec.";
const D11 = "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.";
const D12 = "Names of each container in the template.";
const D13 = "Images referenced by each container in the template.";
const D14 = "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.";
const D15 = "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller";
const D16 = "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller";
const D17 = "The number of ready replicas for this replica set.";
const D18 = "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";
const D19 = "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/";
const D20 = "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/";
const D21 = "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.";
const D22 = "The total number of nodes that are running updated daemon pod";
const D23 = "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)";
const D24 = "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/";
const D25 = "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";
const D26 = "The status of the node";
const D27 = "The roles of the node";
const D28 = "Kubelet Version reported by the node.";
const D29 = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/concepts/nodes/node/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example.";
const D30 = "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).";
const D31 = "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).";
const D32 = "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).";
const D33 = "The time at which the most recent occurrence of this event was recorded.";
const D34 = "Type of this event (Normal, Warning), new types could be added in the future";
const D35 = "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.";
const D36 = "The object that this event is about.";
const D37 = "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.";
const D38 = "The component reporting this event. Should be a short machine understandable string.";
const D39 = "A human-readable description of the status of this operation.";
const D40 = "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)";
const D41 = "The number of times this event has occurred.";
const D42 = "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types";
const D43 = "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";
const D44 = "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.";
const D45 = "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";
const D46 = "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/";
const D47 = "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.";
const D48 = "The status of the namespace";

const c = (name: string, type: string, format: string, priority: number, description: string): ColumnDefinition => ({ name, type, format, description, priority });

/** Server-side printer columns by store key, exactly as captured. */
export const CAPTURED_COLUMNS: Record<string, ColumnDefinition[]> = {
  pods: [
    c("Name", "string", "name", 0, D0),
    c("Ready", "string", "", 0, D1),
    c("Status", "string", "", 0, D2),
    c("Restarts", "string", "", 0, D3),
    c("Age", "string", "", 0, D4),
    c("IP", "string", "", 1, D5),
    c("Node", "string", "", 1, D6),
    c("Nominated Node", "string", "", 1, D7),
    c("Readiness Gates", "string", "", 1, D8),
  ],
  deployments: [
    c("Name", "string", "name", 0, D0),
    c("Ready", "string", "", 0, D9),
    c("Up-to-date", "string", "", 0, D10),
    c("Available", "string", "", 0, D11),
    c("Age", "string", "", 0, D4),
    c("Containers", "string", "", 1, D12),
    c("Images", "string", "", 1, D13),
    c("Selector", "string", "", 1, D14),
  ],
  replicasets: [
    c("Name", "string", "name", 0, D0),
    c("Desired", "integer", "", 0, D15),
    c("Current", "integer", "", 0, D16),
    c("Ready", "integer", "", 0, D17),
    c("Age", "string", "", 0, D4),
    c("Containers", "string", "", 1, D12),
    c("Images", "string", "", 1, D13),
    c("Selector", "string", "", 1, D18),
  ],
  daemonsets: [
    c("Name", "string", "name", 0, D0),
    c("Desired", "integer", "", 0, D19),
    c("Current", "integer", "", 0, D20),
    c("Ready", "integer", "", 0, D21),
    c("Up-to-date", "integer", "", 0, D22),
    c("Available", "integer", "", 0, D23),
    c("Node Selector", "string", "", 0, D24),
    c("Age", "string", "", 0, D4),
    c("Containers", "string", "", 1, D12),
    c("Images", "string", "", 1, D13),
    c("Selector", "string", "", 1, D25),
  ],
  nodes: [
    c("Name", "string", "name", 0, D0),
    c("Status", "string", "", 0, D26),
    c("Roles", "string", "", 0, D27),
    c("Age", "string", "", 0, D4),
    c("Version", "string", "", 0, D28),
    c("Internal-IP", "string", "", 1, D29),
    c("External-IP", "string", "", 1, D29),
    c("OS-Image", "string", "", 1, D30),
    c("Kernel-Version", "string", "", 1, D31),
    c("Container-Runtime", "string", "", 1, D32),
  ],
  events: [
    c("Last Seen", "string", "", 0, D33),
    c("Type", "string", "", 0, D34),
    c("Reason", "string", "", 0, D35),
    c("Object", "string", "", 0, D36),
    c("Subobject", "string", "", 1, D37),
    c("Source", "string", "", 1, D38),
    c("Message", "string", "", 0, D39),
    c("First Seen", "string", "", 1, D40),
    c("Count", "string", "", 1, D41),
    c("Name", "string", "name", 1, D0),
  ],
  services: [
    c("Name", "string", "name", 0, D0),
    c("Type", "string", "", 0, D42),
    c("Cluster-IP", "string", "", 0, D43),
    c("External-IP", "string", "", 0, D44),
    c("Port(s)", "string", "", 0, D45),
    c("Age", "string", "", 0, D4),
    c("Selector", "string", "", 1, D46),
  ],
  configmaps: [
    c("Name", "string", "name", 0, D0),
    c("Data", "string", "", 0, D47),
    c("Age", "string", "", 0, D4),
  ],
  namespaces: [
    c("Name", "string", "name", 0, D0),
    c("Status", "string", "", 0, D48),
    c("Age", "string", "", 0, D4),
  ],
};

export const NAME_DESCRIPTION = D0;
export const AGE_DESCRIPTION = D4;
