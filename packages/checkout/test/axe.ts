import axe from 'axe-core';
import { expect } from 'vitest';

/**
 * axe-core on `element`, failing with the rules and nodes of any violation. `color-contrast`
 * is off as in the design system's tests: it needs a renderer; the tokens' test covers it.
 * `iframes: false` checks the frame elements without going into them (a stand-in window
 * cannot answer axe's messages).
 */
export async function expectNoAxeViolations(
  element: Element,
  options: { iframes?: boolean } = {},
): Promise<void> {
  const results = await axe.run(element, {
    ...options,
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.html}`).join('\n')}`,
  );
  expect(summary).toEqual([]);
}
