import type { BrandState, FieldState } from '../protocol.js';

/** Field names as the merchant writes them in `mount()`'s options. */
export type PublicField = 'number' | 'expiry' | 'cvc' | 'holderName';

/** What the merchant's page hears: states and the brand, never a value the shopper typed. */
export interface FieldEvents {
  ready: { field: PublicField };
  change: { field: PublicField } & FieldState;
  focus: { field: PublicField };
  blur: { field: PublicField };
  brand: { field: 'number' } & BrandState;
  validity: { valid: boolean; fields: Partial<Record<PublicField, boolean>> };
}

export type Handler<K extends keyof FieldEvents> = (payload: FieldEvents[K]) => void;

/** A small event emitter: a merchant's throwing handler does not stop the others. */
export function createEmitter() {
  const handlers = new Map<keyof FieldEvents, Set<(payload: never) => void>>();
  return {
    on<K extends keyof FieldEvents>(name: K, handler: Handler<K>): () => void {
      const set = handlers.get(name) ?? new Set();
      handlers.set(name, set);
      set.add(handler as (payload: never) => void);
      return () => set.delete(handler as (payload: never) => void);
    },
    emit<K extends keyof FieldEvents>(name: K, payload: FieldEvents[K]): void {
      for (const handler of handlers.get(name) ?? []) {
        try {
          (handler as Handler<K>)(payload);
        } catch (error) {
          setTimeout(() => {
            throw error;
          });
        }
      }
    },
    clear: () => handlers.clear(),
  };
}
