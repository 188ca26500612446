/** Debrief: why it broke, the fix as a diff, the checklist and the score. */
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import type { Scenario } from '../../core/scenario.js';
import { pick, type Lang } from '../../core/text.js';
import { ErrorBox, Rows, diffColor } from '../components.js';
import { labSeconds, score, firstDiagnosisCorrect, type LabProgress } from '../flow.js';
import { formatDuration, t } from '../i18n.js';
import { clamp, wrap, wrapWords } from '../layout.js';
import type { Debrief } from '../../engine/labTypes.js';
import type { DebriefState } from './state.js';


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
        {state.team
          ? t(lang, state.team.pending ? 'debrief.teamScorePending' : 'debrief.teamScore', { score: state.team.score, t: formatDuration(labSeconds(lab, 0)), h: `${lab.hintsShown}/${lab.hintCount}`, d: diagnosis })
          : t(lang, 'debrief.score', { score: score(lab), t: formatDuration(labSeconds(lab, 0)), h: `${lab.hintsShown}/${lab.hintCount}`, d: diagnosis })}
        {' · '}
        {state.saveError ? <Text color="red">{state.saveError.message}</Text> : <Text color={state.saved ? 'green' : 'yellow'}>{t(lang, state.saved ? 'debrief.saved' : 'debrief.saving')}</Text>}
      </Text>
      {verdict ? (
        <Text dimColor wrap="truncate-end">
          {verdict.summary}
        </Text>
      ) : null}
      {state.resetDone ? <Text color="green">{t(lang, 'debrief.reset', { ns: state.resetDone })}</Text> : null}
      {state.note ? (
        <Text color={state.note.ok ? 'green' : 'yellow'} wrap="truncate-end">
          {state.note.text}
        </Text>
      ) : null}
      {state.error ? <ErrorBox lang={lang} message={state.error.message} hint={state.error.hint} /> : null}
      {!state.data && !state.error ? <Spinner label={' ' + t(lang, 'debrief.loading')} /> : null}
      <Box marginTop={1} flexDirection="column">
        <Rows rows={rows} offset={offset} height={bodyHeight - (state.resetDone ? 1 : 0) - (state.note ? 1 : 0)} color={(row) => (row.startsWith('## ') ? 'cyan' : diffColor(row))} />
      </Box>
    </Box>
  );
}
