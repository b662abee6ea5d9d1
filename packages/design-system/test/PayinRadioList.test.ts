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

const checked = (inputs: HTMLInputElement[]): boolean[] => inputs.map((input) => input.checked);

describe('PayinRadioList', () => {
  it('is a fieldset named by its legend, each native radio named and described by its option', () => {
    const wrapper = mount(PayinRadioList, {
      props: { label: 'Payment method', options: methods, modelValue: 'card', id: 'pm' },
    });
    const group = wrapper.get('fieldset');
    expect(group.attributes('role')).toBe('radiogroup');
    expect(group.attributes('aria-labelledby')).toBe('pm-label');
    expect(wrapper.get('legend').attributes('id')).toBe('pm-label');
    expect(wrapper.get('legend').text()).toBe('Payment method');
    const radios = wrapper.findAll('input');
    expect(radios.map((r) => r.attributes('type'))).toEqual(['radio', 'radio', 'radio']);
    expect(checked(radios.map((r) => r.element as HTMLInputElement))).toEqual([true, false, false]);
    expect(radios[0]?.attributes('aria-labelledby')).toBe('pm-0-label');
    expect(radios[0]?.attributes('aria-describedby')).toBe('pm-0-description');
    expect(wrapper.get('#pm-0-description').text()).toBe('Visa, Mastercard, Cartes Bancaires');
    expect(radios[1]?.attributes('aria-describedby')).toBeUndefined();
    // Each radio sits inside its <label>, so a tap anywhere on the row selects it.
    expect(radios.every((r) => r.element.parentElement?.tagName === 'LABEL')).toBe(true);
  });

  it('native semantics: one name for the group (one tab stop, arrow keys, form data), one checked', async () => {
    const model = ref('card');
    const wrapper = mount(
      {
        components: { PayinRadioList },
        setup: () => ({ model, methods }),
        template:
          '<form><PayinRadioList v-model="model" label="Payment method" :options="methods" required /></form>',
      },
      { attachTo: document.body },
    );
    const inputs = wrapper.findAll('input').map((r) => r.element as HTMLInputElement);
    const names = new Set(inputs.map((input) => input.name));
    expect(names.size).toBe(1);
    expect([...names][0]).not.toBe('');
    expect(inputs.map((input) => input.value)).toEqual(['card', 'paypal', 'ideal']);
    expect(inputs.every((input) => input.required)).toBe(true);
    expect(wrapper.get('fieldset').attributes('aria-required')).toBe('true');
    const form = wrapper.get('form').element as HTMLFormElement;
    expect(new FormData(form).get(inputs[0]?.name ?? '')).toBe('card');

    model.value = 'ideal';
    await flushPromises();
    expect(checked(inputs)).toEqual([false, false, true]);
    expect(new FormData(form).get(inputs[0]?.name ?? '')).toBe('ideal');
    wrapper.unmount();
  });

  it('v-model: a click on a radio or on its label selects, and unchecks the others', async () => {
    const wrapper = mount(PayinRadioList, {
      props: {
        label: 'Payment method',
        options: methods,
        modelValue: 'card',
        'onUpdate:modelValue': (value?: string) => wrapper.setProps({ modelValue: value }),
      },
      attachTo: document.body,
    });
    const inputs = wrapper.findAll('input').map((r) => r.element as HTMLInputElement);
    await wrapper.findAll('input')[1]?.trigger('click');
    expect(wrapper.emitted('update:modelValue')).toEqual([['paypal']]);
    expect(checked(inputs)).toEqual([false, true, false]);
    await wrapper.findAll('.payin-radio__description')[1]?.trigger('click');
    expect(wrapper.emitted('update:modelValue')).toEqual([['paypal'], ['ideal']]);
    expect(checked(inputs)).toEqual([false, false, true]);
    wrapper.unmount();
  });

  it('disabled: the whole fieldset, or one option', () => {
    const all = mount(PayinRadioList, {
      props: { label: 'Payment method', options: methods, disabled: true },
    });
    expect(all.get('fieldset').attributes('disabled')).toBeDefined();
    expect(all.findAll('input').every((r) => r.attributes('disabled') === undefined)).toBe(true);

    const one = mount(PayinRadioList, {
      props: {
        label: 'Payment method',
        options: [
          { value: 'card', label: 'Card' },
          { value: 'paypal', label: 'PayPal', disabled: true },
        ],
      },
    });
    expect(one.get('fieldset').attributes('disabled')).toBeUndefined();
    expect(one.findAll('input').map((r) => (r.element as HTMLInputElement).disabled)).toEqual([false, true]);
  });

  it('error: aria-invalid and described by the hint and the message', () => {
    const wrapper = mount(PayinRadioList, {
      props: { label: 'Payment method', options: methods, id: 'pm', hint: 'All in EUR', error: 'Choose one' },
    });
    const group = wrapper.get('[role="radiogroup"]');
    expect(group.attributes('aria-describedby')).toBe('pm-hint pm-error');
    expect(group.attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('#pm-hint').text()).toBe('All in EUR');
    expect(wrapper.get('#pm-error').text()).toBe('Choose one');
  });

  it('renders no style attribute and has no axe violations', async () => {
    const wrapper = mount(PayinRadioList, {
      props: {
        label: 'Payment method',
        options: [...methods, { value: 'klarna', label: 'Klarna', disabled: true }],
        modelValue: 'paypal',
        hint: 'Hint',
        error: 'Error',
        required: true,
      },
      attachTo: document.body,
    });
    expect(elementsWithStyle(wrapper.element)).toEqual([]);
    await expectNoAxeViolations(wrapper.element);
    wrapper.unmount();
  });
});
