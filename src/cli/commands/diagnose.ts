/**
 * `crashlab diagnose`: findings for a pod, from files (`--pod file|-`, as `kubectl get pod -o
 * json` prints it) or live from the cluster (`diagnose <pod> -n <ns>`). Read-only. Reading the
 * user's named input files happens here, at the CLI boundary; the engine stays pure.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { category } from '../../core/categories.js';
import { diagnose, type Confidence, type Finding } from '../../core/diagnose.js';
import type { K8sObject, KubeEvent, Pod } from '../../core/k8s.js';
import { pick, type Lang, type Text } from '../../core/text.js';
import { cells } from '../../core/width.js';
import { safeText } from '../../core/untrusted.js';
import { asShape } from '../../core/k8sSchema.js';
import { isCoreError } from '../../core/errors.js';
import type { LabFamilies } from '../../app/compose.js';
import { isWorkloadArg, parseWorkloadRef } from '../../engine/diagnose.js';
import { openLab } from '../app.js';
import { CliError, EXIT, guarded } from '../errors.js';
import { eprintln, printJson, println, type Io } from '../io.js';
import { loadPackSignaturesFrom } from '../../app/readOnly.js';
import type { CommandEnv } from '../env.js';

interface DiagnoseOpts {
  pod?: string;
  events?: string;
  logs?: string[];
  namespace?: string;
  json?: boolean;
}

interface Input {
  pods: Pod[];
  events: KubeEvent[];
  logs?: string | Record<string, string>;
  claims?: K8sObject[];
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('diagnose')
    .argument('[pod]', 'pod name, or deploy/NAME, sts/NAME, ds/NAME, job/NAME: diagnose it live from the cluster (with -n); - reads a pod JSON from stdin')
    .description('name the likely cause of a crash-looping pod, with the evidence and next steps')
    .option('--pod <file|->', 'pod JSON file (`kubectl get pod X -o json`, a Pod or a List); - reads stdin')
    .option('--events <file>', 'events JSON file (`kubectl get events -o json`)')
    .option('--logs <[container=]file>', 'previous log text (`kubectl logs X -c C --previous`); repeat with container= for several containers', collect, [])
    .option('-n, --namespace <namespace>', 'namespace of the live pod', 'default')
    .option('--json', 'print {"findings":[...]} as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  kubectl get pod web-1 -o json | crashlab diagnose -',
        '  crashlab diagnose --pod pod.json --events events.json --logs previous.log --json',
        '  crashlab diagnose --pod pod.json --logs app=app.log --logs proxy=proxy.log',
        '  crashlab diagnose web-1 -n shop',
        '  crashlab diagnose deploy/web -n shop      (every pod of the workload, identical findings grouped)',
        '',
        'Exit codes: 0 diagnosed (whatever the finding), 2 unreadable input or pod not found.',
      ].join('\n'),
    )
    .action(async (podArg: string | undefined, opts: DiagnoseOpts) => {
      const { lang, scenarioDirs } = env.globals();
      // A pack teaches diagnosis its own log lines (signatures.json), here too.
      for (const problem of await loadPackSignaturesFrom(scenarioDirs ?? [])) eprintln(env.io, `crashlab: warning: ${problem}`);
      if (podArg !== undefined && opts.pod !== undefined) {
        throw new CliError('give either a pod name (live) or --pod <file>, not both', EXIT.unable, 'crashlab diagnose <pod> -n <ns>  |  crashlab diagnose --pod <file|->');
      }
      // `kubectl get pod X -o json | crashlab diagnose -` reads like any Unix filter.
      if (podArg === '-') opts.pod = '-';
      const podName = podArg === '-' ? undefined : podArg?.replace(/^(pods?|po)\//i, '');
      let input: Input;
      if (podName !== undefined && isWorkloadArg(podName)) {
        if (opts.events !== undefined || opts.logs?.length) {
          throw new CliError('--events and --logs go with --pod <file>; a live diagnosis reads them from the cluster', EXIT.unable);
        }
        const ref = parseWorkloadRef(podName);
        if (!ref) throw new CliError(`"${podName}" is not a workload: use deploy/NAME, sts/NAME, ds/NAME, job/NAME or rs/NAME`, EXIT.unable);
        const lab = openLab(env, 'machine', 'diagnosis');
        const namespace = opts.namespace ?? 'default';
        const result = await guarded(() => lab.diagnoseWorkload(namespace, ref));
        if (result.pods.length === 0 && result.findings.length === 0) throw new CliError(`${ref.kind} ${ref.name} in namespace ${namespace} has no pods`, EXIT.unable, `kubectl --context ${lab.context} describe ${ref.kind} ${ref.name} -n ${namespace}`);
        if (opts.json) printJson(env.io, { findings: result.findings.map((f) => toJson(f, lang)) });
        else printFindings(env.io, result.findings, lang);
        env.setExit(EXIT.ok);
        return;
      }
      if (podName !== undefined) {
        if (opts.events !== undefined || opts.logs?.length) {
          throw new CliError('--events and --logs go with --pod <file>; a live diagnosis reads them from the cluster', EXIT.unable);
        }
        input = await readLive(openLab(env, 'machine', 'diagnosis'), opts.namespace ?? 'default', podName);
      } else if (opts.pod !== undefined) {
        input = await readFiles(env.io, opts);
      } else {
        throw new CliError('which pod? give a pod name (live) or --pod <file|->', EXIT.unable, 'e.g. kubectl get pod X -o json | crashlab diagnose --pod -   or   crashlab diagnose X -n NAMESPACE');
      }
      const { findings } = diagnose(input);
      if (opts.json) printJson(env.io, { findings: findings.map((f) => toJson(f, lang)) });
      else printFindings(env.io, findings, lang);
      env.setExit(EXIT.ok);
    });
}

// ---- input ----------------------------------------------------------------------------

async function readFiles(io: Io, opts: DiagnoseOpts): Promise<Input> {
  if (opts.events === '-' || opts.logs?.includes('-')) throw new CliError('only --pod can read stdin (-)', EXIT.unable);
  const podLabel = opts.pod === '-' ? 'stdin' : `--pod file "${opts.pod}"`;
  const podText = opts.pod === '-' ? await readStdin(io) : await readText(opts.pod!, '--pod');
  const pods = parsePods(podText, podLabel);
  const events = opts.events === undefined ? [] : parseEvents(await readText(opts.events, '--events'), `--events file "${opts.events}"`);
  return { pods, events, logs: await readLogs(opts.logs ?? []) };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** One plain file is every container's log; `container=file` entries are per container. */
