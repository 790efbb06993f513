// A real OpenID Connect provider on loopback, for Coachloop's single sign-on tests.
//
// It runs the npm package oidc-provider (a certified OpenID Connect provider) with its
// development sign-in page, on which any listed account signs in by typing its id (the
// password box is not checked), and grants what Coachloop asks for without a consent page.
//
//   node tests/oidc/provider.mjs '{"clients": [...], "accounts": {...}}'
//
//   clients:  [{"client_id", "client_secret", "redirect_uris": [...]}]
//   accounts: {"<id>": {"email": "...", "email_verified": true, "name": "..."}}
//
// It listens on 127.0.0.1 on a free port, prints {"issuer": "http://127.0.0.1:<port>"} on
// one line once it does, and stops on SIGTERM. For tests only: its keys are throwaway ones.
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2]);
const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: client.redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    async findAccount(ctx, id) {
      const account = config.accounts[id];
      if (!account) {
        return undefined;
      }
      return { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
    // Coachloop is the provider's own client here: what it asks for is granted at once.
    async loadExistingGrant(ctx) {
      const { client, session, result } = ctx.oidc;
      const grantId = result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (grantId) {
        return ctx.oidc.provider.Grant.find(grantId);
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    // Coachloop sends a PKCE challenge to every provider: insist on it, so the tests show it.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['coachloop-tests-only'] },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
