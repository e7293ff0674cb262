// Offline checks of rendered Kubernetes manifests (what `kubectl kustomize` prints): schema validation of every
// object with kubernetes-models (types, formats, required fields of the Kubernetes OpenAPI schemas) and a lint for
// mistakes those schemas let through but a cluster would not forgive: selectors that select nothing, pods without
// probes or resource requests, floating image tags, references to objects that are not there.
import * as yaml from "js-yaml";

/** Kinds whose pods the lint inspects, and where their pod template is. */
const WORKLOADS = new Set(["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job"]);

/** Parses a multi-document YAML stream; empty documents are skipped. */
export function parseDocuments(text, source = "<input>") {
  const docs = [];
  yaml.loadAll(text, (doc) => {
    if (doc !== null && doc !== undefined) {
      docs.push(doc);
    }
  }, { filename: source });
  return docs;
}

/** "Kind namespace/name", as problems name objects. */
export function describe(obj) {
  const ns = obj?.metadata?.namespace;
  return `${obj?.kind ?? "?"} ${ns ? ns + "/" : ""}${obj?.metadata?.name ?? "?"}`;
}

/**
 * Validates each object against its kind's schema. Returns problems as strings.
 * Model modules are imported by apiVersion: kubernetes-models/<group>/<version> ("v1" for the core group).
 */
export async function validateSchemas(docs) {
  const problems = [];
  for (const obj of docs) {
    if (typeof obj !== "object" || Array.isArray(obj)) {
      problems.push(`a document is not an object: ${JSON.stringify(obj).slice(0, 80)}`);
      continue;
    }
    if (!obj.apiVersion || !obj.kind) {
      problems.push(`${describe(obj)}: apiVersion and kind are required`);
      continue;
    }
    let model;
    try {
      model = (await import(`kubernetes-models/${obj.apiVersion}`))[obj.kind];
    } catch {
      model = undefined;
    }
    if (typeof model !== "function") {
      problems.push(`${describe(obj)}: no schema for ${obj.apiVersion} ${obj.kind} (unknown kind or apiVersion)`);
      continue;
    }
    try {
      new model(obj).validate();
    } catch (e) {
      problems.push(`${describe(obj)}: schema: ${e.message}`);
    }
  }
  return problems;
}

function podSpecOf(obj) {
  return WORKLOADS.has(obj.kind) ? obj.spec?.template?.spec : undefined;
}

function containersOf(podSpec) {
  return [...(podSpec?.initContainers ?? []).map((c) => ({ c, init: true })),
    ...(podSpec?.containers ?? []).map((c) => ({ c, init: false }))];
}

function sameNamespace(a, b) {
  return (a.metadata?.namespace ?? "") === (b.metadata?.namespace ?? "");
}

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

/** Whether an image reference pins a version: a digest, or a tag other than latest. */
export function imageIsPinned(image) {
  if (typeof image !== "string" || image.length === 0) {
    return false;
  }
  if (/@sha256:[0-9a-f]{64}$/.test(image)) {
    return true;
  }
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) {
    return false;
  }
  const tag = lastSegment.slice(colon + 1);
  return tag.length > 0 && tag !== "latest";
}

/** Kinds that live outside namespaces; every other object of a render must name its namespace. */
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
  "CustomResourceDefinition", "PriorityClass", "RuntimeClass", "IngressClass", "Node",
  "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]);

