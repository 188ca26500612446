/**
 * Kubernetes manifests as crashlab handles them: parsing multi-document YAML with precise
 * errors, preparing scenario objects for a namespace (labels that mark them as crashlab's,
 * so reset only ever deletes what crashlab created), and cleaning a live object before a
 * learner edits it. Pure: callers read and write the files.
 */
import yaml from 'js-yaml';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, SCENARIO_LABEL, type Container, type Deployment, type K8sObject } from './k8s.js';
import { CoreError } from './errors.js';

export interface ManifestProblem {
  /** 1-based position of the YAML document in the file. */
  document?: number;
  /** 1-based line in the file, when the YAML itself is malformed. */
  line?: number;
  column?: number;
  /** Dotted field path inside the document, e.g. metadata.name */
  path?: string;
  message: string;
}

export type ManifestParse = { ok: true; objects: K8sObject[] } | { ok: false; problems: ManifestProblem[] };

/** "document 2: metadata.name: must be ..." or "line 7, column 3: bad indentation ..." */
export function formatManifestProblem(problem: ManifestProblem): string {
  const where: string[] = [];
  if (problem.line !== undefined) where.push(problem.column !== undefined ? `line ${problem.line}, column ${problem.column}` : `line ${problem.line}`);
  else if (problem.document !== undefined) where.push(`document ${problem.document}`);
  if (problem.path) where.push(problem.path);
  return [...where, problem.message].join(': ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A YAML syntax error with the line and column js-yaml reports (0-based there). */
export function yamlErrorProblem(error: unknown): ManifestProblem {
  if (error instanceof yaml.YAMLException) {
    return {
      line: error.mark ? error.mark.line + 1 : undefined,
      column: error.mark ? error.mark.column + 1 : undefined,
      message: error.reason || error.message,
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * Parses a multi-document manifest. Empty documents (a leading or trailing `---`) are
 * skipped; every other document must be a Kubernetes object with apiVersion, kind and
 * metadata.name.
 */
export function parseManifest(text: string): ManifestParse {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text);
  } catch (error) {
    return { ok: false, problems: [yamlErrorProblem(error)] };
  }
  const objects: K8sObject[] = [];
  const problems: ManifestProblem[] = [];
  documents.forEach((doc, index) => {
    const document = index + 1;
    if (doc === null || doc === undefined) return;
    if (!isRecord(doc)) {
      problems.push({ document, message: `expected a Kubernetes object (a mapping), got ${Array.isArray(doc) ? 'a list' : typeof doc}` });
      return;
    }
    const before = problems.length;
    if (typeof doc.apiVersion !== 'string' || doc.apiVersion === '') problems.push({ document, path: 'apiVersion', message: 'must be a non-empty string' });
    if (typeof doc.kind !== 'string' || doc.kind === '') problems.push({ document, path: 'kind', message: 'must be a non-empty string' });
    if (!isRecord(doc.metadata)) problems.push({ document, path: 'metadata', message: 'must be a mapping with a name' });
    else if (typeof doc.metadata.name !== 'string' || doc.metadata.name === '') problems.push({ document, path: 'metadata.name', message: 'must be a non-empty string' });
    if (problems.length === before) objects.push(doc as unknown as K8sObject);
  });
  if (problems.length) return { ok: false, problems };
  return { ok: true, objects };
}

/**
 * Kinds crashlab may create in a scenario namespace. Anything else is refused: a
 * cluster-scoped object would escape the namespace that reset deletes.
 */
export const NAMESPACED_KINDS: ReadonlySet<string> = new Set([
  'ConfigMap',
  'Secret',
  'Service',
  'ServiceAccount',
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'PersistentVolumeClaim',
  'Role',
  'RoleBinding',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'Ingress',
  'HorizontalPodAutoscaler',
]);

const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'CertificateSigningRequest',
]);

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function describeObject(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/**
 * Problems that stop an object from going into `namespace` (or into any scenario namespace
 * when namespace is omitted): cluster-scoped or unknown kinds, and objects pinned to another
 * namespace. Used by validate as well as by prepareForDeploy.
 */
export function deployProblems(objects: K8sObject[], namespace?: string): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  objects.forEach((object, index) => {
    const document = index + 1;
    const name = describeObject(object);
    if (CLUSTER_SCOPED_KINDS.has(object.kind)) {
      problems.push({ document, path: 'kind', message: `${name} is cluster-scoped; crashlab only creates objects inside the scenario namespace` });
    } else if (!NAMESPACED_KINDS.has(object.kind)) {
      problems.push({ document, path: 'kind', message: `${name}: crashlab does not deploy kind ${object.kind} (known namespaced kinds: ${[...NAMESPACED_KINDS].join(', ')})` });
    }
    const own = object.metadata.namespace;
    if (own !== undefined && own !== namespace) {
      problems.push({
        document,
        path: 'metadata.namespace',
        message: namespace
          ? `${name} sets namespace "${own}", but it is being deployed into "${namespace}"`
          : `${name} sets namespace "${own}"; scenario objects carry no namespace (it is injected at deploy time)`,
      });
    }
  });
  return problems;
}

export interface DeployTarget {
  namespace: string;
  scenarioId: string;
  /** The run's labels (core/instance.ts runLabels); default: managed-by and the scenario label. */
  labels?: Record<string, string>;
  /** Annotations for the top-level objects (core/instance.ts runAnnotations). */
  annotations?: Record<string, string>;
  /** Prepend the Namespace object; false in a namespace the run shares (a game-day team's). */
  createNamespace?: boolean;
  /** Container images to replace, from → to (core/arch.ts foreignArchImages). */
  images?: Record<string, string>;
}

function labelsFor(scenarioId: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [SCENARIO_LABEL]: scenarioId };
}

