/**
 * The screens of the lab. Views only: they render the state the root component hands them
 * and never call services or read keys.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { ProgressBar, Spinner } from '@inkjs/ui';
import { category as categoryOf, type Category, type CategoryId } from '../core/categories.js';
import type { KubeEvent, Pod } from '../core/k8s.js';
import { eventTime } from '../core/k8s.js';
import type { RestartHistory } from '../core/podStatus.js';
import type { Scenario } from '../core/scenario.js';
import { pick, type Lang } from '../core/text.js';
import type { Progress } from '../ports/store.js';
import { ErrorBox, Pane, Para, PodPanel, Rows, Timeline, currentPod, diffColor } from './components.js';
import { labSeconds, score, firstDiagnosisCorrect, type FlowState, type LabProgress } from './flow.js';
import { HELP_KEYS, formatDuration, t } from './i18n.js';
import { cells, clamp, truncate, windowStart, wrap, wrapWords } from './layout.js';
import type { ClusterInfo, Debrief, Diagnosis, LabRoutineStep, PreflightResult } from './services.js';
import type { Problem } from './problem.js';

// ---------------------------------------------------------------- state shapes

export interface ClusterState {
  phase: 'idle' | 'confirm' | 'working' | 'ready' | 'cancelled' | 'failed' | 'deleting' | 'deleted';
  lines: string[];
  startedMs: number;
  question?: string;
  info?: ClusterInfo;
  error?: Problem;
}

export interface StepRun {
  running: boolean;
  output?: string;
  exitCode?: number;
  error?: Problem;
}

export interface LabData {
  pods: Pod[];
  history: RestartHistory;
  cursor: number;
  pane: 'routine' | 'output';
  outputs: Record<string, StepRun>;
  outputOffset: number;
  /** Columns scrolled sideways in the output pane. */
  outputShift: number;
  /** The step whose command was last put on the clipboard. */
  copied?: string;
  events: KubeEvent[];
  previousLog: string;
  watchError?: Problem;
}

export interface DiagnoseState {
  cursor: number;
  checking: boolean;
  result?: { picked: CategoryId; correct: boolean; diagnosis: Diagnosis };
  error?: Problem;
}

export interface FixMessage {
  kind: 'ok' | 'info' | 'rejected' | 'error';
  text: string;
  hint?: string;
  lines?: string[];
}

export interface DebriefState {
  offset: number;
  saved: boolean;
  saveError?: Problem;
  data?: Debrief;
  error?: Problem;
  resetDone?: string;
}

// ---------------------------------------------------------------- frame

export function Frame({
  lang,
  flow,
  scenario,
  mystery,
  now,
  width,
  height,
  keys,
  quitQuestion,
  solveQuestion,
  children,
}: {
  lang: Lang;
  flow: FlowState;
  scenario?: Scenario;
  mystery: boolean;
  now: number;
  width: number;
  height: number;
  keys: string;
  quitQuestion: boolean;
  solveQuestion: boolean;
  children: React.ReactNode;
}) {
  const parts = [`${t(lang, 'appName')}`, t(lang, `screen.${flow.screen}`)];
  if (scenario && flow.lab) {
    parts.push(mystery && flow.screen !== 'debrief' ? '???' : pick(scenario.title, lang));
    parts.push(flow.lab.namespace);
  }
  // Minutes only: the header must not need a redraw every second.
  const minutes = flow.lab ? Math.floor(labSeconds(flow.lab, now) / 60) : 0;
  const right = flow.lab ? `${minutes < 1 ? '<1m' : `${minutes}m`} · ${t(lang, 'lab.hints')} ${flow.lab.hintsShown}/${flow.lab.hintCount}` : '';
  const left = ` ${parts.join(' › ')}`;
  const room = Math.max(0, width - cells(right) - 2);
  const header = `${pad(truncate(left, room), room)} ${right} `;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text inverse bold wrap="truncate-end">
        {truncate(header, width)}
      </Text>
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {/* Screens keep their natural height and are clipped here: a squeezed column would
            make Yoga draw rows on top of each other. */}
        <Box flexDirection="column" flexShrink={0}>
          {children}
        </Box>
      </Box>
      {quitQuestion ? (
        <Text color="yellow" bold wrap="truncate-end">
          {t(lang, 'quit.question')} [y/n]
        </Text>
      ) : null}
      {solveQuestion ? (
        <Text color="yellow" bold wrap="truncate-end">
          {t(lang, 'fix.solveQuestion')} [y/n]
        </Text>
      ) : null}
      <Text dimColor wrap="truncate-end">
        {truncate(` ${keys}`, width)}
      </Text>
    </Box>
  );
}

