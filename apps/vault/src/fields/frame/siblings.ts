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
 * merchant's page. A channel does not hear its own messages: the fields of one frame hear each
 * other's from here, later in the same way (a microtask), so that a field never cares whether
 * another is in its frame or in a sibling.
 */
export function joinSiblings(session: string): SiblingBus {
  const channel = new BroadcastChannel(`payin:${session}`);
  const handlers = new Set<(message: SiblingMessage) => void>();
  const deliver = (message: SiblingMessage) => {
    for (const handler of [...handlers]) handler(message);
  };
  channel.onmessage = (event: MessageEvent) => {
    const message = event.data as SiblingMessage | null;
    if (typeof message?.t !== 'string') return;
    deliver(message);
  };
  return {
    post(message) {
      channel.postMessage(message);
      queueMicrotask(() => deliver(message));
    },
    on(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
}
