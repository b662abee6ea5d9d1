import { type ComputedRef, computed, useId } from 'vue';

/**
 * The ids of a form control and of its hint and error paragraphs, and the `aria-describedby`
 * that ties the two to it (undefined when neither is shown): the same for every field.
 */
export function useDescribedControl(
  props: { id?: string; hint?: string; error?: string },
  prefix: string,
): {
  controlId: ComputedRef<string>;
  hintId: ComputedRef<string>;
  errorId: ComputedRef<string>;
  describedBy: ComputedRef<string | undefined>;
} {
  const generatedId = useId();
  const controlId = computed(() => props.id ?? `${prefix}-${generatedId}`);
  const hintId = computed(() => `${controlId.value}-hint`);
  const errorId = computed(() => `${controlId.value}-error`);
  const describedBy = computed(
    () =>
      [props.hint ? hintId.value : null, props.error ? errorId.value : null].filter(Boolean).join(' ') ||
      undefined,
  );
  return { controlId, hintId, errorId, describedBy };
}