export function HelpOverlay({ lang }: { lang: Lang }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={2} alignSelf="center" marginTop={1}>
      <Text bold color="cyan">
        {t(lang, 'help.title')}
      </Text>
      {HELP_KEYS.map((k) => (
        <Text key={k.keys} wrap="truncate-end">
          <Text bold>{k.keys.padEnd(12)}</Text>
          {pick(k.what, lang)}
        </Text>
      ))}
    </Box>
  );
}

// ---------------------------------------------------------------- preflight

export function PreflightScreen({ lang, running, results, error }: { lang: Lang; running: boolean; results: PreflightResult[]; error?: Problem }) {
  const failed = results.some((r) => r.status === 'fail');
  return (
    <Box flexDirection="column" paddingX={1} paddingTop={1}>
      {results.map((r) => (
        <Box key={r.id} flexDirection="column" marginBottom={r.status === 'fail' ? 1 : 0}>
          <Text wrap="truncate-end">
            <Text color={r.status === 'ok' ? 'green' : r.status === 'warn' ? 'yellow' : 'red'} bold>
              {r.status === 'ok' ? '✓' : r.status === 'warn' ? '!' : '✗'}
            </Text>{' '}
            <Text bold>{pick(r.title, lang)}</Text>
            {r.status === 'ok' ? <Text dimColor> · {r.detail}</Text> : null}
          </Text>
          {r.status !== 'ok' ? (
            <Box paddingLeft={2} flexDirection="column">
              <Text wrap="wrap" color={r.status === 'fail' ? 'red' : 'yellow'}>
                {r.detail}
              </Text>
              {r.fix ? (
                <Text wrap="wrap">
                  <Text bold>{t(lang, 'preflight.fix')}:</Text> {pick(r.fix, lang)}
                </Text>
              ) : null}
            </Box>
          ) : null}
        </Box>
      ))}
      {running ? <Spinner label={' ' + t(lang, 'preflight.running')} /> : null}
      {error ? <ErrorBox lang={lang} message={error.message} hint={error.hint} /> : null}
      {!running && !error ? (
        <Text color={failed ? 'red' : 'green'} bold>
          {failed ? t(lang, 'preflight.failed') : t(lang, 'preflight.allOk')}
        </Text>
      ) : null}
    </Box>
  );
}

// ---------------------------------------------------------------- cluster

