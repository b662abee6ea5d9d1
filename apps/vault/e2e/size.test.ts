import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadFieldAssets } from '../src/fields/assets.js';
import { catalogues } from '../src/fields/messages/index.js';

const BUDGET = 15 * 1024;

describe('hosted fields size budget', () => {
  it('keeps the frame script and payin-fields.js within 15 KB gzipped', async () => {
    const assets = await loadFieldAssets();
    const frame = gzipSync(assets.frameScript).length;
    const parent = gzipSync(assets.parentScript).length;
    // The frame page also carries one locale's catalogue as data: count the largest.
    const catalogue = Math.max(...Object.values(catalogues).map((c) => gzipSync(JSON.stringify(c)).length));
    const total = frame + parent + catalogue;
    console.log(
      `hosted fields gzip: frame ${frame} B (raw ${assets.frameScript.length}), payin-fields.js ${parent} B ` +
        `(raw ${assets.parentScript.length}), largest catalogue ${catalogue} B, total ${total} B of ${BUDGET}`,
    );
    expect(total).toBeLessThanOrEqual(BUDGET);
  });
});
