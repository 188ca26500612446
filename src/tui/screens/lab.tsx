/** The lab view: live pod, restart timeline, the 60-second routine and its output. */
import { Box, Text } from 'ink';
import type { KubeEvent } from '../../core/k8s.js';
import { eventTime } from '../../core/k8s.js';
import type { Scenario } from '../../core/scenario.js';
import { pick, type Lang } from '../../core/text.js';
import { Pane, PodPanel, Rows, Timeline, currentPod } from '../components.js';
import type { LabProgress } from '../flow.js';
import { formatDuration, t } from '../i18n.js';
import { cells, clamp, wrap, wrapLabelled, wrapWords } from '../layout.js';
import type { LabRoutineStep } from '../../engine/labTypes.js';
import type { Problem } from '../problem.js';
import type { LabData, StepOutputState } from './state.js';
import { safeText } from '../../core/untrusted.js';


export interface LabLayout {
  wide: boolean;
  hintRows: string[];
  /** The problem bar (an error and its next step), wrapped whole. */
  problemRows: { message: string[]; hint: string[] };
  bannerRows: number;
  paneHeight: number;
  /** Rows of content inside the panes (borders and title excluded). */
  outputHeight: number;
  routineWidth: number;
  sideWidth: number;
  outputWidth: number;
  columns: number;
}

/** The hint shown above the panes: `label` ("» Hint 1/3: ") then the text, whole, wrapped to the pane. */
export interface ShownHint {
  label: string;
  text: string;
}

export function labLayout({ columns, height, hint, problem }: { columns: number; height: number; hint?: ShownHint; problem?: Problem }): LabLayout {
  const wide = columns >= 140;
  // Never cut: a long hint or error grows its block and the panes give up the rows (paneHeight ≥ 6).
  const hintRows = hint ? wrapLabelled(hint.label, hint.text, columns - 2) : [];
  const problemRows = { message: problem ? wrapLabelled('✗ ', safeText(problem.message), columns - 2) : [], hint: problem?.hint ? wrapWords(safeText(problem.hint), columns - 2) : [] };
  const bannerRows = problem ? Math.max(2, problemRows.message.length + problemRows.hint.length) : 0;
  // header + footer + pod panel (2) + timeline (2)
  const paneHeight = Math.max(6, height - 6 - hintRows.length - bannerRows);
  const routineWidth = wide ? 44 : clamp(Math.floor(columns * 0.4), 28, 40);
  const sideWidth = wide ? Math.floor(columns * 0.3) : 0;
  const outputWidth = Math.max(10, columns - routineWidth - sideWidth - 4);
  return { wide, hintRows, problemRows, bannerRows, paneHeight, outputHeight: paneHeight - 3, routineWidth, sideWidth, outputWidth, columns };
}

/** The revealed hint above the panes, as labLayout wrapped it (rows fit: nothing is cut). */
export function HintBlock({ rows }: { rows: string[] }) {
  if (!rows.length) return null;
  return (
    <Box paddingX={1} flexDirection="column">
      {rows.map((row, i) => (
        <Text key={i} color="magenta" wrap="truncate-end">
          {row}
        </Text>
      ))}
    </Box>
  );
}

