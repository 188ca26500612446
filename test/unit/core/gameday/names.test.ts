/** Issue 21, items 18 and 19: one team bound for --teams and --participants; notes counted in characters. */
import { describe, expect, it } from 'vitest';
import { MAX_TEAMS, numberedTeams, parseParticipants } from '../../../../src/core/gameday/names.js';
import { NOTE_MAX_CHARS, formatEvent, noteLength, parseEventLog } from '../../../../src/core/gameday/events.js';

describe('team count (item 18)', () => {
  it('a participants file is capped like --teams: 200 teams pass, the 201st line is refused', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `t${i + 1}`).join('\n');
    expect(parseParticipants('g1', lines(MAX_TEAMS))).toHaveLength(200);
    expect(() => parseParticipants('g1', lines(5000))).toThrow('participants file line 201: more than 200 teams (the most one game takes, like --teams)');
    expect(() => numberedTeams(201)).toThrow('--teams must be a whole number from 1 to 200');
  });
});

describe('note length (item 19): Unicode code points, not UTF-16 units', () => {
  const at = '2026-11-30T10:00:00.000Z';
  it('1,500 emoji are 1,500 characters and fit; 2,001 do not', () => {
    expect(noteLength('😀'.repeat(1500))).toBe(1500);
    const line = formatEvent({ type: 'note', text: '😀'.repeat(1500), at });
    expect(parseEventLog(line).events).toHaveLength(1);
    expect(() => formatEvent({ type: 'note', text: '😀'.repeat(NOTE_MAX_CHARS + 1), at })).toThrow(/at most 2000 characters/);
  });
});
