/**
 * `crashlab join DIR/team-3.kubeconfig`: a participant checks the kubeconfig the instructor
 * handed out (namespace, token expiry, the team it belongs to) with namespace-scoped reads
 * only, and learns the commands to play with it.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseTeamKubeconfig, teamFromProgress } from '../../core/gameday/participant.js';
import { PROGRESS_CONFIGMAP } from '../../core/gameday/events.js';
import { localTime } from '../../core/gameday/handout.js';
import { isPortError } from '../../ports/errors.js';
import { isCoreError } from '../../core/errors.js';
import { CliError, EXIT, asCliError } from '../errors.js';
import { eprintln, printJson, printProse } from '../io.js';
import { endpointRisks, joinRiskText, readableByOthersText } from '../../core/gameday/endpoint.js';
import { pick, type Text } from '../../core/text.js';
import type { CommandEnv } from '../env.js';
import { openTeamLab, slowClusterNotice } from '../app.js';
import { gamedayCluster } from '../../app/gamedayProvision.js';
import { say, words } from '../words.js';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('join <kubeconfig>')
    .description("join a game day with your team's kubeconfig (from the instructor)")
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { json?: boolean }) => {
      let text: string;
      let mode: number;
      try {
        text = await readFile(file, 'utf8');
        mode = (await stat(file)).mode;
      } catch (error) {
        throw new CliError(words('join.cannotRead', { file, why: (error as NodeJS.ErrnoException).code ?? (error as Error).message }), EXIT.unable, words('join.useTeamFile'));
      }
      let config;
      try {
        config = parseTeamKubeconfig(text, file);
      } catch (error) {
        if (isCoreError(error, 'kubeconfig')) throw asCliError(error);
        throw error;
      }
      // Said, not refused: the participant may have no other file; the instructor can fix it.
      const { lang } = env.globals();
      const warn = (t: Text) => eprintln(env.io, `crashlab: ${say(lang, 'warning')}: ${pick(t, lang)}`);
      if (mode & 0o044) warn(readableByOthersText(file, mode));
      for (const risk of endpointRisks(config)) warn(joinRiskText(risk, config.server));
      const now = Date.now();
      if (config.tokenExpiresAt && Date.parse(config.tokenExpiresAt) <= now) {
        throw new CliError(words('join.expired', { file, at: config.tokenExpiresAt }), EXIT.unable, words('join.askFresh'));
      }
      const kube =
        env.deps.gameCluster?.(config.context) ??
        (await gamedayCluster({ context: config.context, kubeconfig: file, env: env.io.env, timeoutMs: env.globals().requestTimeoutMs, signal: env.signal, onSlow: slowClusterNotice(env) }));
      let progress;
      try {
        progress = await kube.getObject(config.namespace, 'configmap', PROGRESS_CONFIGMAP);
      } catch (error) {
        if (isPortError(error, 'kubectl')) throw asCliError(error);
        throw error;
      }
      const team = teamFromProgress(config.namespace, progress);
      if (!team) throw new CliError(words('join.notTeam', { ns: config.namespace, cm: PROGRESS_CONFIGMAP }), EXIT.unable);
      if (opts.json) return printJson(env.io, { ...team, server: config.server, tokenExpiresAt: config.tokenExpiresAt });
      // On a terminal: straight into the lab, inside the team namespace (compose.ts teamScope).
      if (env.io.stdout.isTTY && env.io.stdin.isTTY && !env.io.env.CI && env.deps.openLab) {
        return env.setExit(await env.deps.openLab({ ...env.globals(), context: undefined, kubeconfig: file }));
      }
      await printProse(env.io, say(lang, 'join.joined', { game: team.game, team: team.team, ns: team.namespace, server: config.server }));
      // The room's wall clock, like the handout (a raw UTC ISO time misleads a room in another zone).
      if (config.tokenExpiresAt) await printProse(env.io, say(lang, 'join.until', { at: localTime(config.tokenExpiresAt, -new Date().getTimezoneOffset()) }));
      // What already runs in the namespace, by instance id (which spells nothing in a mystery game).
      const live = await openTeamLab(env, file, 'team')
        .teamInstances()
        .catch(() => []);
      for (const instance of live) {
        const how = instance.released
          ? instance.released.round !== undefined
            ? say(lang, 'join.releasedRound', { round: instance.released.round })
            : say(lang, 'join.released')
          : say(lang, 'join.startedByTeam');
        await printProse(env.io, say(lang, 'join.running', { instance: instance.instance, how, command: `crashlab --kubeconfig ${file} start ${instance.instance}` }));
      }
      await printProse(env.io, say(lang, 'join.playWith', { file }));
      await printProse(env.io, say(lang, 'join.kubectl', { file }));
    });
}
