/** The frame around every screen: header with where the learner is, body, key line. */
import React from 'react';
import { Box, Text } from 'ink';
import type { Scenario } from '../../core/scenario.js';
import { pick, type Lang } from '../../core/text.js';
import { labSeconds, type FlowState } from '../flow.js';
import { t } from '../i18n.js';
import { cells, pad, truncate, wrapWords } from '../layout.js';


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
  redeployQuestion,
  notice,
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
  redeployQuestion?: boolean;
  /** One line above the keys while something outside the screen needs saying (a slow cluster). */
  notice?: string;
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
  const room = Math.max(0, width - cells(right) - 2);
  // A narrow terminal loses the namespace before the title is cut.
  const left = ` ${(cells(` ${parts.join(' › ')}`) > room && parts.length > 3 ? parts.slice(0, 3) : parts).join(' › ')}`;
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
        <Text color="yellow" bold wrap="wrap">
          {t(lang, 'quit.question')} [y/n]
        </Text>
      ) : null}
      {solveQuestion ? (
        <Text color="yellow" bold wrap="wrap">
          {t(lang, 'fix.solveQuestion')} [y/n]
        </Text>
      ) : null}
      {redeployQuestion ? (
        <Text color="yellow" bold wrap="wrap">
          {t(lang, 'picker.redeployQuestion')} [y/n]
        </Text>
      ) : null}
      {notice ? (
        <Text color="yellow" wrap="truncate-end">
          {truncate(` ${notice}`, width)}
        </Text>
      ) : null}
      {fitKeys(keys, width).map((row, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {row}
        </Text>
      ))}
    </Box>
  );
}

/**
 * The footer's keys, whole (never a key cut in the middle of its word): when they do not fit,
 * the moving keys go first (arrows, Tab: the help overlay lists them), then the rest wraps
 * onto a second row rather than losing an action.
 */
export function fitKeys(keys: string, width: number): string[] {
  const items = keys.split(' · ');
  const fits = (row: string[]) => cells(` ${row.join(' · ')}`) <= width;
  while (!fits(items)) {
    const drop = items.findIndex((item) => /^(↑|↓|←|→|Tab )/.test(item));
    if (drop < 0) break;
    items.splice(drop, 1);
  }
  const rows: string[][] = [[]];
  for (const item of items) {
    const row = rows[rows.length - 1];
    if (row.length && !fits([...row, item])) rows.push([item]);
    else row.push(item);
  }
  return rows.map((row) => truncate(` ${row.join(' · ')}`, width));
}

/** Every key of the screen, from its key table (bindings.ts). */
export function HelpOverlay({ lang, rows }: { lang: Lang; rows: { keys: string; what: string }[] }) {
  const width = Math.max(...rows.map((r) => cells(r.keys))) + 2;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={2} alignSelf="center" marginTop={1}>
      <Text bold color="cyan">
        {t(lang, 'help.title')}
      </Text>
      {rows.map((k) => (
        <Text key={k.keys} wrap="truncate-end">
          <Text bold>{pad(k.keys, width)}</Text>
          {k.what}
        </Text>
      ))}
    </Box>
  );
}

/** A team's game is over: what happened in plain words and what to do next; q leaves. */
export function GameOverScreen({ lang, message, hint, width }: { lang: Lang; message: string; hint?: string; width: number }) {
  const inner = Math.max(20, Math.min(76, width - 8));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={2} alignSelf="center" marginTop={1} width={inner + 6}>
      <Text bold color="yellow">
        {t(lang, 'gameOver.title')}
      </Text>
      {[message, '', ...(hint ? [hint, ''] : []), t(lang, 'gameOver.keep')].flatMap((paragraph, i) =>
        paragraph ? wrapWords(paragraph, inner).map((row, j) => <Text key={`${i}-${j}`}>{row}</Text>) : [<Text key={`${i}`}> </Text>],
      )}
    </Box>
  );
}