export function hintLabel(lang: Lang, n: number, total: number): string {
  return `» ${t(lang, 'lab.hint', { n, total })}: `;
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
  const routine = routineRows(steps, cursor, lab.stepsRun, layout.routineWidth - 4, lang);
  const routineStart = routineWindow(routine, listRows);
  const pod = currentPod(data.pods, scenario.expect.container);
  const scrollInfo =
    (rows.length > layout.outputHeight ? ` ${offset + 1}-${Math.min(rows.length, offset + layout.outputHeight)}/${rows.length}` : '') +
    (data.outputShift > 0 ? ` ←${data.outputShift}` : widest(rows) > layout.outputWidth ? ' →' : '');
  return (
    <Box flexDirection="column">
      <Box paddingX={1} flexDirection="column">
        <PodPanel pods={data.pods} now={now} lang={lang} container={scenario.expect.container} width={layout.columns - 2} />
        <Timeline history={data.history} pod={pod?.metadata.name} startMs={lab.startedAt} now={now} width={layout.columns - 2} lang={lang} />
      </Box>
      <HintBlock rows={layout.hintRows} />
      {problem ? (
        <Box paddingX={1} height={layout.bannerRows} flexDirection="column">
          {layout.problemRows.message.map((row, i) => (
            <Text key={`m${i}`} color="red" wrap="truncate-end">
              {row}
            </Text>
          ))}
          {layout.problemRows.hint.map((row, i) => (
            <Text key={`h${i}`} wrap="truncate-end">
              {row}
            </Text>
          ))}
        </Box>
      ) : null}
      <Box height={layout.paneHeight}>
        <Pane title={t(lang, 'lab.routine')} focused={data.pane === 'routine'} width={layout.routineWidth} height={layout.paneHeight}>
          {routine.rows.slice(routineStart, routineStart + listRows).map((row, i) => (
            <Text key={routineStart + i} inverse={row.selected} color={row.why ? 'gray' : undefined} wrap="truncate-end">
              {row.text}
            </Text>
          ))}
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

export interface RoutineRow {
  text: string;
  selected?: boolean;
  why?: boolean;
}

/**
 * The routine pane's rows: every step's title wrapped whole (never cut), the selected one
 * followed by its explanation, wrapped and indented. `focus` spans the selected title through
 * its explanation: the window keeps it in view (see routineWindow).
 */
export function routineRows(steps: LabRoutineStep[], cursor: number, stepsRun: string[], width: number, lang: Lang): { rows: RoutineRow[]; focus: [number, number] } {
  const rows: RoutineRow[] = [];
  let focus: [number, number] = [0, 0];
  steps.forEach((s, i) => {
    // The marker keeps the selection visible without colour or inverse (NO_COLOR).
    const label = `${i === cursor ? '›' : ' '}${stepsRun.includes(s.id) ? '✓' : '·'} ${i + 1} `;
    const indent = cells(label);
    const first = rows.length;
    // Wrapped without the label: the wrapper would trim its leading space.
    wrapWords(`${pick(s.title, lang)}${s.interactive ? ' ⧉' : ''}`, width - indent).forEach((text, r) =>
      rows.push({ text: `${r === 0 ? label : ' '.repeat(indent)}${text}`, selected: i === cursor }),
    );
    if (i !== cursor) return;
    for (const text of wrapWords(pick(s.why, lang), width - 2)) rows.push({ text: `  ${text}`, why: true });
    focus = [first, rows.length - 1];
  });
  return { rows, focus };
}

/** The first row shown: all rows when they fit, else the selected step and as much of its explanation as fits. */
export function routineWindow({ rows, focus }: { rows: RoutineRow[]; focus: [number, number] }, height: number): number {
  if (rows.length <= height) return 0;
  const [first, last] = focus;
  // As many rows above the selection as leave its explanation whole; the title first when even that is too long.
  return clamp(last - height + 1 <= first ? last - height + 1 : first, 0, rows.length - height);
}

/** The output pane's rows for a step: the command first (copyable), then what it printed. */
export function outputRows(step: LabRoutineStep, run: StepOutputState | undefined, width: number, lang: Lang, copied = false): string[] {
  // Wrapped at spaces so names stay whole; `y` copies the exact line.
  const rows = wrapWords(`$ ${step.command}`, width - 2).map((row, i) => (i === 0 ? row : `  ${row}`));
  rows.push(copied ? `(${t(lang, 'lab.copied')})` : '');
  if (step.interactive) return [...rows, ...wrapWords(t(lang, 'lab.interactive'), width)];
  if (!run) return [...rows, ...wrapWords(t(lang, 'lab.outputEmpty'), width)];
  if (run.running) return [...rows, t(lang, 'lab.running')];
  if (run.error) return [...rows, ...wrapWords(`✗ ${safeText(run.error.message)}`, width), ...(run.error.hint ? wrapWords(safeText(run.error.hint), width) : [])];
  // kubectl tables stay tables: long lines are scrolled sideways (← →), not wrapped.
  // The pod's log is untrusted: its ESC sequences are shown, never obeyed.
  const out = safeText((run.output ?? '').replace(/\r/g, '').replace(/\t/g, '    ').replace(/\n+$/, ''));
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
    for (const row of wrapWords(safeText(`${age} ${e.type ?? ''} ${e.reason ?? ''}${count}: ${e.message ?? ''}`, { multiline: false }), width)) rows.push(row);
  }
  return tail(rows, 200);
}
