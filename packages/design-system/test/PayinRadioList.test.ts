// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import PayinRadioList from '../src/components/PayinRadioList.vue';
import { elementsWithStyle, expectNoAxeViolations } from './axe.js';

const methods = [
  { value: 'card', label: 'Card', description: 'Visa, Mastercard, Cartes Bancaires' },
  { value: 'paypal', label: 'PayPal' },
  { value: 'ideal', label: 'iDEAL', description: 'Dutch banks' },
];

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PayinRadioList', () => {
  it('is a radiogroup named by its label, each radio named and described by its option', () => {
    const wrapper = mount(PayinRadioList, {
      props: { label: 'Payment method', options: methods, modelValue: 'card', id: 'pm' },
    });
    const group = wrapper.get('[role="radiogroup"]');
    expect(group.attributes('aria-labelledby')).toBe('pm-label');
    expect(wrapper.get('#pm-label').text()).toBe('Payment method');
    const radios = wrapper.findAll('[role="radio"]');
    expect(radios).toHaveLength(3);
    expect(radios.map((r) => r.attributes('aria-checked'))).toEqual(['true', 'false', 'false']);
    expect(radios[0]?.attributes('aria-labelledby')).toBe('pm-0-label');
    expect(radios[0]?.attributes('aria-describedby')).toBe('pm-0-description');
    expect(wrapper.get('#pm-0-description').text()).toBe('Visa, Mastercard, Cartes Bancaires');
    expect(radios[1]?.attributes('aria-describedby')).toBeUndefined();
  });

  it('v-model: a click selects', async () => {
    const wrapper = mount(PayinRadioList, { props: { label: 'Payment method', options: methods } });
    await wrapper.findAll('[role="radio"]')[1]?.trigger('click');
    expect(wrapper.emitted('update:modelValue')).toEqual([['paypal']]);
  });

  it('one tab stop: the group, which hands focus to the checked radio; arrow keys move and select', async () => {
    const model = ref('card');
    const wrapper = mount(
      {
        components: { PayinRadioList },
        setup: () => ({ model, methods }),
        template: '<PayinRadioList v-model="model" label="Payment method" :options="methods" />',
      },
      { attachTo: document.body },
    );
    await flushPromises();
    const radios = wrapper.findAll('[role="radio"]');
    const group = wrapper.get('[role="radiogroup"]');
    expect(group.attributes('tabindex')).toBe('0');
    expect(radios.map((r) => r.attributes('tabindex'))).toEqual(['-1', '-1', '-1']);
    (group.element as HTMLElement).focus();
    await flushPromises();
    expect(document.activeElement).toBe(radios[0]?.element);
    await radios[0]?.trigger('keydown', { key: 'ArrowDown' });
    await wait(10);
    await flushPromises();
    expect(document.activeElement).toBe(radios[1]?.element);
    expect(model.value).toBe('paypal');
    await radios[1]?.trigger('keydown', { key: 'ArrowUp' });
    await wait(10);
    await flushPromises();
    expect(document.activeElement).toBe(radios[0]?.element);
    expect(model.value).toBe('card');
    wrapper.unmount();
  });

  it('error: aria-invalid and described by the message', () => {
    const wrapper = mount(PayinRadioList, {
      props: { label: 'Payment method', options: methods, id: 'pm', hint: 'All in EUR', error: 'Choose one' },
    });
    const group = wrapper.get('[role="radiogroup"]');
    expect(group.attributes('aria-describedby')).toBe('pm-hint pm-error');
    expect(group.attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('#pm-error').text()).toBe('Choose one');
  });

  it("renders no style attribute but Reka's outline reset, and has no axe violations", async () => {
    const wrapper = mount(PayinRadioList, {
      props: {
        label: 'Payment method',
        options: methods,
        modelValue: 'paypal',
        hint: 'Hint',
        error: 'Error',
      },
      attachTo: document.body,
    });
    // Reka's RovingFocusGroup binds `outline: none` on the group; Vue applies it through CSSOM
    // (element.style), which a CSP without 'unsafe-inline' allows. Nothing else has a style.
    const styled = elementsWithStyle(wrapper.element);
    expect(styled.map((el) => el.getAttribute('role'))).toEqual(['radiogroup']);
    expect((styled[0] as HTMLElement).style.outlineStyle).toBe('none');
    await expectNoAxeViolations(wrapper.element);
    wrapper.unmount();
  });
});
