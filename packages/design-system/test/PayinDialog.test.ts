// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ref } from 'vue';
import PayinDialog from '../src/components/PayinDialog.vue';
import { elementsWithStyle, expectNoAxeViolations } from './axe.js';

const settle = async () => {
  await flushPromises();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await flushPromises();
};

function mountDialog(props: { description?: string } = { description: 'Your card will not be charged.' }) {
  const open = ref(false);
  const wrapper = mount(
    {
      components: { PayinDialog },
      setup: () => ({ open, props }),
      template: `
        <main>
          <PayinDialog v-model:open="open" title="Cancel payment?" v-bind="props">
            <template #trigger><button type="button" class="trigger">Cancel</button></template>
            <button type="button" class="confirm">Yes, cancel</button>
          </PayinDialog>
        </main>`,
    },
    { attachTo: document.body },
  );
  return { wrapper, open };
}

const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]');

describe('PayinDialog', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('opens from its trigger, titled and described, with focus moved inside', async () => {
    const { wrapper, open } = mountDialog();
    expect(dialog()).toBeNull();
    const trigger = wrapper.get('.trigger');
    expect(trigger.attributes('aria-haspopup')).toBe('dialog');
    expect(trigger.attributes('aria-expanded')).toBe('false');
    await trigger.trigger('click');
    await settle();
    expect(open.value).toBe(true);
    const el = dialog();
    expect(el).not.toBeNull();
    expect(trigger.attributes('aria-expanded')).toBe('true');
    const title = document.getElementById(el?.getAttribute('aria-labelledby') ?? '');
    expect(title?.textContent).toBe('Cancel payment?');
    const description = document.getElementById(el?.getAttribute('aria-describedby') ?? '');
    expect(description?.textContent).toBe('Your card will not be charged.');
    expect(el?.contains(document.activeElement)).toBe(true);
    wrapper.unmount();
  });

  it('Escape closes it and focus returns to the trigger', async () => {
    const { wrapper, open } = mountDialog();
    const trigger = wrapper.get('.trigger');
    (trigger.element as HTMLElement).focus();
    await trigger.trigger('click');
    await settle();
    expect(dialog()).not.toBeNull();
    document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();
    expect(open.value).toBe(false);
    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(trigger.element);
    wrapper.unmount();
  });

  it('the close button closes it', async () => {
    const { wrapper, open } = mountDialog();
    await wrapper.get('.trigger').trigger('click');
    await settle();
    const close = document.querySelector<HTMLButtonElement>('.payin-dialog__close');
    expect(close?.getAttribute('aria-label')).toBe('Close');
    close?.click();
    await settle();
    expect(open.value).toBe(false);
    expect(dialog()).toBeNull();
    wrapper.unmount();
  });

  it('traps focus: Tab from the last element goes to the first, Shift+Tab from the first to the last', async () => {
    const { wrapper } = mountDialog();
    await wrapper.get('.trigger').trigger('click');
    await settle();
    const confirm = document.querySelector<HTMLElement>('.confirm');
    const close = document.querySelector<HTMLElement>('.payin-dialog__close');
    close?.focus();
    close?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
    await settle();
    expect(document.activeElement).toBe(confirm);
    confirm?.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true, cancelable: true }),
    );
    await settle();
    expect(document.activeElement).toBe(close);
    // Focus sent outside while open is pulled back in.
    (wrapper.get('.trigger').element as HTMLElement).focus();
    await settle();
    expect(dialog()?.contains(document.activeElement)).toBe(true);
    wrapper.unmount();
  });

  it('without a description, it points aria-describedby at nothing missing', async () => {
    const { wrapper } = mountDialog({});
    await wrapper.get('.trigger').trigger('click');
    await settle();
    const describedBy = dialog()?.getAttribute('aria-describedby');
    if (describedBy) expect(document.getElementById(describedBy)).not.toBeNull();
    expect(document.querySelector('.payin-dialog__description')).toBeNull();
    wrapper.unmount();
  });

  it("renders no style attribute of its own (only Reka's pointer-events) and has no axe violations", async () => {
    for (const props of [{ description: 'Your card will not be charged.' }, {}]) {
      const { wrapper } = mountDialog(props);
      await wrapper.get('.trigger').trigger('click');
      await settle();
      // Reka's modal layer binds `pointer-events` on the overlay and the content (it turns them off
      // on <body> meanwhile); Vue applies them through CSSOM, which a strict CSP allows.
      for (const el of elementsWithStyle(document.body)) {
        if (el === document.body) continue;
        const style = (el as HTMLElement).style;
        expect([...Array.from({ length: style.length }, (_, i) => style.item(i))]).toEqual([
          'pointer-events',
        ]);
      }
      // axe runs on the dialog, the part this component renders. While it is open Reka hides the
      // rest of the page with aria-hidden (and traps focus); axe's aria-hidden-focus would flag the
      // page's own trigger button there, which the focus trap test above shows is unreachable.
      const el = dialog();
      expect(el).not.toBeNull();
      await expectNoAxeViolations(el as HTMLElement);
      wrapper.unmount();
      document.body.innerHTML = '';
    }
  });
});
