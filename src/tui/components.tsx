/**
 * Small view pieces shared by the screens. They only render what they are given.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import type { Pod } from '../core/k8s.js';
import { focusPod, summarizePod, unplacedRestarts, type ContainerSummary, type PodSummary, type RestartHistory } from '../core/podStatus.js';
import type { Lang } from '../core/text.js';
import { formatDuration, t } from './i18n.js';
import { cells, truncate, wrapWords } from './layout.js';
import { safeText } from '../core/untrusted.js';

/** Status words kubectl prints, coloured by what they mean to a learner. */
export function statusColor(status: string): string | undefined {
  if (/^(Running|Completed|Succeeded)$/.test(status)) return 'green';
  if (/BackOff|Error|OOMKilled|Failed|Err|Invalid|Unknown|StartError|ExitCode|Signal/.test(status)) return 'red';
  return 'yellow';
}

/** The container the scenario is about, else the one in trouble, else the first app container. */
export function focusContainer(summary: PodSummary, name?: string): ContainerSummary | undefined {
  return (
    summary.containers.find((c) => c.name === name) ??
    summary.containers.find((c) => c.backOff || c.lastTermination) ??
    summary.containers.find((c) => !c.init)
  );
}

/** The newest pod not being deleted is the one the learner looks at. */
export function currentPod(pods: Pod[], container?: string): Pod | undefined {
  return focusPod(pods, container);
}

