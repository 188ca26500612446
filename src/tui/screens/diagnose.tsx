/** Diagnose: pick the cause from the guide's map; right or wrong, with the evidence. */
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import { category as categoryOf, type Category, type CategoryId } from '../../core/categories.js';
import { pick, type Lang } from '../../core/text.js';
import { ErrorBox, Para } from '../components.js';
import { t } from '../i18n.js';
import { clamp, windowStart } from '../layout.js';
import type { LabDiagnosis } from '../../engine/labTypes.js';
import type { DiagnoseState } from './state.js';


export function DiagnoseScreen({ lang, state, choices, width, height }: { lang: Lang; state: DiagnoseState; choices: Category[]; width: number; height: number }) {
  const listWidth = clamp(Math.floor(width * 0.45), 30, 50);
  const listHeight = Math.max(3, height - 1);
  const start = windowStart(Math.max(0, state.cursor), choices.length, listHeight);
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
              <Para text={`${selected.guideNumber ?? '+'}. ${pick(selected.title, lang)}`} width={detailWidth - 2} bold />
              <Para text={pick(selected.symptom, lang)} width={detailWidth - 2} dim />
            </>
          ) : null}
          {!selected && !result ? <Para text={t(lang, 'diagnose.select')} width={detailWidth - 2} dim /> : null}
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
function bestEvidence(diagnosis: LabDiagnosis, picked: CategoryId, correct: boolean): string[] {
  const finding = (correct ? diagnosis.findings.find((f) => f.category === picked) : undefined) ?? diagnosis.findings[0];
  return finding ? finding.evidence : [];
}
