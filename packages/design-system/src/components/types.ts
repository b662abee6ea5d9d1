export interface RadioOption {
  value: string;
  label: string;
  /** A second line under the label, read as the option's description. */
  description?: string;
  disabled?: boolean;
}

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}
