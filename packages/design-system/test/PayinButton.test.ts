// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import PayinButton from '../src/components/PayinButton.vue';
import { elementsWithStyle, expectNoAxeViolations } from './axe.js';

describe('PayinButton', () => {
  it('emits click, as a primary type="button" by default', async () => {
    const wrapper = mount(PayinButton, { slots: { default: 'Pay €19.99' } });
    expect(wrapper.element.tagName).toBe('BUTTON');
    expect(wrapper.attributes('type')).toBe('button');
    expect(wrapper.classes()).toEqual(expect.arrayContaining(['payin-button', 'payin-button--primary']));
    expect(wrapper.attributes('aria-busy')).toBeUndefined();
    await wrapper.trigger('click');
    expect(wrapper.emitted('click')).toHaveLength(1);
  });

  it('secondary variant, submit type, full width', () => {
    const wrapper = mount(PayinButton, {
      props: { variant: 'secondary', type: 'submit', block: true },
      slots: { default: 'Back' },
    });
    expect(wrapper.classes()).toEqual(
      expect.arrayContaining(['payin-button--secondary', 'payin-button--block']),
    );
    expect(wrapper.attributes('type')).toBe('submit');
  });

  it('loading: busy, still focusable, shows a spinner hidden from assistive technology, swallows clicks', async () => {
    const wrapper = mount(PayinButton, {
      props: { loading: true },
      slots: { default: 'Pay' },
      attachTo: document.body,
    });
    expect(wrapper.attributes('aria-busy')).toBe('true');
    expect(wrapper.attributes('aria-disabled')).toBe('true');
    expect(wrapper.attributes('disabled')).toBeUndefined();
    const spinner = wrapper.get('.payin-spinner');
    expect(spinner.attributes('aria-hidden')).toBe('true');
    expect(spinner.attributes('role')).toBeUndefined();
    (wrapper.element as HTMLButtonElement).focus();
    expect(document.activeElement).toBe(wrapper.element);
    await wrapper.trigger('click');
    expect(wrapper.emitted('click')).toBeUndefined();
    await wrapper.setProps({ loading: false });
    expect(wrapper.find('.payin-spinner').exists()).toBe(false);
    await wrapper.trigger('click');
    expect(wrapper.emitted('click')).toHaveLength(1);
    wrapper.unmount();
  });

  it('disabled: native attribute, no click', async () => {
    const wrapper = mount(PayinButton, { props: { disabled: true }, slots: { default: 'Pay' } });
    expect((wrapper.element as HTMLButtonElement).disabled).toBe(true);
    await wrapper.trigger('click');
    expect(wrapper.emitted('click')).toBeUndefined();
  });

  it('renders no style attribute and has no axe violations', async () => {
    for (const props of [{}, { variant: 'secondary' as const }, { loading: true }, { disabled: true }]) {
      const wrapper = mount(PayinButton, { props, slots: { default: 'Pay' }, attachTo: document.body });
      expect(elementsWithStyle(wrapper.element)).toEqual([]);
      await expectNoAxeViolations(wrapper.element);
      wrapper.unmount();
    }
  });
});
