/**
 * Every word on screen, whole: each scenario's hints (lab) and its symptoms and briefing
 * (picker) rendered by Ink at 60, 80, 100 and 140 columns in both languages lose no text and
 * break no word that fits on a row.
 */
import { Box, Text, renderToString } from 'ink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCatalog, packageRoot } from '../../../src/adapters/scenarios.js';
import { LANGS, pick } from '../../../src/core/text.js';
import { cells, reflow } from '../../../src/core/width.js';
import { HintBlock, PickerScreen, fitKeys, hintLabel, labLayout, visibleScenarios } from '../../../src/tui/screens/index.js';
import { routineRows, routineWindow } from '../../../src/tui/screens/lab.js';
import { routineSteps } from '../../../src/core/routine.js';
import { category as categoryOf } from '../../../src/core/categories.js';
import type { LabRoutineStep } from '../../../src/engine/labTypes.js';
import { KEY, renderLab, type Lab } from './harness.js';

const { scenarios } = await loadCatalog(packageRoot());
const WIDTHS = [60, 80, 100, 140];
// Each test renders every scenario at every width: its time grows with the catalog (25
// scenarios took 11-15 s each on the shared two-core machine), not with a defect.
vi.setConfig({ testTimeout: 60_000 });

/** What a reader gets from the frame: its text without the layout's spaces and borders. */
function letters(text: string): string {
  return text.replace(/[\s│─╭╮╰╯]+/g, '');
}

/** The source's words that fit on a row must each appear whole on one row of the frame. */
function brokenWords(source: string, frame: string, width: number): string[] {
  const rows = frame.split('\n');
  return reflow(source)
    .split(/\s+/)
    .filter((word) => word && cells(word) < width - 6)
    .filter((word) => !rows.some((row) => row.includes(word)));
}

function expectWhole(source: string, frame: string, width: number, where: string): void {
  for (const row of frame.split('\n')) expect(cells(row), `${where}: row wider than ${width}: ${row}`).toBeLessThanOrEqual(width);
  expect(frame, `${where}: text was cut`).not.toContain('…');
  expect(letters(frame), `${where}: text lost`).toContain(letters(source));
  expect(brokenWords(source, frame, width), `${where}: words broken across rows`).toEqual([]);
}

describe('hints in the lab, whole at every width', () => {
  // One test a scenario and language: the whole catalog in one test outgrew the 10 s budget on
  // a loaded machine as the catalog grew (each frame is an Ink render).
  it('checks the whole catalog', () => expect(scenarios.length).toBeGreaterThanOrEqual(23));
  for (const lang of LANGS) {
    for (const scenario of scenarios) {
      it(`every hint of ${scenario.id} (${lang}) at ${WIDTHS.join(', ')} columns`, () => {
        let checked = 0;
        scenario.hints.forEach((hint, i) => {
          const text = pick(hint, lang);
          const label = hintLabel(lang, i + 1, scenario.hints.length);
          for (const columns of WIDTHS) {
            const layout = labLayout({ columns, height: 40, hint: { label, text } });
            const frame = renderToString(<HintBlock rows={layout.hintRows} />, { columns });
            expect(frame.split('\n')[0].trim().startsWith(label.trim()), `${scenario.id} hint ${i + 1}`).toBe(true);
            expectWhole(text, frame.slice(frame.indexOf(label.trim()) + label.trim().length), columns, `${scenario.id} hint ${i + 1} ${lang} @${columns}`);
            checked++;
          }
        });
        expect(checked).toBe(3 * WIDTHS.length);
      });
    }
  }

  it('the old cut: "Read the reason of the last termination" keeps "last" at 80 columns', () => {
    const oom = scenarios.find((s) => s.id === 'oom')!;
    const layout = labLayout({ columns: 80, height: 24, hint: { label: hintLabel('en', 1, 3), text: pick(oom.hints[0], 'en') } });
    const frame = renderToString(<HintBlock rows={layout.hintRows} />, { columns: 80 });
    expect(frame.replace(/\s+/g, ' ')).toContain('Read the reason of the last termination');
  });

  it('a long hint grows its block and the panes give up the rows', () => {
    const short = labLayout({ columns: 60, height: 30, hint: { label: hintLabel('ko', 1, 3), text: '짧은 힌트' } });
    const long = labLayout({ columns: 60, height: 30, hint: { label: hintLabel('ko', 1, 3), text: '아주 긴 힌트입니다. '.repeat(20) } });
    expect(long.hintRows.length).toBeGreaterThan(3);
    expect(short.paneHeight - long.paneHeight).toBe(long.hintRows.length - short.hintRows.length);
  });
});

describe('the picker shows a scenario’s text whole', () => {
  for (const lang of LANGS) {
    for (const mystery of [true, false]) {
      // One test a scenario, as for the hints: the budget is per test.
      for (const v of visibleScenarios(scenarios, '', mystery, lang)) {
        it(`${mystery ? 'symptoms (mystery)' : 'summary and briefing'} of ${v.scenario.id} (${lang})`, () => {
          // A list of one: the detail under it is what is measured (and a long list is slow to lay out).
          for (const columns of WIDTHS) {
            const frame = renderToString(
              <PickerScreen lang={lang} scenarios={scenarios} visible={[v]} cursor={0} filter="" filtering={false} mystery={mystery} width={columns} height={40} />,
              { columns },
            );
            const source = mystery ? pick(v.scenario.symptoms, lang) : `${pick(v.scenario.summary, lang)} ${pick(v.scenario.briefing, lang)}`;
            expectWhole(source, lastBlock(frame), columns, `${v.scenario.id} ${lang} @${columns}`);
          }
        });
      }
    }
  }
});

