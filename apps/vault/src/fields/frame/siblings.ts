/// <reference lib="dom" />
import type { SiblingMessage } from '../protocol.js';

export interface SiblingBus {
  post(message: SiblingMessage): void;
  /** Listens to the other frames; returns a function that stops listening. */
  on(handler: (message: SiblingMessage) => void): () => void;
}

/**
 * The frames of one mount talk over a BroadcastChannel named after the mount's session. Only
 * documents of the vault's origin (and, with storage partitioning, under the same top-level
 * site) can join it, so card values gathered for tokenization never pass through the
 * merchant's page.
 */
export function joinSiblings(session: string): SiblingBus {
  const channel = new BroadcastChannel(`payin:${session}`);
  const handlers = new Set<(message: SiblingMessage) => void>();
  channel.onmessage = (event: MessageEvent) => {
    const message = event.data as SiblingMessage | null;
    if (typeof message?.t !== 'string') return;
    for (const handler of handlers) handler(message);
  };
  return {
    post: (message) => channel.postMessage(message),
    on(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
}
