import React from 'react';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Frame } from '../../../../src/tui/screens/frame.js';
import { initialFlow } from '../../../../src/tui/flow.js';
import { t } from '../../../../src/tui/i18n.js';

const words = (text: string) => text.split(/\s+/).filter(Boolean);

// The y/n questions above the keys are whole at any width (they used to be cut at 80 columns).
describe('the frame’s questions', () => {
  for (const lang of ['en', 'ko'] as const) {
    for (const width of [60, 80]) {
      it(`quit, solve and redeploy questions are whole at ${width} columns (${lang})`, () => {
        for (const [key, prop] of [
          ['quit.question', 'quitQuestion'],
          ['fix.solveQuestion', 'solveQuestion'],
          ['picker.redeployQuestion', 'redeployQuestion'],
        ] as const) {
          const props = { quitQuestion: false, solveQuestion: false, redeployQuestion: false, [prop]: true };
          const { lastFrame, unmount } = render(
            <Frame lang={lang} flow={{ ...initialFlow, screen: 'picker' }} mystery={false} now={0} width={width} height={24} keys="q quit" {...props}>
              <Text>body</Text>
            </Frame>,
          );
          const frame = words(lastFrame() ?? '').join(' ');
          expect(frame).toContain(words(`${t(lang, key)} [y/n]`).join(' '));
          unmount();
        }
      });
    }
  }
});
