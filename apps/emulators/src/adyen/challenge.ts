import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { escapeHtml } from '../html.js';
import { acceptForms, sendPage } from './shopper-page.js';
import type { AdyenState } from './state.js';

/**
 * The issuer's 3-D Secure challenge, as the shopper's browser sees it after following the
 * redirect action: two buttons instead of Adyen's simulator password ("password" passes, any
 * other value fails). Either answer sends the shopper back to returnUrl with `redirectResult`.
 */
export async function challengeRoutes(app: FastifyInstance, opts: { state: AdyenState }): Promise<void> {
  const { state } = opts;
  acceptForms(app);

  app.get<{ Querystring: { token?: string } }>('/threeDS/redirect', async (request, reply) => {
    const challenge = state.challenges.get(request.query.token ?? '');
    if (!challenge || challenge.redirectResult)
      return reply.code(404).type('text/plain').send('Unknown challenge');
    const action = `/adyen/threeDS/redirect?token=${encodeURIComponent(challenge.token)}`;
    return sendPage(reply, {
      lang: 'en',
      title: '3D Secure 2 challenge (Adyen emulator)',
      body: `<h1>Authenticate this payment</h1>
<p>Payment ${escapeHtml(challenge.pspReference)}</p>
<form method="post" action="${escapeHtml(action)}">
<button type="submit" name="outcome" value="complete">Complete</button>
<button type="submit" name="outcome" value="fail">Fail</button>
</form>`,
    });
  });

  app.post<{ Querystring: { token?: string }; Body: { outcome?: string } }>(
    '/threeDS/redirect',
    async (request, reply) => {
      const challenge = state.challenges.get(request.query.token ?? '');
      if (!challenge || challenge.redirectResult)
        return reply.code(404).type('text/plain').send('Unknown challenge');
      challenge.passed = request.body?.outcome === 'complete';
      challenge.redirectResult = randomBytes(24).toString('base64url');
      state.challengesByResult.set(challenge.redirectResult, challenge);
      const back = new URL(challenge.returnUrl);
      back.searchParams.set('redirectResult', challenge.redirectResult);
      return reply.redirect(back.toString(), 303);
    },
  );
}
