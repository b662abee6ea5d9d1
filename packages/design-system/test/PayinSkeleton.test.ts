// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import PayinSkeleton from '../src/components/PayinSkeleton.vue';
import { elementsWithStyle, expectNoAxeViolations } from './axe.js';

describe('PayinSkeleton', () => {
  it('is hidden from assistive technology and reserves its height with a class', () => {
    const wrapper = mount(PayinSkeleton, { props: { variant: 'card-field' } });
    expect(wrapper.attributes('aria-hidden')).toBe('true');
    expect(wrapper.classes()).toEqual(['payin-skeleton', 'payin-skeleton--card-field']);
    expect(wrapper.findAll('.payin-skeleton__bar')).toHaveLength(1);
  });

  it('text: one bar per line; other variants: one bar', () => {
    expect(mount(PayinSkeleton, { props: { lines: 3 } }).findAll('.payin-skeleton__bar')).toHaveLength(3);
    expect(mount(PayinSkeleton, { props: { lines: 0 } }).findAll('.payin-skeleton__bar')).toHaveLength(1);
    const control = mount(PayinSkeleton, { props: { variant: 'control', lines: 3 } });
    expect(control.classes()).toContain('payin-skeleton--control');
    expect(control.findAll('.payin-skeleton__bar')).toHaveLength(1);
  });

  it('renders no style attribute and has no axe violations', async () => {
    const wrapper = mount(PayinSkeleton, { props: { lines: 2 }, attachTo: document.body });
    expect(elementsWithStyle(wrapper.element)).toEqual([]);
    await expectNoAxeViolations(wrapper.element);
    wrapper.unmount();
  });
});
