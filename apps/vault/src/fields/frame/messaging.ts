/// <reference lib="dom" />
import type { ConnectMessage, FrameConfig, FrameToParent, HelloMessage, ParentToFrame } from '../protocol.js';

export type Send = (message: FrameToParent) => void;

/**
 * The handshake with the merchant's page. The frame says hello to its parent, addressed to the
 * origin the vault validated against the merchant's registered origins (a parent of any other
 * origin never receives it). It accepts one `payin:connect` carrying a MessagePort, and only
 * from that origin and from its own parent window: a message from another frame or origin,
 * even one forged with the right shape, is ignored. After that the port is the only channel.
 */
export function connectToParent(
  config: FrameConfig,
  onConnect: (connect: ConnectMessage, send: Send) => void,
  onMessage: (message: ParentToFrame) => void,
): void {
  if (window.parent === window) return;
  const listener = (event: MessageEvent) => {
    if (event.origin !== config.parentOrigin || event.source !== window.parent) return;
    const data = event.data as Partial<ConnectMessage> | null;
    const port = event.ports[0];
    if (data?.type !== 'payin:connect' || data.session !== config.session || !port) return;
    window.removeEventListener('message', listener);
    port.onmessage = (e: MessageEvent) => {
      const message = e.data as ParentToFrame | null;
      if (message?.type === 'tokenize' && Number.isInteger(message.id)) onMessage(message);
    };
    onConnect(data as ConnectMessage, (message) => port.postMessage(message));
  };
  window.addEventListener('message', listener);
  const hello: HelloMessage = { type: 'payin:hello', session: config.session, fields: config.fields };
  window.parent.postMessage(hello, config.parentOrigin);
}
