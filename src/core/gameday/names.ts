/**
 * Game-day names and labels (the contract in GAMEDAY-CONTRACT.md): validated once, here.
 * Pure: no I/O.
 */
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../k8s.js';
import { parseDurationText } from '../duration.js';
import { GAME_LABEL, PROGRESS_CONFIGMAP, TEAM_LABEL } from './events.js';
import { GAME_CONFIGMAP, controlNamespace, teamNamespace } from './game.js';
import { CoreError } from '../errors.js';

// One definition each (the event-log and game-metadata modules own them).
export { GAME_CONFIGMAP, GAME_LABEL, PROGRESS_CONFIGMAP, TEAM_LABEL, controlNamespace, teamNamespace };
/** Marks the instructor namespace (teams never get rights there). */
export const ROLE_LABEL = 'crashlab.dev/gameday-role';

export const PLAYER = 'crashlab-player';
export const QUOTA = 'crashlab-quota';
export const LIMITS = 'crashlab-limits';
export const NETPOL = 'crashlab-same-namespace';
/** The instructor namespace's NetworkPolicy: no ingress at all. */
export const CONTROL_NETPOL = 'crashlab-deny-ingress';
export const CONTROL_TEAM = 'control';
/**
 * On the team's progress ConfigMap: the scenarios the game offers (comma-separated), so the
 * team's lab can show only those without reading the instructor's namespace.
 */
export const OFFERED_ANNOTATION = 'crashlab.dev/offered';
/**
 * On the same ConfigMap, `mystery` in a mystery game: the team's lab shows symptoms, never
 * titles or categories, and its mystery switch stays on (a shared screen spoils nothing).
 */
export const MODE_ANNOTATION = 'crashlab.dev/mode';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const MAX_NAMESPACE = 63;

/** Throws a CoreError (game-name) unless `game` can name namespaces `crashlab-<game>-<team>`. */
export function validateGameName(game: string): string {
  if (!DNS_LABEL.test(game)) throw new CoreError('game-name', `game name "${game}" must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit`);
  // Room for `crashlab-<game>-control` and a short team name.
  if (`crashlab-${game}-control`.length > MAX_NAMESPACE - 4) throw new CoreError('game-name', `game name "${game}" is too long (at most ${MAX_NAMESPACE - 4 - 'crashlab--control'.length} characters)`);
  return game;
}

export function validateTeamName(game: string, team: string): string {
  if (!DNS_LABEL.test(team)) throw new CoreError('game-name', `team name "${team}" must be a DNS label: lowercase letters, digits and '-'`);
  if (team === CONTROL_TEAM) throw new CoreError('game-name', `team name "${CONTROL_TEAM}" is reserved for the instructor namespace`);
  const ns = teamNamespace(game, team);
  if (ns.length > MAX_NAMESPACE) throw new CoreError('game-name', `team name "${team}" is too long: namespace ${ns} has ${ns.length} characters (at most ${MAX_NAMESPACE})`);
  return team;
}

/** The namespace prefix of every namespace of a game; `end` never touches one without it. */
export function gameNamespacePrefix(game: string): string {
  return `crashlab-${game}-`;
}

export function gameLabels(game: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [GAME_LABEL]: game };
}

export function teamLabels(game: string, team: string): Record<string, string> {
  return { ...gameLabels(game), [TEAM_LABEL]: team };
}

/** The selector `end` deletes by: both labels, so a foreign namespace named alike is safe. */
export function gameSelector(game: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${GAME_LABEL}=${game}`;
}

/** One bound for --teams and --participants: each team is a namespace, RBAC, a token and files. */
export const MAX_TEAMS = 200;

export function numberedTeams(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_TEAMS) throw new CoreError('game-name', `--teams must be a whole number from 1 to ${MAX_TEAMS} (got ${count})`);
  return Array.from({ length: count }, (_, i) => `team-${i + 1}`);
}

export interface Participant {
  team: string;
  members: string[];
}

/**
 * A participants file: one team a line, `team-name` or `team-name: Ada, Grace`; blank lines
 * and `#` comments are skipped. Names repeat → error (two teams in one namespace).
 */
export function parseParticipants(game: string, text: string): Participant[] {
  const teams: Participant[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const [name, rest] = line.split(/:(.*)/s, 2);
    const team = name.trim();
    try {
      validateTeamName(game, team);
    } catch (error) {
      throw new CoreError('game-name', `participants file line ${index + 1}: ${(error as Error).message}`);
    }
    if (seen.has(team)) throw new CoreError('game-name', `participants file line ${index + 1}: team "${team}" appears twice`);
    if (seen.size >= MAX_TEAMS) throw new CoreError('game-name', `participants file line ${index + 1}: more than ${MAX_TEAMS} teams (the most one game takes, like --teams)`);
    seen.add(team);
    const members = (rest ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    teams.push({ team, members });
  });
  if (teams.length === 0) throw new CoreError('game-name', 'participants file names no team');
  return teams;
}

/** "60m", "1h", "1h30m", "90s", "45" (minutes) → seconds, by the one parser and bounds (core/duration.ts). */
export function parseGameDuration(value: string, flag = 'duration'): number {
  // No overtime at all is a choice; no game at all is not.
  const parsed = parseDurationText(value, { bareUnit: 'm', zero: flag === 'overtime' });
  if (!parsed.ok) throw new CoreError('game-name', `--${flag} ${parsed.error}`);
  return parsed.seconds;
}

export function formatSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].join('');
}
