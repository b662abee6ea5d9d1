export { default as PayinAlert } from './components/PayinAlert.vue';
export { default as PayinButton } from './components/PayinButton.vue';
export { default as PayinDialog } from './components/PayinDialog.vue';
export { default as PayinRadioList } from './components/PayinRadioList.vue';
export { default as PayinSelect } from './components/PayinSelect.vue';
export { default as PayinSkeleton } from './components/PayinSkeleton.vue';
export { default as PayinSpinner } from './components/PayinSpinner.vue';
export { default as PayinTextField } from './components/PayinTextField.vue';
export type { RadioOption, SelectOption } from './components/types.js';
export { contrastRatio, relativeLuminance } from './contrast.js';
export {
  cssVariables,
  type FieldsAppearance,
  fieldsAppearance,
  type HexColor,
  type Px,
  type Tokens,
  tokens,
  tokensCss,
} from './tokens.js';