/** The picker's detail: the rows after the list's last row (the block after the blank line). */
function lastBlock(frame: string): string {
  const rows = frame.replace(/\n+$/, '').split('\n');
  const blank = rows.map((row) => row.trim() === '').lastIndexOf(true);
  return rows.slice(blank + 1).join('\n');
}

describe('the lab at 80 columns in Korean', () => {
  let lab: Lab | undefined;
  afterEach(() => lab?.unmount());

  it('shows the third hint of the first scenario whole', async () => {
    lab = renderLab({ lang: 'ko', columns: 80, rows: 24 });
    await lab.waitFor('시나리오 선택');
    await lab.type(KEY.enter);
    await lab.waitFor('60초 루틴');
    await lab.type('h', 'h', 'h');
    const frame = await lab.waitFor('힌트 3/3');
    const first = scenarios.slice().sort((a, b) => a.order - b.order)[0];
    expect(letters(frame)).toContain(letters(pick(first.hints[2], 'ko')));
  });
});

describe('the footer keeps every key it shows whole', () => {
  it('leaves out moving keys first, then wraps onto a second row; never cuts a key', () => {
    const ko = 'Enter 실행 · y 복사 · Tab 창 · h 힌트 · d 진단 · f 수정 · v 검증 · ? 키 · q 종료';
    expect(fitKeys(ko, 80)).toEqual([' Enter 실행 · y 복사 · h 힌트 · d 진단 · f 수정 · v 검증 · ? 키 · q 종료']);
    const narrow = fitKeys(ko, 40);
    expect(narrow.length).toBe(2);
    for (const row of narrow) expect(cells(row)).toBeLessThanOrEqual(40);
    expect(narrow.join(' · ')).not.toContain('…');
    expect(narrow.join(' ').replace(/\s+/g, ' ')).toContain('v 검증 · ? 키');
    const cluster = fitKeys('r retry · d delete the cluster (crashlab down) · b browse (read-only) · ? keys · q quit', 80);
    expect(cluster).toEqual([' r retry · d delete the cluster (crashlab down) · b browse (read-only) · ? keys', ' q quit']);
  });
});

describe('the routine pane, whole at every width (#24 follow-up)', () => {
  const steps: LabRoutineStep[] = routineSteps({ namespace: 'crashlab-oom', pod: 'web-7d9f8b6c5-x2x9q', container: 'app', context: '' }).map((step) => ({
    ...step,
    run: async () => ({ exitCode: 0, stdout: '', stderr: '' }) as never,
  }));

  for (const lang of LANGS) {
    it(`every step title and the selected step's explanation (${lang}) at ${WIDTHS.join(', ')} columns`, () => {
      for (const columns of WIDTHS) {
        // 24 rows: the smallest terminal the lab is used in.
        const layout = labLayout({ columns, height: 24 });
        const width = layout.routineWidth - 4;
        steps.forEach((step, cursor) => {
          const routine = routineRows(steps, cursor, [], width, lang);
          const start = routineWindow(routine, layout.paneHeight - 3);
          const shown = routine.rows.slice(start, start + layout.paneHeight - 3).map((r) => r.text);
          const frame = renderToString(
            <Box flexDirection="column" width={width}>
              {shown.map((row, i) => (
                <Text key={i} wrap="truncate-end">
                  {row}
                </Text>
              ))}
            </Box>,
            { columns: width },
          );
          const where = `${step.id} ${lang} @${columns}`;
          // The selected step's title and its whole explanation are on screen.
          expectWhole(pick(step.title, lang), frame, width, `${where} title`);
          expectWhole(pick(step.why, lang), frame, width, `${where} why`);
        });
        // Every title, whole, somewhere in the list (the window scrolls with the selection).
        const all = routineRows(steps, 0, [], width, lang).rows.map((r) => r.text).join('\n');
        for (const step of steps) expect(letters(all), `${step.id} ${lang} @${columns}`).toContain(letters(pick(step.title, lang)));
      }
    });
  }
});

describe('the picker: a cell the table cuts is whole on screen for the selected row', () => {
  for (const lang of LANGS) {
    it(`every scenario's title and category (${lang}) at ${WIDTHS.join(', ')} columns`, () => {
      let wholeRows = 0;
      for (const v of visibleScenarios(scenarios, '', false, lang)) {
        // Done: the only state in which the picker names the category (see showsCategory).
        const progress = { scenarios: { [v.scenario.id]: { completed: true, bestSeconds: 95 } } } as never;
        const category = pick(categoryOf(v.scenario.category).title, lang);
        for (const columns of WIDTHS) {
          const frame = renderToString(
            <PickerScreen lang={lang} scenarios={scenarios} visible={[v]} cursor={0} filter="" filtering={false} mystery={false} progress={progress} width={columns} height={40} />,
            { columns },
          );
          const where = `${v.scenario.id} ${lang} @${columns}`;
          for (const row of frame.split('\n')) expect(cells(row), `${where}: ${row}`).toBeLessThanOrEqual(columns);
          expect(letters(frame), `${where}: title`).toContain(letters(v.label));
          expect(letters(frame), `${where}: category`).toContain(letters(category));
          if (frame.includes('…')) wholeRows++;
        }
      }
      // The test sees cut cells at all (else it proves nothing): Korean and English category names exceed 22 columns.
      expect(wholeRows).toBeGreaterThan(0);
    });
  }
});
