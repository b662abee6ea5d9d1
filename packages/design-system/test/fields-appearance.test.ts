// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { applyAppearance } from '../../../apps/vault/src/fields/frame/view.js';
import { fieldsAppearance, tokens } from '../src/tokens.js';

describe('fieldsAppearance in the vault frame', () => {
  afterEach(() => document.documentElement.removeAttribute('style'));

  it("passes the frame's own validation: every value is applied", () => {
    applyAppearance(fieldsAppearance());
    const root = document.documentElement.style;
    expect(root.getPropertyValue('--payin-color-text')).toBe(tokens.color.text);
    expect(root.getPropertyValue('--payin-color-background')).toBe(tokens.color.surface);
    expect(root.getPropertyValue('--payin-color-danger')).toBe(tokens.color.danger);
    expect(root.getPropertyValue('--payin-color-border')).toBe(tokens.color.border);
    expect(root.getPropertyValue('--payin-color-focus')).toBe(tokens.color.focus);
    expect(root.getPropertyValue('--payin-color-placeholder')).toBe(tokens.color.placeholder);
    expect(root.getPropertyValue('--payin-font-family')).toBe(tokens.font.family);
    expect(root.getPropertyValue('--payin-font-size-base')).toBe(tokens.font.size.base);
    expect(root.getPropertyValue('--payin-border-radius')).toBe(tokens.radius.md);
  });

  it('a value the frame refuses is not applied (the check above can fail)', () => {
    applyAppearance({ ...fieldsAppearance(), fontFamily: 'x; background: url(https://e.test)' });
    expect(document.documentElement.style.getPropertyValue('--payin-font-family')).toBe('');
  });
});
