import type { Messages } from './index.js';

export const jaJP: Messages = {
  label: { number: 'カード番号', expiry: '有効期限', cvc: 'セキュリティコード', holder_name: 'カード名義人' },
  placeholder: { number: '1234 1234 1234 1234', expiry: 'MM / YY', cvc: 'CVC', holder_name: '' },
  cardTitle: 'カード情報',
  brandChoice: 'カードブランド',
  errors: {
    incomplete_number: 'カード番号が不完全です。',
    invalid_number: 'カード番号が無効です。',
    incomplete_expiry: '有効期限が不完全です。',
    invalid_expiry_month: '有効期限の月が無効です。',
    invalid_expiry_year: '有効期限の年が無効です。',
    expired_card: 'このカードは有効期限が切れています。',
    incomplete_cvc: 'セキュリティコードが不完全です。',
    invalid_cvc: 'セキュリティコードが無効です。',
    incomplete_holder_name: 'カードに記載されている名前を入力してください。',
    processing_error: 'カードを保存できませんでした。もう一度お試しください。',
  },
};