/** Lints a rendered set of objects. Returns problems as strings. */
export function lint(docs) {
  const problems = [];
  const objects = docs.filter((d) => d && typeof d === "object" && d.kind);
  for (const o of objects) {
    // Without one, `kubectl apply` puts it wherever the user's context points (a resource an overlay added
    // without the overlay setting `namespace:`).
    if (!CLUSTER_SCOPED.has(o.kind) && !o.metadata?.namespace) {
      problems.push(`${describe(o)}: no metadata.namespace`);
    }
  }
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const exists = (kind, name, near) => byKind(kind).some((o) => o.metadata?.name === name && sameNamespace(o, near));
  const workloads = objects.filter((o) => WORKLOADS.has(o.kind));

  for (const w of workloads) {
    const what = describe(w);
    const templateLabels = w.spec?.template?.metadata?.labels ?? {};
    const selector = w.spec?.selector?.matchLabels;
    if (w.kind !== "Job") {
      if (!selector || Object.keys(selector).length === 0) {
        problems.push(`${what}: spec.selector.matchLabels is empty`);
      } else if (!matches(selector, templateLabels)) {
        problems.push(`${what}: selector ${JSON.stringify(selector)} does not match its pod template's labels `
          + `${JSON.stringify(templateLabels)}`);
      }
    }
    const pod = podSpecOf(w);
    for (const { c, init } of containersOf(pod)) {
      const where = `${what} container ${c.name}`;
      if (!imageIsPinned(c.image)) {
        problems.push(`${where}: image '${c.image ?? ""}' has no tag or digest (or is :latest)`);
      }
      const requests = c.resources?.requests ?? {};
      for (const r of ["cpu", "memory"]) {
        if (requests[r] === undefined) {
          problems.push(`${where}: no resources.requests.${r}`);
        }
      }
      // Without a memory limit the JVM sizes its heap (MaxRAMPercentage) from the node's memory, not the pod's.
      if (c.resources?.limits?.memory === undefined) {
        problems.push(`${where}: no resources.limits.memory`);
      }
      if (!init && w.kind !== "Job") {
        for (const probe of ["readinessProbe", "livenessProbe"]) {
          if (!c[probe]) {
            problems.push(`${where}: no ${probe}`);
          }
        }
      }
      const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port ?? c[probe]?.grpc?.port;
        if (typeof port === "string" && !/^\d+$/.test(port) && !portNames.has(port)) {
          problems.push(`${where}: ${probe} uses port '${port}', which the container does not declare`);
        }
      }
      for (const from of c.envFrom ?? []) {
        const ref = from.configMapRef;
        if (ref && !ref.optional && !exists("ConfigMap", ref.name, w)) {
          problems.push(`${where}: envFrom names ConfigMap ${ref.name}, which is not in the manifests`);
        }
      }
      for (const env of c.env ?? []) {
        const ref = env.valueFrom?.configMapKeyRef;
        if (ref && !ref.optional && !exists("ConfigMap", ref.name, w)) {
          problems.push(`${where}: env ${env.name} names ConfigMap ${ref.name}, which is not in the manifests`);
        }
      }
    }
    const sa = pod?.serviceAccountName;
    if (sa && sa !== "default" && !exists("ServiceAccount", sa, w)) {
      problems.push(`${what}: service account ${sa} is not in the manifests`);
    }
    const claimTemplates = new Set((w.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name));
    for (const v of pod?.volumes ?? []) {
      if (v.configMap && !v.configMap.optional && !exists("ConfigMap", v.configMap.name, w)) {
        problems.push(`${what}: volume ${v.name} names ConfigMap ${v.configMap.name}, which is not in the manifests`);
      }
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim && !claimTemplates.has(claim) && !exists("PersistentVolumeClaim", claim, w)) {
        problems.push(`${what}: volume ${v.name} names PersistentVolumeClaim ${claim}, which is not in the manifests`);
      }
    }
    const mounted = new Set((pod?.volumes ?? []).map((v) => v.name));
    claimTemplates.forEach((n) => mounted.add(n));
    const used = new Set();
    for (const { c } of containersOf(pod)) {
      for (const m of c.volumeMounts ?? []) {
        used.add(m.name);
        if (!mounted.has(m.name)) {
          problems.push(`${what} container ${c.name}: mounts volume ${m.name}, which the pod does not define`);
        }
      }
      (c.volumeDevices ?? []).forEach((d) => used.add(d.name));
    }
    // A volume no container mounts is a leftover of a patch that removed only the mount (an overlay deleting a
    // host path, say): for a hostPath, the kubelet still creates or requires it on the node.
    for (const v of pod?.volumes ?? []) {
      if (!used.has(v.name)) {
        problems.push(`${what}: volume ${v.name} is mounted by no container`);
      }
    }
  }

  for (const svc of byKind("Service")) {
    const selector = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) {
      continue; // A Service without selector has its endpoints managed by hand.
    }
    const selected = workloads.filter((w) => sameNamespace(w, svc)
      && matches(selector, w.spec?.template?.metadata?.labels));
    if (selected.length === 0) {
      problems.push(`${describe(svc)}: selector ${JSON.stringify(selector)} matches no pod template in the manifests`);
      continue;
    }
    for (const port of svc.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const served = selected.some((w) => containersOf(podSpecOf(w)).some(({ c }) => (c.ports ?? []).some((p) =>
        typeof target === "string" && !/^\d+$/.test(target) ? p.name === target : p.containerPort === Number(target))));
      if (!served) {
        problems.push(`${describe(svc)}: port ${port.name ?? port.port} targets ${target}, which no selected `
          + `container declares`);
      }
    }
  }

  for (const binding of byKind("RoleBinding")) {
    const role = binding.roleRef;
    if (role?.kind === "Role" && !exists("Role", role.name, binding)) {
      problems.push(`${describe(binding)}: roleRef names Role ${role.name}, which is not in the manifests`);
    }
    for (const s of binding.subjects ?? []) {
      const near = { metadata: { namespace: s.namespace ?? binding.metadata?.namespace } };
      if (s.kind === "ServiceAccount" && !exists("ServiceAccount", s.name, near)) {
        problems.push(`${describe(binding)}: subject ServiceAccount ${s.name} is not in the manifests`);
      }
    }
  }
  return problems;
}