async function readLogs(specs: string[]): Promise<string | Record<string, string> | undefined> {
  if (specs.length === 0) return undefined;
  const keyed = specs.map((spec) => /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(.+)$/.exec(spec));
  if (specs.length === 1 && !keyed[0]) return readText(specs[0], '--logs');
  const logs: Record<string, string> = {};
  for (const [i, match] of keyed.entries()) {
    if (!match) throw new CliError(`--logs "${specs[i]}": with several --logs, name each container: --logs <container>=<file>`, EXIT.unable);
    logs[match[1]] = await readText(match[3], '--logs');
  }
  return logs;
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError(`cannot read ${flag} file "${path}": ${why}`, EXIT.unable);
  }
}

async function readStdin(io: Io): Promise<string> {
  if (io.stdin.isTTY) throw new CliError('--pod - reads stdin, but stdin is a terminal', EXIT.unable, 'Pipe the pod in: kubectl get pod X -o json | crashlab diagnose --pod -');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** `produce`: the kubectl command that prints what this input should hold. */
function parseJson(text: string, label: string, produce: string): unknown {
  if (text.trim() === '') throw new CliError(`${label} is empty`, EXIT.unable);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${label} is not valid JSON (${(error as Error).message})`, EXIT.unable, `Produce it with \`${produce}\` (YAML is not accepted).`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPod(value: unknown): value is Pod {
  if (!isRecord(value) || (value.kind !== undefined && value.kind !== 'Pod')) return false;
  const meta = value.metadata;
  const spec = value.spec;
  return isRecord(meta) && typeof meta.name === 'string' && isRecord(spec) && Array.isArray(spec.containers);
}

/** A Pod, or a List/PodList of them (`kubectl get pods -o json`). */
export function parsePods(text: string, label: string): Pod[] {
  const value = parseJson(text, label, 'kubectl get pod X -o json');
  const items = isRecord(value) && Array.isArray(value.items) ? value.items : Array.isArray(value) ? value : [value];
  const kind = isRecord(value) && typeof value.kind === 'string' ? value.kind : Array.isArray(value) ? 'array' : typeof value;
  if (items.length === 0) throw new CliError(`${label} holds no pods (an empty ${kind})`, EXIT.unable);
  const bad = items.findIndex((item) => !isPod(item));
  if (bad !== -1) {
    const item = items[bad];
    const hint = 'Produce it with `kubectl get pod X -o json` or `kubectl get pods -o json`.';
    const where = items.length > 1 || item !== value ? ` (item ${bad})` : '';
    // A Pod that lacks a part is called a Pod, with the part it lacks.
    if (isRecord(item) && (item.kind === 'Pod' || (item.kind === undefined && isRecord(item.metadata)))) {
      const missing = !isRecord(item.metadata) || typeof item.metadata.name !== 'string' ? 'metadata.name' : !isRecord(item.spec) ? 'spec' : 'spec.containers';
      throw new CliError(`${label}${where}: the Pod has no ${missing}, so it cannot be diagnosed`, EXIT.unable, hint);
    }
    const what = isRecord(item) && typeof item.kind === 'string' ? `kind ${item.kind}` : 'no Pod metadata/spec';
    throw new CliError(`${label} is not a Pod or a List of Pods${where ? ` (item ${bad}: ${what})` : ` (${what})`}`, EXIT.unable, hint);
  }
  // Every field the diagnosis reads has its type (`containerStatuses: [null, 5]` is named here).
  return items.map((item, i) => {
    try {
      return asShape('pod', item);
    } catch (error) {
      if (!isCoreError(error, 'shape')) throw error;
      throw new CliError(`${label}${items.length > 1 ? ` (item ${i})` : ''} is ${error.message}`, EXIT.unable, 'Produce it with `kubectl get pod X -o json` or `kubectl get pods -o json`.');
    }
  });
}

function isEvent(value: unknown): value is KubeEvent {
  return isRecord(value) && (value.kind === undefined || value.kind === 'Event') && isRecord(value.involvedObject) && isRecord(value.metadata);
}

/** An EventList/List, an array of Events or one Event (`kubectl get events -o json`). */
export function parseEvents(text: string, label: string): KubeEvent[] {
  const value = parseJson(text, label, 'kubectl get events -o json');
  const items = isRecord(value) && Array.isArray(value.items) ? value.items : Array.isArray(value) ? value : [value];
  const bad = items.findIndex((item) => !isEvent(item));
  if (bad !== -1) {
    throw new CliError(`${label} is not a List of Events (item ${bad} has no involvedObject)`, EXIT.unable, 'Produce it with `kubectl get events -o json` (add --field-selector involvedObject.name=POD to narrow it).');
  }
  return items.map((item, i) => {
    try {
      return asShape('event', item);
    } catch (error) {
      if (!isCoreError(error, 'shape')) throw error;
      throw new CliError(`${label} (item ${i}) is ${error.message}`, EXIT.unable, 'Produce it with `kubectl get events -o json`.');
    }
  });
}

async function readLive(lab: LabFamilies<'machine' | 'diagnosis'>, namespace: string, name: string): Promise<Input> {
  const live = await lab.gatherPod(namespace, name);
  if (!live) throw new CliError(`pod "${name}" not found in namespace "${namespace}" (context ${lab.context})`, EXIT.unable, `List pods with: kubectl --context ${lab.context} get pods -n ${namespace}`);
  return { pods: [live.pod], events: live.events, logs: live.logs, claims: live.claims };
}

// ---- output ---------------------------------------------------------------------------

function toJson(f: Finding, lang: Lang) {
  return {
    pod: f.pod,
    namespace: f.namespace,
    container: f.container,
    category: f.category,
    title: pick(category(f.category).title, lang),
    confidence: f.confidence,
    severity: f.severity,
    summary: pick(f.summary, lang),
    evidence: f.evidence,
    nextSteps: f.nextSteps.map((s) => pick(s, lang)),
    ...(f.guideNote ? { guideNote: pick(f.guideNote, lang) } : {}),
  };
}

const LABELS = {
  confidence: { high: { en: 'high confidence', ko: '신뢰도 높음' }, medium: { en: 'medium confidence', ko: '신뢰도 중간' }, low: { en: 'low confidence', ko: '신뢰도 낮음' } } satisfies Record<Confidence, Text>,
  evidence: { en: 'Evidence:', ko: '증거:' },
  next: { en: 'Next steps:', ko: '다음 단계:' },
  guide: { en: 'Guide note:', ko: '가이드 주의:' },
  pod: { en: '(pod)', ko: '(파드)' },
};

const WIDTH = 80;

/** One block per finding, wrapped to 80 terminal columns (Hangul counts two). */
export function printFindings(io: Io, findings: Finding[], lang: Lang): void {
  const out: string[] = [];
  // A loop, not push(...lines): spreading a huge array into arguments overflows the call stack.
  const add = (lines: string[]) => {
    for (const line of lines) out.push(line);
  };
  findings.forEach((f, i) => {
    if (i > 0) out.push('');
    // A controller finding names its object (ReplicaSet/api-7d9f): no pod exists to name.
    const where = f.container ? `${f.pod} / ${f.container}` : f.pod.includes('/') ? f.pod : `${f.pod} ${pick(LABELS.pod, lang)}`;
    add(wrap(`${f.namespace ? `${f.namespace}: ` : ''}${where}`, '', '  '));
    add(wrap(`${f.category} — ${pick(category(f.category).title, lang)} (${pick(LABELS.confidence[f.confidence], lang)})`, '  ', '  '));
    add(wrap(pick(f.summary, lang), '  ', '  '));
    out.push(`  ${pick(LABELS.evidence, lang)}`);
    for (const line of f.evidence) add(wrap(safeText(line, { multiline: false }), '    - ', '      '));
    out.push(`  ${pick(LABELS.next, lang)}`);
    f.nextSteps.forEach((step, n) => add(wrap(pick(step, lang), `    ${n + 1}. `, '       ')));
    if (f.guideNote) {
      out.push(`  ${pick(LABELS.guide, lang)}`);
      add(wrap(pick(f.guideNote, lang), '    ', '    '));
    }
  });
  for (const line of out) println(io, line);
}

/** Terminal columns (string-width: Hangul and CJK take two). */
export function displayWidth(text: string): number {
  return cells(text);
}

/** Word-wraps `text` after `first` (then `rest`) indentation; over-long words are split. */
export function wrap(text: string, first: string, rest: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let indent = first;
  let line = '';
  const flush = () => {
    lines.push(indent + line);
    indent = rest;
    line = '';
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const room = () => width - displayWidth(indent);
    const candidate = line ? `${line} ${word}` : word;
    if (displayWidth(candidate) <= room()) {
      line = candidate;
      continue;
    }
    // A word longer than a whole line is split where it stands; a shorter one moves to the next line.
    const tooLongForAnyLine = displayWidth(word) > width - displayWidth(rest);
    let remaining = word;
    if (line && tooLongForAnyLine && room() - displayWidth(line) > 8) {
      line += ' ';
    } else if (line) {
      flush();
    }
    while (displayWidth(remaining) > room()) {
      let cut = '';
      for (const ch of remaining) {
        if (displayWidth(line + cut + ch) > room()) break;
        cut += ch;
      }
      line += cut;
      flush();
      remaining = remaining.slice(cut.length);
    }
    line = remaining;
  }
  if (line || lines.length === 0) flush();
  return lines;
}
