/// <reference lib="dom" />
import type { ErrorCode } from '../messages/index.js';
import type { FieldState, FrameConfig, FrameToParent } from '../protocol.js';
import { controlField, type FieldControl } from './field.js';
import { cvcBehaviour } from './fields/cvc.js';
import { expiryBehaviour } from './fields/expiry.js';
import { holderNameBehaviour } from './fields/holder-name.js';
import { type NumberField, numberField } from './fields/number.js';
import { connectToParent } from './messaging.js';
import { joinSiblings } from './siblings.js';
import { createTokenizer } from './tokenize.js';
import { applyAppearance } from './view.js';

/** The frame page's script: one field, chosen by the vault when it rendered the page. */
const config = JSON.parse(document.getElementById('payin-config')?.textContent ?? '{}') as FrameConfig;
const { field, messages } = config;
const bus = joinSiblings(config.session);

let send = (_message: FrameToParent) => {};
const report = (state: FieldState) => send({ type: 'change', state });

let control: FieldControl;
let number: NumberField | undefined;
if (field === 'number') {
  number = numberField(messages, bus, report, (brand) => send({ type: 'brand', ...brand }));
  control = number.control;
} else if (field === 'cvc') {
  control = controlField(
    field,
    messages,
    cvcBehaviour(bus, () => control.refresh()),
    report,
  );
} else {
  control = controlField(field, messages, field === 'expiry' ? expiryBehaviour : holderNameBehaviour, report);
}
const tokenize = number && createTokenizer(config, bus, number);

bus.on((message) => {
  if (message.t === 'collect' && field !== 'number') {
    bus.post({ t: 'value', id: message.id, field, value: control.value() });
  } else if (message.t === 'show' && message.field === field) {
    const known = message.code !== null && message.code in messages.errors;
    control.show(known ? (message.code as ErrorCode) : null, message.message);
  }
});
bus.post({ t: 'join', field });

const { input } = control.view;
input.addEventListener('focus', () => send({ type: 'focus' }));
input.addEventListener('blur', () => send({ type: 'blur' }));

let runTokenize: ((id: number) => void) | undefined;
connectToParent(
  config,
  (connect, port) => {
    applyAppearance(connect.appearance);
    control.view.setLabel(connect.label, connect.hideLabel === true);
    send = port;
    send({ type: 'ready' });
    send({ type: 'change', state: control.state() });
    if (number) send({ type: 'brand', ...number.brand() });
    if (tokenize) {
      const fields = connect.fields.includes('number') ? connect.fields : ['number' as const];
      runTokenize = (id) => tokenize(fields).then((outcome) => send({ type: 'result', id, ...outcome }));
    }
  },
  (message) => runTokenize?.(message.id),
);
