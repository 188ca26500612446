/** Fix: how to change the live objects, while the pod stays in view. */
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import type { Scenario } from '../../core/scenario.js';
import type { Lang } from '../../core/text.js';
import { ErrorBox, Para, PodPanel, Timeline, currentPod } from '../components.js';
import type { LabProgress } from '../flow.js';
import { t } from '../i18n.js';
import type { FixMessage, LabData } from './state.js';


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
  const pod = currentPod(data.pods, scenario.expect.container);
  return (
    <Box flexDirection="column" paddingX={1}>
      <PodPanel pods={data.pods} now={now} lang={lang} container={scenario.expect.container} width={width - 2} />
      <Timeline history={data.history} pod={pod?.metadata.name} startMs={lab.startedAt} now={now} width={width - 2} lang={lang} />
      <Text bold>{t(lang, 'fix.title')}</Text>
      <Para text={t(lang, 'fix.intro')} width={width - 2} />
      {commands.map((c) => (
        <Para key={c} text={c} prefix="  " color="cyan" width={width - 2} />
      ))}
      <Para text={t(lang, 'fix.applyNote')} width={width - 2} dim />
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
