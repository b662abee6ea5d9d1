/**
 * payin-fields.js, the script a merchant's page loads from the vault: `PayinFields.mount()`.
 * Built as an IIFE with the global name `PayinFields`.
 */
export { type MountedFields, type MountOptions, mount } from './mount.js';
