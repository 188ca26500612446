/**
 * `crashlab scenario new`: the files of a new scenario, complete in shape and wrong in content
 * on purpose. Every placeholder fails `crashlab validate` until it is filled in: learner text
 * says TODO (refused by the rule set), the Korean is not Korean yet, and the solution and the
 * not-quite-fix are still copies of the broken manifest (the rule set wants all three different).
 * Pure: the CLI writes the files.
 */
import type { CategoryId } from './categories.js';

export interface ScaffoldOptions {
  id: string;
  category: CategoryId;
  /** Where the JSON Schema of scenario.yaml is, for the editor's yaml-language-server. */
  schemaPath: string;
}

const todo = (what: string) => `{en: "TODO: ${what}", ko: "TODO: ${what} (in Korean)"}`;

export function scaffoldScenario({ id, category, schemaPath }: ScaffoldOptions): Record<string, string> {
  const scenario = `# yaml-language-server: $schema=${schemaPath}
# A new crashlab scenario. Every TODO fails \`crashlab validate\` until you fill it in; see
# docs/authoring.md for each field. Check with: crashlab validate <pack folder>
id: ${id}
category: ${category}
difficulty: easy
# Every image the manifests run, pinned (no :latest); \`crashlab images\` lists them for pre-loading.
images: [busybox:1.36]
order: 100
# true only if it runs as designed in a game-day team namespace (Pod Security baseline, quota).
shared: false

title: ${todo('a short title that does not give the cause away')}
summary: ${todo('one line for the picker')}
briefing:
  en: |
    TODO: the story a learner reads before starting (what the service does, what changed,
    what people see). Not the answer.
  ko: |
    TODO: the same story in Korean (합니다체; keep Kubernetes object names in English).
symptoms: ${todo('what a mystery-mode learner sees instead of the title')}

# Exactly three: a nudge, the evidence, the fix.
hints:
  - ${todo('a nudge: where to look')}
  - ${todo('the evidence: which field or log line says it')}
  - ${todo('the fix, concretely')}

debrief:
  en: |
    TODO: why it broke, why the fix is right, what a plausible wrong fix gets wrong.
  ko: |
    TODO: the same in Korean.
checklist: []

workload:
  kind: Deployment        # or StatefulSet, DaemonSet, Job
  name: ${id}
  container: app

# What the broken workload must show on a real cluster (\`crashlab prove\` checks every field).
# waitingMessage, lastTerminated.message and previousLog are JavaScript regular expressions.
expect:
  container: app
  within: 60s
  firstSymptomWithin: 15s
  podStatuses: [CrashLoopBackOff, Error]
  waitingReasons: [CrashLoopBackOff]
  lastTerminated:
    reason: Error
    exitCode: 1
  minRestarts: 2
  events: [BackOff]
  previousLog: "TODO: a line of the broken app log"

# What a fix must keep (see docs/authoring.md for each kind); each must hold on the broken
# manifest and on the solution.
guards: []

verify:
  # How long after start the broken container fails: the verify window outlasts it.
  crashWithin: 10s
  margin: 10s
`;
  const manifest = (comment: string) => `# ${id}: ${comment}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${id}
  labels:
    app: ${id}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${id}
  template:
    metadata:
      labels:
        app: ${id}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
        - name: app
          image: busybox:1.36
          command: ["sh", "-c", "echo TODO: a line of the broken app log; exit 1"]
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {memory: 32Mi}
`;
  return {
    [`scenarios/${id}/scenario.yaml`]: scenario,
    [`scenarios/${id}/manifest.yaml`]: manifest('TODO: the broken workload (one fault, nothing else wrong)'),
    [`solutions/${id}/manifest.yaml`]: manifest('TODO: the reference fix (the broken manifest with the fault removed)'),
    [`solutions/${id}/not-quite-fix.yaml`]: manifest('TODO: a plausible wrong fix that verify must reject (delete the probe, drop the limit...)'),
    [`solutions/${id}/README.md`]: `# ${id} — solution\n\n## English\n\nTODO: why it broke, why the fix is right, why the not-quite-fix is not.\n\n## 한국어\n\nTODO\n`,
  };
}
