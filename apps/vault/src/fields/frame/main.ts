/// <reference lib="dom" />
import type { ErrorCode } from '../messages/index.js';
import type { FieldName, FieldState, FrameConfig, FrameToParent } from '../protocol.js';
import { controlField, type FieldControl } from './field.js';
import { cvcBehaviour } from './fields/cvc.js';
import { expiryBehaviour } from './fields/expiry.js';
import { holderNameBehaviour } from './fields/holder-name.js';
import { type NumberField, numberField } from './fields/number.js';
import { connectToParent } from './messaging.js';
import { joinSiblings } from './siblings.js';
import { createTokenizer } from './tokenize.js';
import { applyAppearance } from './view.js';

/**
 * The frame page's script: the fields the vault rendered the page for, one (a field per frame)
 * or several (the card in one frame, which lets the browser autofill it in one go).
 */
const config = JSON.parse(document.getElementById('payin-config')?.textContent ?? '{}') as FrameConfig;
const { fields, messages } = config;
const bus = joinSiblings(config.session);
// The expiry and the CVC side by side when this frame holds both (frameRows counts one row).
const paired = fields.includes('expiry') && fields.includes('cvc');

let send = (_message: FrameToParent) => {};

const controls = new Map<FieldName, FieldControl>();
let number: NumberField | undefined;
for (const field of fields) {
  const report = (state: FieldState) => send({ type: 'change', field, state });
  let control: FieldControl;
  if (field === 'number') {
    number = numberField(messages, bus, report, (brand) => send({ type: 'brand', ...brand }));
    control = number.control;
  } else if (field === 'cvc') {
    control = controlField(
      field,
      messages,
      cvcBehaviour(bus, () => control.refresh()),
      report,
      paired,
    );
  } else {
    const behaviour = field === 'expiry' ? expiryBehaviour : holderNameBehaviour;
    control = controlField(field, messages, behaviour, report, paired && field === 'expiry');
  }
  const { input } = control.view;
  input.addEventListener('focus', () => send({ type: 'focus', field }));
  input.addEventListener('blur', () => send({ type: 'blur', field }));
  controls.set(field, control);
}
const tokenize = number && createTokenizer(config, bus, number);

bus.on((message) => {
  if (message.t === 'collect') {
    // The number's frame reads its own field; every other field answers for itself.
    for (const [field, control] of controls) {
      if (field !== 'number') bus.post({ t: 'value', id: message.id, field, value: control.value() });
    }
  } else if (message.t === 'show') {
    const control = controls.get(message.field);
    const known = message.code !== null && message.code in messages.errors;
    control?.show(known ? (message.code as ErrorCode) : null, message.message);
  }
});
bus.post({ t: 'join', fields });

let runTokenize: ((id: number) => void) | undefined;
connectToParent(
  config,
  (connect, port) => {
    applyAppearance(connect.appearance);
    for (const [field, control] of controls) {
      control.view.setLabel(connect.labels?.[field], connect.hideLabels === true);
    }
    send = port;
    send({ type: 'ready' });
    for (const [field, control] of controls) send({ type: 'change', field, state: control.state() });
    if (number) send({ type: 'brand', ...number.brand() });
    if (tokenize) {
      const all = connect.fields.includes('number') ? connect.fields : ['number' as const];
      runTokenize = (id) => tokenize(all).then((outcome) => send({ type: 'result', id, ...outcome }));
    }
  },
  (message) => runTokenize?.(message.id),
);
