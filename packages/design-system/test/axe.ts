import axe from 'axe-core';
import { expect } from 'vitest';

/**
 * Runs axe-core on `element` and fails with the rule ids and nodes of any violation.
 * `color-contrast` is off: it needs layout and painted colours, which a DOM without a renderer
 * does not have (axe reports it "incomplete" at best). Contrast is checked on the tokens
 * themselves in tokens.test.ts.
 */
export async function expectNoAxeViolations(element: Element): Promise<void> {
  const results = await axe.run(element, {
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.html}`).join('\n')}`,
  );
  expect(summary).toEqual([]);
}

/** Every element under `root` (itself included) that carries a `style` attribute. */
export function elementsWithStyle(root: Element): Element[] {
  return [...(root.matches('[style]') ? [root] : []), ...root.querySelectorAll('[style]')];
}
