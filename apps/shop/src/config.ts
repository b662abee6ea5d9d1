import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { envInteger } from '@payin/http';

/** Everything the demo shop reads from the environment (README "Demo shop"). */
export interface ShopConfig {
  port: number;
  host: string;
  /** Where shoppers reach the shop (return URLs). */
  publicUrl: string;
  /** Where the shop's server reaches payin's api. */
  apiUrl: string;
  /** Where shoppers' browsers reach payin's api (the checkout's calls). */
  browserApiUrl: string;
  /** The card vault's origin as browsers reach it (hosted fields). */
  vaultUrl: string;
  /** The merchant's keys: SHOP_SECRET_KEY / SHOP_PUBLISHABLE_KEY, or the embedded platform's demo merchant. */
  keys: () => Promise<{ secretKey: string; publishableKey: string }>;
  /** Signs the cart cookie. */
  cookieSecret: string;
  secureCookies: boolean;
  /** The drop-in's build (packages/checkout/dist). */
  checkoutDist: string;
  logLevel: string;
}

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export function loadShopConfig(env: NodeJS.ProcessEnv = process.env): ShopConfig {
  const port = envInteger('SHOP_PORT', 3000, env);
  const publicUrl = (env.SHOP_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  const apiUrl = (env.PAYIN_API_URL || `http://localhost:${env.PORT || 4000}`).replace(/\/$/, '');
  return {
    port,
    host: env.SHOP_HOST || '0.0.0.0',
    publicUrl,
    apiUrl,
    browserApiUrl: (env.PAYIN_BROWSER_API_URL || apiUrl).replace(/\/$/, ''),
    vaultUrl: (env.VAULT_PUBLIC_URL || `http://localhost:${env.VAULT_PORT || 4001}`).replace(/\/$/, ''),
    keys: merchantKeys(env),
    cookieSecret: env.SHOP_COOKIE_SECRET || randomBytes(32).toString('base64url'),
    secureCookies: publicUrl.startsWith('https:'),
    checkoutDist: resolve(env.SHOP_CHECKOUT_DIST || join(ROOT, 'packages/checkout/dist')),
    logLevel: env.LOG_LEVEL || 'info',
  };
}

/**
 * Configured keys, or those of the demo merchant the embedded api writes on its first start
 * (`PAYIN_DATA_DIR/demo-merchant.json`): the shop starts beside the api and waits for the file.
 */
function merchantKeys(env: NodeJS.ProcessEnv): ShopConfig['keys'] {
  if (env.SHOP_SECRET_KEY && env.SHOP_PUBLISHABLE_KEY) {
    const keys = { secretKey: env.SHOP_SECRET_KEY, publishableKey: env.SHOP_PUBLISHABLE_KEY };
    return async () => keys;
  }
  const file = join(resolve(env.PAYIN_DATA_DIR || './.payin'), 'demo-merchant.json');
  let keys: { secretKey: string; publishableKey: string } | undefined;
  return async () => {
    for (let waited = 0; !keys; waited += 250) {
      if (existsSync(file)) {
        const demo = JSON.parse(readFileSync(file, 'utf8')) as { secretKey: string; publishableKey: string };
        keys = { secretKey: demo.secretKey, publishableKey: demo.publishableKey };
        break;
      }
      if (waited > 30_000)
        throw new Error(`${file} did not appear: set SHOP_SECRET_KEY and SHOP_PUBLISHABLE_KEY`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return keys;
  };
}