/**
 * Deep copies of `objects` ready for `kubectl apply`: namespace set, crashlab's labels on
 * every object and on pod templates (so the pods are found and recognised as crashlab's;
 * the selector is left alone because it is immutable on a live Deployment), preceded by the
 * Namespace object with the same labels. Throws a CoreError (manifest) when an object cannot go there.
 */
export function prepareForDeploy(objects: K8sObject[], target: DeployTarget): K8sObject[] {
  const { namespace, scenarioId } = target;
  if (!DNS_LABEL.test(namespace)) throw new CoreError('manifest', `namespace "${namespace}" is not a valid name (lowercase letters, digits and '-', at most 63)`);
  if (!DNS_LABEL.test(scenarioId)) throw new CoreError('manifest', `scenario id "${scenarioId}" is not a valid label value`);
  const problems = deployProblems(objects, namespace);
  if (problems.length) {
    throw new CoreError('manifest', `cannot deploy into namespace ${namespace}: ${problems.map(formatManifestProblem).join('; ')}`);
  }
  const labels = target.labels ?? labelsFor(scenarioId);
  const namespaceObject: K8sObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...labels } } };
  const prepared = objects.map((original) => {
    const object = structuredClone(original);
    object.metadata = { ...object.metadata, namespace, labels: { ...object.metadata.labels, ...labels } };
    if (target.annotations && Object.keys(target.annotations).length) object.metadata.annotations = { ...object.metadata.annotations, ...target.annotations };
    const template = podTemplateOf(object);
    if (template) template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...labels } };
    if (template && target.images) replaceImages(template.spec, target.images);
    return object;
  });
  return target.createNamespace === false ? prepared : [namespaceObject, ...prepared];
}

/** Copies of `objects` with their pod templates' container images replaced, from → to (a not-quite-fix applied as written elsewhere). */
export function withImages(objects: K8sObject[], images: Record<string, string>): K8sObject[] {
  return objects.map((original) => {
    const object = structuredClone(original);
    replaceImages(podTemplateOf(object)?.spec, images);
    return object;
  });
}

function replaceImages(spec: unknown, images: Record<string, string>): void {
  if (!isRecord(spec)) return;
  for (const list of [spec.initContainers, spec.containers]) {
    if (!Array.isArray(list)) continue;
    for (const container of list) {
      if (isRecord(container) && typeof container.image === 'string' && Object.hasOwn(images, container.image)) container.image = images[container.image];
    }
  }
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; [key: string]: unknown };
  spec?: unknown;
}

/** spec.template of workloads (Deployment, StatefulSet, Job...), spec.jobTemplate.spec.template of a CronJob. */
function podTemplateOf(object: K8sObject): PodTemplate | undefined {
  const spec = object.spec;
  if (!isRecord(spec)) return undefined;
  if (object.kind === 'CronJob') {
    const jobSpec = isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
    return jobSpec && isRecord(jobSpec.template) ? (jobSpec.template as PodTemplate) : undefined;
  }
  return isRecord(spec.template) ? (spec.template as PodTemplate) : undefined;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A live object as a learner should see it in $EDITOR: without status and the server-owned
 * metadata that would make `kubectl apply` of the edited file conflict or fail.
 */
export function cleanForEdit<T extends { metadata: object }>(live: T): T {
  const object = structuredClone(live) as T & { status?: unknown; metadata: Record<string, unknown> };
  delete object.status;
  const metadata = object.metadata;
  for (const key of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']) delete metadata[key];
  if (isRecord(metadata.annotations)) {
    const annotations = { ...metadata.annotations };
    delete annotations[LAST_APPLIED];
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  return object;
}

/** The Deployment called `name`, if the manifest has one. */
export function findDeployment(objects: K8sObject[], name: string): Deployment | undefined {
  return findWorkload(objects, 'Deployment', name);
}

/**
 * The workload of `kind` called `name`. Deployment, StatefulSet, DaemonSet and Job all keep their
 * pods in spec.template, the only part the catalog's checks read, so one shape serves all four.
 */
export function findWorkload(objects: K8sObject[], kind: string, name: string): Deployment | undefined {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  return found as unknown as Deployment | undefined;
}

/** A container (or init container) of a Deployment's pod template. */
export function findContainer(deployment: Deployment, name: string): Container | undefined {
  const spec = deployment.spec?.template?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].find((c) => c.name === name);
}