export function ClusterScreen({ lang, cluster, context, now, height }: { lang: Lang; cluster: ClusterState; context: string; now: number; height: number }) {
  const elapsed = formatDuration((now - cluster.startedMs) / 1000);
  const logRows = Math.max(1, height - 6);
  return (
    <Box flexDirection="column" paddingX={1} paddingTop={1}>
      {cluster.phase === 'confirm' ? (
        <Text color="yellow" wrap="wrap">
          {cluster.question}
        </Text>
      ) : null}
      {cluster.phase === 'working' ? <Spinner label={` ${t(lang, 'cluster.working', { context })} ${elapsed}`} /> : null}
      {cluster.phase === 'deleting' ? <Spinner label={' ' + t(lang, 'cluster.deleting')} /> : null}
      {cluster.phase === 'ready' && cluster.info ? (
        <Text color="green">✓ {t(lang, cluster.info.created ? 'cluster.created' : 'cluster.reused', { context: cluster.info.context })}</Text>
      ) : null}
      {cluster.phase === 'cancelled' ? <Text color="yellow" wrap="wrap">{t(lang, 'cluster.cancelled')}</Text> : null}
      {cluster.phase === 'deleted' ? <Text color="green">{t(lang, 'cluster.deleted')}</Text> : null}
      {cluster.phase === 'failed' && cluster.error ? (
        <>
          <Text bold>{t(lang, 'cluster.failed')}</Text>
          <ErrorBox lang={lang} message={cluster.error.message} hint={cluster.error.hint} />
        </>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        {cluster.lines.slice(-logRows).map((line, i) => (
          <Text key={i} dimColor wrap="truncate-end">
            {line}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

// ---------------------------------------------------------------- picker

export interface VisibleScenario {
  scenario: Scenario;
  label: string;
}

export function visibleScenarios(scenarios: Scenario[], filter: string, mystery: boolean, lang: Lang): VisibleScenario[] {
  const needle = filter.trim().toLowerCase();
  return scenarios
    .map((s) => ({ scenario: s, label: mystery ? pick(s.symptoms, lang) : pick(s.title, lang) }))
    .filter(({ scenario: s, label }) => {
      if (!needle) return true;
      // In mystery mode the filter only sees what is shown, so it cannot leak the cause.
      const haystack = mystery ? [label, s.difficulty] : [label, s.id, s.category, pick(categoryOf(s.category).title, lang), s.difficulty, pick(s.summary, lang)];
      return haystack.some((h) => h.toLowerCase().includes(needle));
    });
}

export function PickerScreen({
  lang,
  scenarios,
  visible,
  progress,
  cursor,
  filter,
  filtering,
  mystery,
  starting,
  problem,
  width,
  height,
}: {
  lang: Lang;
  scenarios?: Scenario[];
  visible: VisibleScenario[];
  progress?: Progress;
  cursor: number;
  filter: string;
  filtering: boolean;
  mystery: boolean;
  starting?: { id: string; lines: string[]; error?: Problem };
  problem?: Problem;
  width: number;
  height: number;
}) {
  if (!scenarios) {
    return problem ? (
      <Box paddingX={1} paddingTop={1}>
        <ErrorBox lang={lang} message={problem.message} hint={problem.hint} width={width - 2} />
      </Box>
    ) : (
      <Spinner label={' ' + t(lang, 'working')} />
    );
  }
  const selected = visible[cursor];
  const allDetail = selected ? wrapWords(mystery ? pick(selected.scenario.symptoms, lang) : `${pick(selected.scenario.summary, lang)} ${pick(selected.scenario.briefing, lang)}`, width - 4) : [];
  const detailRows = allDetail.length > 3 ? [...allDetail.slice(0, 2), truncate(`${allDetail[2]} ${allDetail[3]}`, width - 4)] : allDetail;
  const listHeight = Math.max(3, height - 4 - detailRows.length - (starting ? 3 : 0));
  const start = windowStart(cursor, visible.length, listHeight);
  // Mystery mode hides the category (it is the answer), so the symptoms get its room.
  const catWidth = mystery ? 0 : width >= 120 ? 34 : 22;
  const bestWidth = 8;
  const diffWidth = 8;
  const titleWidth = Math.min(56, Math.max(12, width - 6 - catWidth - diffWidth - bestWidth - 4));
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text wrap="truncate-end">
        <Text bold>{t(lang, 'picker.title')}</Text>
        {mystery ? <Text color="magenta"> · {t(lang, 'picker.mystery')}</Text> : null}
        {filter || filtering ? (
          <Text color="cyan">
            {' '}
            · {t(lang, 'picker.filter')}: {filter}
            {filtering ? '▏' : ''}
          </Text>
        ) : null}
      </Text>
      <Box flexDirection="column" height={listHeight} overflow="hidden">
        {visible.length === 0 ? <Text dimColor>{scenarios.length ? t(lang, 'picker.none') : t(lang, 'picker.empty')}</Text> : null}
        {visible.slice(start, start + listHeight).map((v, i) => {
          const index = start + i;
          const p = progress?.scenarios[v.scenario.id];
          const done = p?.completed ? (p.solvedWithHelp ? '◐' : '✓') : ' ';
          const cat = pick(categoryOf(v.scenario.category).title, lang);
          const best = p?.bestSeconds !== undefined ? formatDuration(p.bestSeconds) : '';
          const isSel = index === cursor;
          return (
            <Text key={v.scenario.id} inverse={isSel} wrap="truncate-end">
              {isSel ? '›' : ' '}
              <Text color={p?.completed ? 'green' : undefined}>{done}</Text> {pad(truncate(v.label, titleWidth), titleWidth)}{' '}
              {mystery ? null : (
                <>
                  <Text dimColor={!isSel}>{pad(truncate(cat, catWidth), catWidth)}</Text>{' '}
                </>
              )}
              <Text color={difficultyColor(v.scenario.difficulty)}>{pad(t(lang, `difficulty.${v.scenario.difficulty}`), diffWidth)}</Text>
              {best ? `${t(lang, 'picker.best')} ${best}` : ''}
            </Text>
          );
        })}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {detailRows.map((row, i) => (
          <Text key={i} color={mystery ? 'magenta' : undefined} wrap="truncate-end">
            {row}
          </Text>
        ))}
      </Box>
      {problem ? <ErrorBox lang={lang} message={problem.message} hint={problem.hint} width={width - 2} /> : null}
      {starting ? (
        <Box flexDirection="column" marginTop={1}>
          {starting.error ? (
            <ErrorBox lang={lang} message={starting.error.message} hint={starting.error.hint} />
          ) : (
            <Spinner label={' ' + t(lang, 'picker.starting', { id: starting.id })} />
          )}
          {starting.lines.slice(-2).map((line, i) => (
            <Text key={i} dimColor wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - cells(text)));
}

function difficultyColor(d: string): string {
  return d === 'easy' ? 'green' : d === 'medium' ? 'yellow' : 'red';
}

// ---------------------------------------------------------------- lab

export interface LabLayout {
  wide: boolean;
  hintRows: string[];
  bannerRows: number;
  paneHeight: number;
  /** Rows of content inside the panes (borders and title excluded). */
  outputHeight: number;
  routineWidth: number;
  sideWidth: number;
  outputWidth: number;
  columns: number;
}

export function labLayout({ columns, height, hint, banner }: { columns: number; height: number; hint?: string; banner: boolean }): LabLayout {
  const wide = columns >= 140;
  const hintRows = hint ? wrapWords(hint, columns - 4).slice(0, wide ? 3 : 2) : [];
  const bannerRows = banner ? 2 : 0;
  // header + footer + pod panel (2) + timeline (2)
  const paneHeight = Math.max(6, height - 6 - hintRows.length - bannerRows);
  const routineWidth = wide ? 44 : clamp(Math.floor(columns * 0.4), 28, 40);
  const sideWidth = wide ? Math.floor(columns * 0.3) : 0;
  const outputWidth = Math.max(10, columns - routineWidth - sideWidth - 4);
  return { wide, hintRows, bannerRows, paneHeight, outputHeight: paneHeight - 3, routineWidth, sideWidth, outputWidth, columns };
}

export function LabScreen({
  lang,
  lab,
  scenario,
  data,
  steps,
  layout,
  now,
  problem,
}: {
  lang: Lang;
  lab: LabProgress;
  scenario: Scenario;
  data: LabData;
  steps: LabRoutineStep[];
  layout: LabLayout;
  now: number;
  problem?: Problem;
}) {
  const cursor = clamp(data.cursor, 0, Math.max(0, steps.length - 1));
  const step = steps[cursor];
  const rows = step ? outputRows(step, data.outputs[step.id], layout.outputWidth, lang, data.copied === step.id) : wrap(t(lang, 'lab.noPod'), layout.outputWidth);
  // The command's rows come first, up to the blank (or "copied") line after them.
  const commandRows = step ? rows.findIndex((row) => row === '' || row.startsWith('(')) : 0;
  const offset = clamp(data.outputOffset, 0, Math.max(0, rows.length - layout.outputHeight));
  const listRows = layout.paneHeight - 3;
  const whyRows = step ? wrapWords(pick(step.why, lang), layout.routineWidth - 4) : [];
  const pod = currentPod(data.pods);
  const scrollInfo =
    (rows.length > layout.outputHeight ? ` ${offset + 1}-${Math.min(rows.length, offset + layout.outputHeight)}/${rows.length}` : '') +
    (data.outputShift > 0 ? ` ←${data.outputShift}` : widest(rows) > layout.outputWidth ? ' →' : '');
  return (
    <Box flexDirection="column">
      <Box paddingX={1} flexDirection="column">
        <PodPanel pods={data.pods} now={now} lang={lang} container={scenario.expect.container} width={layout.columns - 2} />
        <Timeline history={data.history} pod={pod?.metadata.name} startMs={lab.startedAt} now={now} width={layout.columns - 2} lang={lang} />
      </Box>
      {layout.hintRows.length ? (
        <Box paddingX={1} flexDirection="column">
          {layout.hintRows.map((row, i) => (
            <Text key={i} color="magenta" wrap="truncate-end">
              {i === 0 ? `» ${t(lang, 'lab.hint', { n: lab.hintsShown, total: lab.hintCount })}: ${row}` : `  ${row}`}
            </Text>
          ))}
        </Box>
      ) : null}
      {problem ? (
        <Box paddingX={1} height={2} flexDirection="column">
          <Text color="red" wrap="truncate-end">
            ✗ {problem.message}
          </Text>
          <Text wrap="truncate-end">{problem.hint ?? ''}</Text>
        </Box>
      ) : null}
      <Box height={layout.paneHeight}>
        <Pane title={t(lang, 'lab.routine')} focused={data.pane === 'routine'} width={layout.routineWidth} height={layout.paneHeight}>
          {steps.slice(0, listRows).map((s, i) => {
            const done = lab.stepsRun.includes(s.id);
            return (
              <Text key={s.id} inverse={i === cursor} wrap="truncate-end">
                {/* The marker keeps the selection visible without colour or inverse (NO_COLOR). */}
                {i === cursor ? '›' : ' '}
                <Text color={done ? 'green' : undefined}>{done ? '✓' : '·'}</Text> {i + 1} {pick(s.title, lang)}
                {s.interactive ? ' ⧉' : ''}
              </Text>
            );
          })}
          {listRows - steps.length > 1 ? <Rows rows={['', ...whyRows]} offset={0} height={listRows - steps.length} color={() => 'gray'} /> : null}
        </Pane>
        <Pane title={`${t(lang, 'lab.output')}${scrollInfo}`} focused={data.pane === 'output'} height={layout.paneHeight}>
          <Rows rows={rows} offset={offset} shift={data.outputShift} shiftable={(i) => i > commandRows && i < rows.length - 1} height={layout.outputHeight} color={(_row, index) => (index < commandRows ? 'cyan' : undefined)} />
        </Pane>
        {layout.wide ? (
          <Box flexDirection="column" width={layout.sideWidth} height={layout.paneHeight}>
            <Pane title={t(lang, 'lab.events')} width={layout.sideWidth} height={Math.ceil(layout.paneHeight / 2)}>
              <Rows rows={tail(eventRows(data.events, layout.sideWidth - 4, now, lang), Math.ceil(layout.paneHeight / 2) - 3)} offset={0} height={Math.ceil(layout.paneHeight / 2) - 3} color={(row) => (row.includes('Warning') ? 'yellow' : undefined)} />
            </Pane>
            <Pane title={t(lang, 'lab.previousLogs')} width={layout.sideWidth} height={Math.floor(layout.paneHeight / 2)}>
              <Rows rows={tail(data.previousLog ? wrap(data.previousLog.replace(/\n+$/, ''), layout.sideWidth - 4) : [t(lang, 'lab.noLogs')], Math.floor(layout.paneHeight / 2) - 3)} offset={0} height={Math.floor(layout.paneHeight / 2) - 3} />
            </Pane>
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}

/** The output pane's rows for a step: the command first (copyable), then what it printed. */
export function outputRows(step: LabRoutineStep, run: StepRun | undefined, width: number, lang: Lang, copied = false): string[] {
  // Wrapped at spaces so names stay whole; `y` copies the exact line.
  const rows = wrapWords(`$ ${step.command}`, width - 2).map((row, i) => (i === 0 ? row : `  ${row}`));
  rows.push(copied ? `(${t(lang, 'lab.copied')})` : '');
  if (step.interactive) return [...rows, ...wrapWords(t(lang, 'lab.interactive'), width)];
  if (!run) return [...rows, ...wrapWords(t(lang, 'lab.outputEmpty'), width)];
  if (run.running) return [...rows, t(lang, 'lab.running')];
  if (run.error) return [...rows, ...wrapWords(`✗ ${run.error.message}`, width), ...(run.error.hint ? wrapWords(run.error.hint, width) : [])];
  // kubectl tables stay tables: long lines are scrolled sideways (← →), not wrapped.
  const out = (run.output ?? '').replace(/\r/g, '').replace(/\t/g, '    ').replace(/\n+$/, '');
  return [...rows, ...(out ? out.split('\n') : ['(no output)']), '', `[${t(lang, 'lab.exit', { code: run.exitCode ?? 0 })}]`];
}

/** The widest row, so the pane knows how far it can scroll sideways. */
export function widest(rows: string[]): number {
  return rows.reduce((max, row) => Math.max(max, cells(row)), 0);
}

function tail<T>(items: T[], n: number): T[] {
  return n > 0 ? items.slice(-n) : [];
}

/** Newest last, as `kubectl get events --sort-by=.lastTimestamp` shows them; the last ones that fit. */
function eventRows(events: KubeEvent[], width: number, now: number, lang: Lang): string[] {
  if (!events.length) return [t(lang, 'lab.noEvents')];
  const rows: string[] = [];
  for (const e of events) {
    const at = eventTime(e);
    const age = at ? formatDuration((now - Date.parse(at)) / 1000) : '?';
    const count = e.count && e.count > 1 ? ` x${e.count}` : '';
    rows.push(...wrapWords(`${age} ${e.type ?? ''} ${e.reason ?? ''}${count}: ${e.message ?? ''}`, width));
  }
  return tail(rows, 200);
}

// ---------------------------------------------------------------- diagnose

export function DiagnoseScreen({ lang, state, choices, width, height }: { lang: Lang; state: DiagnoseState; choices: Category[]; width: number; height: number }) {
  const listWidth = clamp(Math.floor(width * 0.45), 30, 50);
  const listHeight = Math.max(3, height - 1);
  const start = windowStart(state.cursor, choices.length, listHeight);
  const selected = choices[state.cursor];
  // Once answered, the result takes the whole width: the evidence is what matters now.
  const detailWidth = state.result ? width - 2 : width - listWidth - 4;
  const result = state.result;
  const evidence = result ? bestEvidence(result.diagnosis, result.picked, result.correct) : [];
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold wrap="truncate-end">
        {t(lang, 'diagnose.title')}
      </Text>
      <Box>
        <Box flexDirection="column" width={state.result ? 0 : listWidth} height={listHeight} overflow="hidden" display={state.result ? 'none' : 'flex'}>
          {choices.slice(start, start + listHeight).map((c, i) => {
            const index = start + i;
            return (
              <Text key={c.id} inverse={index === state.cursor} wrap="truncate-end">
                {index === state.cursor ? '›' : ' '}
                {c.guideNumber ? String(c.guideNumber).padStart(2) : ' +'} {pick(c.title, lang)}
              </Text>
            );
          })}
        </Box>
        <Box flexDirection="column" width={detailWidth} paddingLeft={state.result ? 0 : 2}>
          {selected && !result ? (
            <>
              <Para text={pick(selected.title, lang)} width={detailWidth - 2} bold />
              <Para text={pick(selected.symptom, lang)} width={detailWidth - 2} dim />
            </>
          ) : null}
          {state.checking ? <Spinner label={' ' + t(lang, 'diagnose.checking')} /> : null}
          {state.error ? <ErrorBox lang={lang} message={state.error.message} hint={state.error.hint} width={detailWidth - 2} /> : null}
          {result ? (
            <>
              <Para
                text={t(lang, result.correct ? 'diagnose.right' : 'diagnose.wrong', { cat: pick(categoryOf(result.picked).title, lang) })}
                prefix={result.correct ? '✓ ' : '✗ '}
                width={detailWidth - 2}
                bold
                color={result.correct ? 'green' : 'red'}
              />
              {!result.correct ? <Para text={t(lang, 'diagnose.pointsTo')} width={detailWidth - 2} /> : null}
              <Text bold>{t(lang, 'diagnose.evidence')}:</Text>
              {evidence.map((line, i) => (
                <Para key={i} text={line} prefix="• " width={detailWidth - 2} maxRows={4} />
              ))}
              {result.correct
                ? categoryOf(result.picked).nextSteps.map((step, i) => <Para key={`n${i}`} text={pick(step, lang)} prefix="→ " width={detailWidth - 2} color="cyan" />)
                : null}
            </>
          ) : null}
        </Box>
      </Box>
    </Box>
  );
}

/** The evidence for the scenario's cause when the pick was right, else the strongest finding's. */
function bestEvidence(diagnosis: Diagnosis, picked: CategoryId, correct: boolean): string[] {
  const finding = (correct ? diagnosis.findings.find((f) => f.category === picked) : undefined) ?? diagnosis.findings[0];
  return finding ? finding.evidence : [];
}

// ---------------------------------------------------------------- fix

export function FixScreen({
  lang,
  scenario,
  lab,
  data,
  now,
  width,
  busy,
  message,
  command,
}: {
  lang: Lang;
  scenario: Scenario;
  lab: LabProgress;
  data: LabData;
  now: number;
  width: number;
  busy?: string;
  message?: FixMessage;
  command: (args: string[]) => string;
}) {
  const ns = lab.namespace;
  const dep = scenario.workload.deployment;
  const commands = [
    command(['edit', `deployment/${dep}`, '-n', ns]),
    command(['apply', '-n', ns, '-f', 'fixed.yaml']),
    command(['patch', `deployment/${dep}`, '-n', ns, '--patch-file', 'patch.yaml']),
  ];
  const pod = currentPod(data.pods);
  return (
    <Box flexDirection="column" paddingX={1}>
      <PodPanel pods={data.pods} now={now} lang={lang} container={scenario.expect.container} width={width - 2} />
      <Timeline history={data.history} pod={pod?.metadata.name} startMs={lab.startedAt} now={now} width={width - 2} lang={lang} />
      <Text bold>{t(lang, 'fix.title')}</Text>
      <Para text={t(lang, 'fix.intro')} width={width - 2} />
      {commands.map((c) => (
        <Para key={c} text={c} prefix="  " color="cyan" width={width - 2} />
      ))}
      <Para text={t(lang, 'fix.editHere')} width={width - 2} />
      {lab.solvedWithHelp ? <Text color="yellow">◐ {t(lang, 'debrief.helped')}</Text> : null}
      <Box flexDirection="column" marginTop={1}>
        {busy ? <Spinner label={` ${busy}`} /> : null}
        {message?.kind === 'ok' ? (
          <>
            <Para text={message.text} prefix="✓ " color="green" width={width - 2} />
            {message.lines?.map((l) => (
              <Text key={l} dimColor wrap="truncate-end">
                {'  '}
                {l}
              </Text>
            ))}
          </>
        ) : null}
        {message?.kind === 'info' ? <Para text={message.text} width={width - 2} /> : null}
        {message?.kind === 'rejected' ? (
          <>
            <Text color="red" bold>
              ✗ {t(lang, 'fix.rejected')}
            </Text>
            {message.text
              .split('\n')
              .filter(Boolean)
              .slice(0, 6)
              .map((l, i) => (
                <Para key={i} text={l} prefix="  " color="red" width={width - 2} maxRows={3} />
              ))}
            <Para text={t(lang, 'fix.rejectedNext')} width={width - 2} />
          </>
        ) : null}
        {message?.kind === 'error' ? <ErrorBox lang={lang} message={message.text} hint={message.hint} width={width - 2} /> : null}
      </Box>
    </Box>
  );
}

// ---------------------------------------------------------------- verify

export function VerifyScreen({ lang, lab, data, scenario, now, width, height }: { lang: Lang; lab: LabProgress; data: LabData; scenario: Scenario; now: number; width: number; height: number }) {
  const progress = lab.verifyProgress;
  const verdict = lab.verdict;
  const barWidth = Math.min(60, width - 4);
  // The engine may repeat a failed guard as evidence; say each thing once.
  const said = new Set([verdict?.summary, ...(verdict?.guards ?? []).filter((g) => !g.ok).map((g) => g.detail)]);
  const evidence = (verdict?.evidence ?? []).filter((e) => !said.has(e) && !verdict?.summary.includes(e));
  return (
    <Box flexDirection="column" paddingX={1}>
      <PodPanel pods={data.pods} now={now} lang={lang} container={scenario.expect.container} width={width - 2} />
      <Text bold>{t(lang, 'verify.title')}</Text>
      {lab.verifying ? (
        <Box flexDirection="column">
          {!progress || progress.phase === 'waiting-for-rollout' ? (
            <>
              <Spinner label={` ${t(lang, 'verify.rollout', { s: formatDuration(progress?.phase === 'waiting-for-rollout' ? progress.elapsedSeconds : 0) })}`} />
              {progress?.phase === 'waiting-for-rollout' && progress.message ? <Para text={progress.message} width={width - 2} dim maxRows={3} /> : null}
            </>
          ) : null}
          {progress?.phase === 'watching' ? (
            <>
              <Text>{t(lang, 'verify.watching', { s: formatDuration(progress.remainingSeconds), w: formatDuration(progress.windowSeconds) })}</Text>
              <Box width={barWidth}>
                <ProgressBar value={Math.round(((progress.windowSeconds - progress.remainingSeconds) / Math.max(1, progress.windowSeconds)) * 100)} />
              </Box>
              {progress.restarts.map((r) => (
                <Text key={`${r.pod}/${r.container}`} wrap="truncate-end">
                  {'  '}
                  {r.pod}/{r.container}: RESTARTS <Text color={r.restarts > 0 ? 'yellow' : 'green'}>{r.restarts}</Text>
                </Text>
              ))}
            </>
          ) : null}
        </Box>
      ) : null}
      {verdict && !lab.verifying ? (
        <Box flexDirection="column">
          <Text bold color={verdict.outcome === 'pass' ? 'green' : verdict.outcome === 'fail' ? 'red' : 'yellow'}>
            {verdict.outcome === 'pass'
              ? `✓ ${t(lang, 'verify.pass', { t: formatDuration(labSeconds(lab, now)) })}`
              : verdict.outcome === 'fail'
                ? `✗ ${t(lang, 'verify.fail')}`
                : `? ${t(lang, 'verify.unable')}`}
          </Text>
          <Para text={verdict.summary} width={width - 2} />
          {evidence.length ? <Text bold>{t(lang, 'verify.evidence')}:</Text> : null}
          {evidence.slice(0, Math.max(1, height - 12)).map((e, i) => (
            <Para key={i} text={e} prefix="• " width={width - 2} maxRows={3} />
          ))}
          {verdict.guards.filter((g) => !g.ok).length ? <Text bold>{t(lang, 'verify.guards')}:</Text> : null}
          {verdict.guards
            .filter((g) => !g.ok)
            .map((g) => (
              <Para key={g.guard} text={`${g.guard}: ${g.detail}`} prefix="✗ " color="red" width={width - 2} />
            ))}
        </Box>
      ) : null}
      {(lab.verifying && progress?.phase === 'watching') || verdict ? <WindowReasons lang={lang} reasons={verdict?.windowReasons ?? []} /> : null}
    </Box>
  );
}

function WindowReasons({ lang, reasons }: { lang: Lang; reasons: string[] }) {
  if (!reasons.length) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text dimColor>{t(lang, 'verify.why')}:</Text>
      {reasons.map((r, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {'  '}
          {r}
        </Text>
      ))}
    </Box>
  );
}

// ---------------------------------------------------------------- debrief

export function debriefRows(data: Debrief, lang: Lang, width: number): string[] {
  const rows: string[] = [];
  rows.push(`## ${t(lang, 'debrief.why')}`);
  rows.push(...wrapWords(pick(data.why, lang), width));
  rows.push('');
  rows.push(`## ${t(lang, 'debrief.diff', { against: t(lang, data.diffAgainst === 'live' ? 'debrief.live' : 'debrief.reference') })}`);
  rows.push(...wrap(data.diff.replace(/\n+$/, ''), width));
  if (data.checklist.length) {
    rows.push('');
    rows.push(`## ${t(lang, 'debrief.checklist')}`);
    for (const item of data.checklist) rows.push(...wrapWords(pick(item, lang), width - 2).map((row, i) => `${i === 0 ? '☐' : ' '} ${row}`));
  }
  return rows;
}

export function DebriefScreen({ lang, lab, scenario, state, width, height }: { lang: Lang; lab: LabProgress; scenario: Scenario; state: DebriefState; width: number; height: number }) {
  const verdict = lab.verdict;
  const first = firstDiagnosisCorrect(lab);
  const diagnosis = first === undefined ? t(lang, 'diagnosis.none') : first ? t(lang, 'diagnosis.right') : t(lang, 'diagnosis.wrong');
  const rows = state.data ? debriefRows(state.data, lang, width - 2) : [];
  const bodyHeight = Math.max(3, height - 4);
  const offset = clamp(state.offset, 0, Math.max(0, rows.length - bodyHeight));
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold color="green" wrap="truncate-end">
        ✓ {t(lang, 'verify.pass', { t: formatDuration(labSeconds(lab, 0)) })} · {pick(scenario.title, lang)}
        {lab.solvedWithHelp ? <Text color="yellow"> · {t(lang, 'debrief.helped')}</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        {t(lang, 'debrief.score', { score: score(lab), t: formatDuration(labSeconds(lab, 0)), h: `${lab.hintsShown}/${lab.hintCount}`, d: diagnosis })}
        {' · '}
        {state.saveError ? <Text color="red">{state.saveError.message}</Text> : <Text color={state.saved ? 'green' : 'yellow'}>{t(lang, state.saved ? 'debrief.saved' : 'debrief.saving')}</Text>}
      </Text>
      {verdict ? (
        <Text dimColor wrap="truncate-end">
          {verdict.summary}
        </Text>
      ) : null}
      {state.resetDone ? <Text color="green">{t(lang, 'debrief.reset', { ns: state.resetDone })}</Text> : null}
      {state.error ? <ErrorBox lang={lang} message={state.error.message} hint={state.error.hint} /> : null}
      {!state.data && !state.error ? <Spinner label={' ' + t(lang, 'debrief.loading')} /> : null}
      <Box marginTop={1} flexDirection="column">
        <Rows rows={rows} offset={offset} height={bodyHeight - (state.resetDone ? 1 : 0)} color={(row) => (row.startsWith('## ') ? 'cyan' : diffColor(row))} />
      </Box>
    </Box>
  );
}
