/** Scenario picker: difficulty, done and best time (the category once done, never in a game); filter and mystery mode. */
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import { category as categoryOf } from '../../core/categories.js';
import type { Scenario } from '../../core/scenario.js';
import { pick, type Lang } from '../../core/text.js';
import type { Progress } from '../../ports/store.js';
import { attemptUnfinished } from '../../core/progress.js';
import { ErrorBox } from '../components.js';
import { formatDuration, t } from '../i18n.js';
import { cells, pad, truncate, windowStart, wrapWords } from '../layout.js';
import type { Problem } from '../problem.js';
import type { TeamInstance } from '../../engine/lab/team.js';
import { labSeconds, type LabProgress } from '../flow.js';


export interface VisibleScenario {
  scenario: Scenario;
  label: string;
}

/**
 * Whether the picker may name a scenario's cause category (it is the answer the diagnose screen
 * asks for, worth points in a game): never in a game or in mystery mode; in solo practice only
 * once the learner has completed the scenario, so a first diagnosis is never given away.
 */
export function showsCategory(options: { inGame?: boolean; mystery: boolean; completed?: boolean }): boolean {
  return !options.inGame && !options.mystery && Boolean(options.completed);
}

export function visibleScenarios(scenarios: Scenario[], filter: string, mystery: boolean, lang: Lang, inGame = false): VisibleScenario[] {
  const needle = filter.trim().toLowerCase();
  return scenarios
    .map((s) => ({ scenario: s, label: mystery ? pick(s.symptoms, lang) : pick(s.title, lang) }))
    .filter(({ scenario: s, label }) => {
      if (!needle) return true;
      // In mystery mode the filter only sees what is shown, so it cannot leak the cause; in a
      // game it sees no id or category either. Solo, typing a cause to practise it is a choice.
      const haystack = mystery
        ? [label, s.difficulty]
        : inGame
          ? [label, s.difficulty, pick(s.summary, lang)]
          : [label, s.id, s.category, pick(categoryOf(s.category).title, lang), s.difficulty, pick(s.summary, lang)];
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
  mysteryLocked,
  readOnly,
  starting,
  problem,
  live,
  paused,
  now,
  inGame,
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
  /** The instructor's mystery game: the switch is locked on. */
  mysteryLocked?: boolean;
  /** No cluster: the picker only reads. */
  readOnly?: boolean;
  starting?: { id: string; lines: string[]; error?: Problem; joining?: boolean };
  problem?: Problem;
  /** Game mode: scenario id → its instance live in the team namespace. */
  live?: Map<string, TeamInstance>;
  /** Runs the learner left unfinished, by scenario id: Enter resumes them. */
  paused?: Record<string, LabProgress>;
  now?: number;
  /** A game-day team: the category is never shown. */
  inGame?: boolean;
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
  const selectedLive = selected ? live?.get(selected.scenario.id) : undefined;
  const selectedPaused = selected ? paused?.[selected.scenario.id] : undefined;
  const earlier = selected && !selectedPaused && !inGame ? progress?.scenarios[selected.scenario.id] : undefined;
  const earlierNote = earlier?.startedAt && attemptUnfinished(earlier) ? `${t(lang, 'picker.earlierDetail', { time: new Date(earlier.startedAt).toTimeString().slice(0, 5) })} ` : '';
  const liveNote = (selectedPaused ? `${t(lang, 'picker.pausedDetail')} ` : earlierNote) + (selectedLive ? `${liveDetail(selectedLive, lang)} ` : '');
  // Shown whole (never cut): the list gives up rows to a long briefing, down to 3.
  // The category is the answer (see showsCategory): where it is never shown, the title gets its room.
  const anyCategory = visible.some((v) => showsCategory({ inGame, mystery, completed: progress?.scenarios[v.scenario.id]?.completed }));
  const catWidth = anyCategory ? (width >= 120 ? 34 : 22) : 0;
  const bestWidth = 8;
  const diffWidth = 8;
  const titleWidth = Math.min(56, Math.max(12, width - 6 - catWidth - diffWidth - bestWidth - 4));
  // A cell the table cuts is shown whole above the selected row's details.
  const selectedCat = selected && showsCategory({ inGame, mystery, completed: progress?.scenarios[selected.scenario.id]?.completed }) ? pick(categoryOf(selected.scenario.category).title, lang) : '';
  const cut = selected && (cells(selected.label) > titleWidth || cells(selectedCat) > catWidth);
  const wholeRow = cut ? wrapWords([selected.label, selectedCat].filter(Boolean).join(' · '), width - 4) : [];
  const detailRows = selected ? [...wholeRow, ...wrapWords(liveNote + (mystery ? pick(selected.scenario.symptoms, lang) : `${pick(selected.scenario.summary, lang)} ${pick(selected.scenario.briefing, lang)}`), width - 4)] : [];
  const listHeight = Math.max(3, height - 4 - detailRows.length - (starting ? 3 : 0));
  const start = windowStart(cursor, visible.length, listHeight);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text wrap="truncate-end">
        <Text bold>{t(lang, 'picker.title')}</Text>
        {mystery ? <Text color="magenta"> · {t(lang, mysteryLocked ? 'picker.mysteryGame' : 'picker.mystery')}</Text> : null}
        {readOnly ? <Text color="yellow"> · {t(lang, 'picker.readOnly')}</Text> : null}
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
          const cat = showsCategory({ inGame, mystery, completed: p?.completed }) ? pick(categoryOf(v.scenario.category).title, lang) : '';
          const best = p?.bestSeconds !== undefined ? formatDuration(p.bestSeconds) : '';
          const running = live?.get(v.scenario.id);
          const mine = paused?.[v.scenario.id];
          const isSel = index === cursor;
          return (
            <Text key={v.scenario.id} inverse={isSel} wrap="truncate-end">
              {isSel ? '›' : ' '}
              <Text color={p?.completed ? 'green' : undefined}>{done}</Text> {pad(truncate(v.label, titleWidth), titleWidth)}{' '}
              {catWidth === 0 ? null : (
                <>
                  <Text dimColor={!isSel}>{pad(truncate(cat, catWidth), catWidth)}</Text>{' '}
                </>
              )}
              <Text color={difficultyColor(v.scenario.difficulty)}>{pad(t(lang, `difficulty.${v.scenario.difficulty}`), diffWidth)}</Text>
              {mine ? (
                <Text color="yellow">
                  {t(lang, 'picker.paused', { time: formatDuration(labSeconds(mine, now ?? Date.now())), n: mine.hintsShown, total: mine.hintCount })}{' '}
                </Text>
              ) : running ? (
                <Text color="cyan">{liveBadge(running, lang)} </Text>
              ) : null}
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
            <Spinner label={' ' + (starting.joining ? t(lang, 'picker.joining') : mystery ? t(lang, 'picker.startingHidden') : t(lang, 'picker.starting', { id: starting.id }))} />
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


function liveBadge(instance: TeamInstance, lang: Lang): string {
  if (instance.released?.round !== undefined) return t(lang, 'picker.round', { round: instance.released.round });
  return instance.released?.via === 'inject' ? t(lang, 'picker.injected') : t(lang, 'picker.running');
}

function liveDetail(instance: TeamInstance, lang: Lang): string {
  if (!instance.released) return t(lang, 'picker.runningDetail');
  const time = new Date(instance.released.at).toTimeString().slice(0, 5);
  const round = instance.released.round !== undefined ? t(lang, 'picker.roundSuffix', { round: instance.released.round }) : '';
  return t(lang, 'picker.releasedDetail', { time, round });
}

function difficultyColor(d: string): string {
  return d === 'easy' ? 'green' : d === 'medium' ? 'yellow' : 'red';
}
