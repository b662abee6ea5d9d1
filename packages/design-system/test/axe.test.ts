// @vitest-environment happy-dom
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';

// The component tests expect zero violations: this shows that axe does find them in this DOM.
describe('axe-core under happy-dom', () => {
  it('reports an unlabelled input, a nameless button and a radio without aria-checked', async () => {
    const container = document.createElement('div');
    container.innerHTML =
      '<input type="text"><button type="button"></button><div role="radiogroup"><div role="radio">x</div></div>';
    document.body.append(container);
    const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    const ids = results.violations.map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['label', 'button-name', 'aria-required-attr']));
    container.remove();
  });
});
