// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import PayinSelect from '../src/components/PayinSelect.vue';
import { elementsWithStyle, expectNoAxeViolations } from './axe.js';

const countries = [
  { value: 'FR', label: 'France' },
  { value: 'DE', label: 'Germany' },
  { value: 'JP', label: 'Japan', disabled: true },
];

describe('PayinSelect', () => {
  it('is a labelled native select with its options', () => {
    const wrapper = mount(PayinSelect, {
      props: {
        label: 'Country',
        options: countries,
        placeholder: 'Choose a country',
        autocomplete: 'country',
      },
    });
    const select = wrapper.get('select');
    expect(wrapper.get('label').attributes('for')).toBe(select.attributes('id'));
    expect(select.attributes('autocomplete')).toBe('country');
    const options = wrapper.findAll('option');
    expect(options.map((o) => o.text())).toEqual(['Choose a country', 'France', 'Germany', 'Japan']);
    expect(options[0]?.attributes('disabled')).toBeDefined();
    expect(options[3]?.attributes('disabled')).toBeDefined();
  });

  it('v-model', async () => {
    const wrapper = mount(PayinSelect, { props: { label: 'Country', options: countries, modelValue: 'FR' } });
    const select = wrapper.get('select');
    expect((select.element as HTMLSelectElement).value).toBe('FR');
    await select.setValue('DE');
    expect(wrapper.emitted('update:modelValue')).toEqual([['DE']]);
  });

  it('ties hint and error with aria-describedby and aria-invalid', () => {
    const wrapper = mount(PayinSelect, {
      props: {
        label: 'Country',
        options: countries,
        id: 'country',
        hint: 'Of the card',
        error: 'Choose one',
      },
    });
    const select = wrapper.get('select');
    expect(select.attributes('aria-describedby')).toBe('country-hint country-error');
    expect(select.attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('#country-error').text()).toBe('Choose one');
  });

  it('renders no style attribute and has no axe violations', async () => {
    const wrapper = mount(PayinSelect, {
      props: { label: 'Country', options: countries, placeholder: 'Choose', hint: 'Hint', error: 'Error' },
      attachTo: document.body,
    });
    expect(elementsWithStyle(wrapper.element)).toEqual([]);
    await expectNoAxeViolations(wrapper.element);
    wrapper.unmount();
  });
});