/** Kinds `podman kube play` (podman 4.3) acts on; it refuses a file with none and skips the others. */
const PODMAN_KINDS = new Set(["Pod", "Deployment", "PersistentVolumeClaim", "ConfigMap", "Secret"]);

/**
 * What podman 4.3 cannot play as written:
 * - any container port on a host-network pod ("PortMappings can only be used with Bridge or slirp4netns
 *   networking"), although such ports are only informative: dropped, after the probes' port names are turned into
 *   the numbers they stand for;
 * - HTTP probes, which it runs as `curl` in a shell inside the container, and pvm's images have neither: the
 *   liveness and startup probes are dropped (the caller polls readiness from the host instead).
 */
function forPodman(template) {
  const copy = structuredClone(template);
  for (const c of copy.spec?.containers ?? []) {
    const numbers = new Map((c.ports ?? []).filter((p) => p.name).map((p) => [p.name, p.containerPort]));
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      for (const action of ["httpGet", "tcpSocket", "grpc"]) {
        const target = c[probe]?.[action];
        if (target && typeof target.port === "string" && numbers.has(target.port)) {
          target.port = numbers.get(target.port);
        }
      }
    }
    if (copy.spec.hostNetwork) {
      delete c.ports;
    }
    for (const probe of ["startupProbe", "livenessProbe"]) {
      if (c[probe]?.httpGet) {
        delete c[probe];
      }
    }
  }
  return copy;
}

/**
 * Rewrites a rendered overlay for `podman kube play` (podman 4.3, Debian 12), which plays Pods, Deployments,
 * ConfigMaps, Secrets and PersistentVolumeClaims only: a DaemonSet becomes a one-replica Deployment of the same
 * pod (one node, one host agent), the rest (Namespace, RBAC, Services) is left out, and pod templates are
 * adjusted as {@link forPodman} says. Returns { docs, dropped }.
 */
export function forPodmanPlay(docs) {
  const out = [];
  const dropped = [];
  for (const obj of docs) {
    if (obj.kind === "DaemonSet") {
      out.push({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: obj.metadata,
        spec: { replicas: 1, selector: obj.spec.selector, template: forPodman(obj.spec.template) },
      });
    } else if (obj.kind === "Deployment") {
      out.push({ ...obj, spec: { ...obj.spec, template: forPodman(obj.spec.template) } });
    } else if (PODMAN_KINDS.has(obj.kind)) {
      out.push(obj);
    } else {
      dropped.push(describe(obj));
    }
  }
  return { docs: out, dropped };
}

export function dumpDocuments(docs) {
  return docs.map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join("---\n");
}