export function PodPanel({ pods, now, lang, container, width }: { pods: Pod[]; now: number; lang: Lang; container?: string; width: number }) {
  const pod = currentPod(pods, container);
  if (!pod) {
    return (
      <Box height={2}>
        <Spinner label={` ${t(lang, 'lab.noPod')}`} />
      </Box>
    );
  }
  const s = summarizePod(pod, now);
  const c = focusContainer(s, container);
  const last = c?.lastTermination;
  const parts: string[] = [`${t(lang, 'lab.age')} ${s.age}`];
  const ago = s.lastRestartAtMs !== undefined && s.restarts > 0 ? ` ${t(lang, 'lab.ago', { t: formatDuration((now - s.lastRestartAtMs) / 1000) })}` : '';
  if (last) parts.push(`${t(lang, 'lab.lastTerm')} ${last.reason ?? '?'} (${last.exitCode})${ago}`);
  const others = pods.length > 1 ? ` +${pods.length - 1}` : '';
  const containerLabel = c && s.containers.length > 1 ? `  (${c.name})` : '';
  const rest = `${others}  ${s.status}  READY ${s.ready}  RESTARTS ${s.restarts}${containerLabel}`;
  return (
    <Box flexDirection="column" height={2} width={width}>
      <Text wrap="truncate-end">
        <Text bold>{truncate(s.name, Math.max(12, width - cells(rest)))}</Text>
        {others}
        {'  '}
        <Text color={statusColor(s.status)} bold>
          {s.status}
        </Text>
        {'  READY '}
        <Text color={s.readyCount === s.total ? 'green' : 'yellow'}>{s.ready}</Text>
        {'  RESTARTS '}
        <Text color={s.restarts > 0 ? 'red' : undefined} bold={s.restarts > 0}>
          {s.restarts}
        </Text>
        {containerLabel}
      </Text>
      <Text wrap="truncate-end">
        {parts.join(' · ')}
        {c?.backOff ? (
          <Text color="yellow">
            {parts.length ? ' · ' : ''}
            {t(lang, 'lab.backoff')} {c.backOff.delaySeconds}s
            {c.backOff.remainingSeconds === undefined
              ? ''
              : c.backOff.remainingSeconds > 0
                ? `, ${t(lang, 'lab.restartIn', { s: formatDuration(c.backOff.remainingSeconds) })}`
                : `, ${t(lang, 'lab.restartDue')}`}
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}

/**
 * The restart timeline as two rows: marks on a time axis from `startMs` to now, and the gap
 * between consecutive restarts written under it, so the doubling back-off is visible.
 */
export function timelineRows(restartsMs: number[], startMs: number, nowMs: number, width: number): [string, string] {
  const w = Math.max(10, width);
  const span = Math.max(1, nowMs - startMs);
  const col = (ms: number) => Math.min(w - 1, Math.max(0, Math.round(((ms - startMs) / span) * (w - 1))));
  const axis = Array.from({ length: w }, () => '─');
  axis[0] = '├';
  axis[w - 1] = '┤';
  const labels = Array.from({ length: w }, () => ' ');
  const positions = restartsMs.map(col);
  for (const p of positions) axis[p] = '●';
  for (let i = 1; i < restartsMs.length; i++) {
    const label = formatDuration((restartsMs[i] - restartsMs[i - 1]) / 1000);
    const mid = Math.round((positions[i - 1] + positions[i]) / 2);
    const from = mid - Math.floor(label.length / 2);
    const free = from > 0 && from + label.length < w && labels.slice(from - 1, from + label.length + 1).every((ch) => ch === ' ');
    if (free && positions[i] - positions[i - 1] > label.length) {
      for (let k = 0; k < label.length; k++) labels[from + k] = label[k];
    }
  }
  return [axis.join(''), labels.join('')];
}

export function Timeline({ history, pod, startMs, now, width, lang }: { history: RestartHistory; pod?: string; startMs: number; now: number; width: number; lang: Lang }) {
  const marks = history.restarts.filter((r) => !pod || r.key.startsWith(`${pod}/`)).map((r) => r.atMs);
  // Restarts from before the watch started are counted by the API but cannot be placed in time.
  const earlier = Object.keys(history.counts)
    .filter((key) => !pod || key.startsWith(`${pod}/`))
    .reduce((sum, key) => sum + unplacedRestarts(history, key), 0);
  const label = `${t(lang, 'lab.timeline')}${earlier ? ` +${earlier}` : ''} `;
  const age = formatDuration((now - startMs) / 1000);
  const axisWidth = Math.max(10, width - cells(label) - age.length - 1);
  const [axis, gaps] = timelineRows(marks, startMs, now, axisWidth);
  return (
    <Box flexDirection="column" height={2}>
      <Text wrap="truncate-end">
        <Text dimColor>{label}</Text>
        <Text color="red">{axis}</Text> <Text dimColor>{age}</Text>
      </Text>
      <Text wrap="truncate-end" dimColor>
        {' '.repeat(cells(label))}
        {gaps}
      </Text>
    </Box>
  );
}

export function Pane({ title, focused, width, height, children }: { title: string; focused?: boolean; width?: number | string; height?: number; children: React.ReactNode }) {
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={focused ? 'cyan' : 'gray'}
      width={width}
      height={height}
      flexGrow={width === undefined ? 1 : 0}
      flexShrink={width === undefined ? 1 : 0}
      flexBasis={width === undefined ? 0 : undefined}
      paddingX={1}
      overflow="hidden"
    >
      <Text bold={focused} color={focused ? 'cyan' : undefined} wrap="truncate-end">
        {title}
      </Text>
      {children}
    </Box>
  );
}

/** Rows of already-wrapped text, from `offset`, at most `height`, with a scroll position. */
export function Rows({
  rows,
  offset,
  height,
  shift = 0,
  shiftable = () => true,
  color,
}: {
  rows: string[];
  offset: number;
  height: number;
  /** Columns scrolled sideways, for the rows `shiftable` accepts (all by default). */
  shift?: number;
  shiftable?: (index: number) => boolean;
  color?: (row: string, index: number) => string | undefined;
}) {
  const visible = rows.slice(offset, offset + Math.max(0, height)).map((row, i) => (shift > 0 && shiftable(offset + i) ? [...row].slice(shift).join('') : row));
  return (
    <Box flexDirection="column" height={Math.max(0, height)} overflow="hidden">
      {visible.map((row, i) => (
        <Text key={offset + i} wrap="truncate-end" color={color?.(row, offset + i)}>
          {row === '' ? ' ' : row}
        </Text>
      ))}
    </Box>
  );
}

export function diffColor(row: string): string | undefined {
  if (row.startsWith('+++') || row.startsWith('---')) return undefined;
  if (row.startsWith('+')) return 'green';
  if (row.startsWith('-')) return 'red';
  if (row.startsWith('@@')) return 'cyan';
  return undefined;
}

/**
 * Prose and machine text (kubectl messages, evidence) wrapped by us, not by Ink: Ink leaves
 * long unbreakable tokens (pod names, JSON) overflowing their box, which garbles neighbours.
 */
export function Para({ text, width, color, bold, dim, prefix = '', maxRows }: { text: string; width: number; color?: string; bold?: boolean; dim?: boolean; prefix?: string; maxRows?: number }) {
  const indent = ' '.repeat(cells(prefix));
  // Machine text is untrusted: its escape sequences are shown, never obeyed.
  let rows = wrapWords(safeText(text), Math.max(4, width - cells(prefix))).map((row, i) => `${i === 0 ? prefix : indent}${row}`);
  if (maxRows !== undefined && rows.length > maxRows) {
    rows = rows.slice(0, Math.max(1, maxRows));
    rows[rows.length - 1] = `${truncate(rows[rows.length - 1], Math.max(2, width - 1))}…`.replace(/……$/, '…');
  }
  // flexShrink 0: in a clipped column, Yoga would otherwise squeeze rows on top of each other.
  return (
    <Box flexDirection="column" flexShrink={0}>
      {rows.map((row, i) => (
        <Text key={i} color={color} bold={bold} dimColor={dim} wrap="truncate-end">
          {row || ' '}
        </Text>
      ))}
    </Box>
  );
}

export function ErrorBox({ message, hint, lang, width = 78 }: { message: string; hint?: string; lang: Lang; width?: number }) {
  return (
    <Box flexDirection="column">
      <Para text={message} width={width} color="red" prefix="✗ " />
      {hint ? <Para text={hint} width={width} prefix={`${t(lang, 'error.next')}: `} /> : null}
    </Box>
  );
}
