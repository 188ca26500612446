/** Cluster: finding or creating it, with kind's progress; cancel, retry, delete. */
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import type { Lang } from '../../core/text.js';
import { ErrorBox } from '../components.js';
import { formatDuration, t } from '../i18n.js';
import type { ClusterState } from './state.js';


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
