/** Verify: the rollout, the stability window counting down, and the verdict. */
import { Box, Text } from 'ink';
import { ProgressBar, Spinner } from '@inkjs/ui';
import type { Scenario } from '../../core/scenario.js';
import type { Lang } from '../../core/text.js';
import { Para, PodPanel } from '../components.js';
import { labSeconds, type LabProgress } from '../flow.js';
import { formatDuration, t } from '../i18n.js';
import type { LabData } from './state.js';


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
