/** Preflight: each check, what was found, and the exact fix. */
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import { pick, type Lang } from '../../core/text.js';
import { ErrorBox } from '../components.js';
import { t } from '../i18n.js';
import type { PreflightResult } from '../../engine/labTypes.js';
import type { Problem } from '../problem.js';


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
