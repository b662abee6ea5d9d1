// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import PayinTextField from '../src/components/PayinTextField.vue';
import { elementsWithStyle, expectNoAxeViolations } from './axe.js';

describe('PayinTextField', () => {
  it('labels its input', () => {
    const wrapper = mount(PayinTextField, { props: { label: 'Email' } });
    const input = wrapper.get('input');
    const label = wrapper.get('label');
    expect(label.text()).toBe('Email');
    expect(input.attributes('id')).toBeTruthy();
    expect(label.attributes('for')).toBe(input.attributes('id'));
    expect(input.attributes('aria-describedby')).toBeUndefined();
    expect(input.attributes('aria-invalid')).toBeUndefined();
  });

  it('v-model: shows the value and emits what is typed', async () => {
    const wrapper = mount(PayinTextField, { props: { label: 'Name', modelValue: 'Ada' } });
    const input = wrapper.get('input');
    expect((input.element as HTMLInputElement).value).toBe('Ada');
    await input.setValue('Ada Lovelace');
    expect(wrapper.emitted('update:modelValue')).toEqual([['Ada Lovelace']]);
    await wrapper.setProps({ modelValue: 'Grace' });
    expect((input.element as HTMLInputElement).value).toBe('Grace');
  });

  it('ties hint and error to the input with aria-describedby and aria-invalid', async () => {
    const wrapper = mount(PayinTextField, {
      props: { label: 'Email', id: 'email', hint: 'For the receipt' },
    });
    const input = wrapper.get('input');
    expect(input.attributes('aria-describedby')).toBe('email-hint');
    expect(wrapper.get('#email-hint').text()).toBe('For the receipt');
    await wrapper.setProps({ error: 'Enter an email address' });
    expect(input.attributes('aria-describedby')).toBe('email-hint email-error');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('#email-error').text()).toBe('Enter an email address');
    await wrapper.setProps({ error: undefined });
    expect(input.attributes('aria-invalid')).toBeUndefined();
    expect(wrapper.find('#email-error').exists()).toBe(false);
  });

  it('passes autocomplete, inputmode, type and other attributes to the input', () => {
    const wrapper = mount(PayinTextField, {
      props: {
        label: 'Postcode',
        autocomplete: 'postal-code',
        inputmode: 'numeric',
        type: 'text',
        required: true,
      },
      attrs: { name: 'postcode', maxlength: '10', class: 'x' },
    });
    const input = wrapper.get('input');
    expect(input.attributes('autocomplete')).toBe('postal-code');
    expect(input.attributes('inputmode')).toBe('numeric');
    expect(input.attributes('name')).toBe('postcode');
    expect(input.attributes('maxlength')).toBe('10');
    expect(input.attributes('required')).toBeDefined();
    expect(wrapper.get('.payin-field').attributes('name')).toBeUndefined();
  });

  it('gives two fields of one app different ids', () => {
    const wrapper = mount({
      components: { PayinTextField },
      template: '<div><PayinTextField label="A" /><PayinTextField label="B" /></div>',
    });
    const [a, b] = wrapper.findAll('input').map((input) => input.attributes('id'));
    expect(a).toMatch(/^payin-field-/);
    expect(a).not.toBe(b);
    expect(wrapper.findAll('label').map((label) => label.attributes('for'))).toEqual([a, b]);
  });

  it('renders no style attribute and has no axe violations (with hint and error)', async () => {
    const wrapper = mount(PayinTextField, {
      props: {
        label: 'Email',
        hint: 'For the receipt',
        error: 'Required',
        autocomplete: 'email',
        type: 'email',
      },
      attachTo: document.body,
    });
    expect(elementsWithStyle(wrapper.element)).toEqual([]);
    await expectNoAxeViolations(wrapper.element);
    wrapper.unmount();
  });
});
