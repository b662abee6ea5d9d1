// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import PayinAlert from '../src/components/PayinAlert.vue';
import { elementsWithStyle, expectNoAxeViolations } from './axe.js';

describe('PayinAlert', () => {
  it('is an alert for errors and a status otherwise', () => {
    const error = mount(PayinAlert, { props: { variant: 'error' }, slots: { default: 'Card declined' } });
    expect(error.attributes('role')).toBe('alert');
    expect(error.classes()).toContain('payin-alert--error');
    for (const variant of ['info', 'success'] as const) {
      const wrapper = mount(PayinAlert, { props: { variant }, slots: { default: 'Saved' } });
      expect(wrapper.attributes('role')).toBe('status');
      expect(wrapper.classes()).toContain(`payin-alert--${variant}`);
    }
    expect(mount(PayinAlert, { slots: { default: 'x' } }).attributes('role')).toBe('status');
  });

  it('renders its title and body and no style attribute', () => {
    const wrapper = mount(PayinAlert, {
      props: { variant: 'success', title: 'Payment received' },
      slots: { default: 'A receipt is on its way.' },
    });
    expect(wrapper.get('.payin-alert__title').text()).toBe('Payment received');
    expect(wrapper.get('.payin-alert__body').text()).toBe('A receipt is on its way.');
    expect(elementsWithStyle(wrapper.element)).toEqual([]);
  });

  it('has no axe violations', async () => {
    for (const variant of ['info', 'success', 'error'] as const) {
      const wrapper = mount(PayinAlert, {
        props: { variant, title: 'Title' },
        slots: { default: 'Body' },
        attachTo: document.body,
      });
      await expectNoAxeViolations(wrapper.element);
      wrapper.unmount();
    }
  });
});
