// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import PayinSpinner from '../src/components/PayinSpinner.vue';
import { elementsWithStyle, expectNoAxeViolations } from './axe.js';

describe('PayinSpinner', () => {
  it('is a status with a visually hidden label', () => {
    const wrapper = mount(PayinSpinner, { props: { label: 'Confirming your payment' } });
    expect(wrapper.attributes('role')).toBe('status');
    const label = wrapper.get('.payin-visually-hidden');
    expect(label.text()).toBe('Confirming your payment');
    expect(wrapper.get('svg').attributes('aria-hidden')).toBe('true');
    expect(mount(PayinSpinner).get('.payin-visually-hidden').text()).toBe('Loading');
  });

  it('decorative: hidden, no role, no label', () => {
    const wrapper = mount(PayinSpinner, { props: { decorative: true } });
    expect(wrapper.attributes('aria-hidden')).toBe('true');
    expect(wrapper.attributes('role')).toBeUndefined();
    expect(wrapper.find('.payin-visually-hidden').exists()).toBe(false);
  });

  it('renders no style attribute and has no axe violations', async () => {
    const wrapper = mount(PayinSpinner, { attachTo: document.body });
    expect(elementsWithStyle(wrapper.element)).toEqual([]);
    await expectNoAxeViolations(wrapper.element);
    wrapper.unmount();
  });
});
