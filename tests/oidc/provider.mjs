// Minimal real OpenID Connect provider (npm oidc-provider 9.x) for loopback tests.
//
// Usage: node provider.mjs [port]
// Env:
//   OIDC_PORT           port (argv[2] wins; 0 / unset = free port)
//   OIDC_CLIENT_ID      default "django-test"
//   OIDC_CLIENT_SECRET  default "django-test-secret"
//   OIDC_REDIRECT_URIS  comma/space separated list (required in practice)
//   OIDC_PKCE_REQUIRED  "1" -> require PKCE for the confidential client too
//
// First stdout line: the issuer URL, e.g. "http://127.0.0.1:40123".
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.OIDC_PORT ?? 0);
const clientId = process.env.OIDC_CLIENT_ID || 'django-test';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'django-test-secret';
const redirectUris = (process.env.OIDC_REDIRECT_URIS || 'http://localhost:8000/accounts/oidc/entra/login/callback/')
  .split(/[\s,]+/).filter(Boolean);

// Test accounts. `groups` mimics Entra ID: an array of group object ids.
const ACCOUNTS = {
  alice: {
    password: 'alice-pw',
    claims: {
      sub: '7d3c1a52-0b7f-4d55-9d5e-5a0d1c9e0a11',
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Example',
      given_name: 'Alice',
      family_name: 'Example',
      preferred_username: 'alice@example.com',
      groups: ['0f1e2d3c-aaaa-4bbb-8ccc-000000000001', '0f1e2d3c-aaaa-4bbb-8ccc-000000000002'],
      roles: ['Site.Admin'],
    },
  },
  bob: {
    password: 'bob-pw',
    claims: {
      sub: '2b8f0c44-19aa-4e0e-b3d1-3a7a5e2c9b22',
      email: 'bob@example.com',
      email_verified: true,
      name: 'Bob Example',
      given_name: 'Bob',
      family_name: 'Example',
      preferred_username: 'bob@example.com',
      groups: ['0f1e2d3c-aaaa-4bbb-8ccc-000000000002'],
      roles: [],
    },
  },
};
const BY_SUB = Object.fromEntries(Object.values(ACCOUNTS).map((a) => [a.claims.sub, a]));

// Fresh signing key per run (avoids oidc-provider's dev keystore warning).
const jwk = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
Object.assign(jwk, { kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' });

const server = http.createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  // scope -> claims. "groups" is a custom scope; the claims are requested by asking for scope "groups".
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    groups: ['groups', 'roles'],
  },
  // false => scope-derived claims go into the ID token as well, not only /userinfo (Entra-like).
  conformIdTokenClaims: false,
  pkce: { required: () => process.env.OIDC_PKCE_REQUIRED === '1' },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const acc = BY_SUB[sub];
    if (!acc) return undefined;
    return { accountId: sub, async claims() { return { ...acc.claims }; } };
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body><h1>${esc(title)}</h1>${body}</body></html>`;

async function readForm(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  return Object.fromEntries(new URLSearchParams(data));
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function loginForm(uid, error = '') {
  return page('Sign in', `${error ? `<p id="error" style="color:red">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
  <label>Login <input name="login" id="login" required></label>
  <label>Password <input name="password" id="password" type="password" required></label>
  <button type="submit" id="submit">Sign in</button>
</form>`);
}

// Custom interactions: login (username/password) and consent (Allow button).
async function interactions(req, res, url) {
  const m = url.pathname.match(/^\/interaction\/([^/]+)(?:\/(login|confirm))?$/);
  const [, uid, action] = m;
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;

  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') return send(res, 200, loginForm(uid));
    if (prompt.name === 'consent') {
      return send(res, 200, page('Authorize', `<p>${esc(params.client_id)} requests: ${esc(params.scope)}</p>
<form method="post" action="/interaction/${esc(uid)}/confirm"><button type="submit" id="allow">Allow</button></form>`));
    }
    return send(res, 501, page('Unsupported prompt', esc(prompt.name)));
  }
  if (req.method === 'POST' && action === 'login') {
    const { login, password } = await readForm(req);
    const acc = ACCOUNTS[login];
    if (!acc || acc.password !== password) return send(res, 200, loginForm(uid, 'Invalid login or password'));
    return provider.interactionFinished(req, res, { login: { accountId: acc.claims.sub } }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'confirm') {
    await readForm(req);
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const d = prompt.details;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    if (d.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes)) grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return send(res, 405, page('Method not allowed', ''));
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname.startsWith('/interaction/')) {
    try {
      await interactions(req, res, url);
    } catch (err) {
      console.error('interaction error', err);
      if (!res.headersSent) send(res, 400, page('Error', esc(err.message)));
    }
    return;
  }
  callback(req, res);
});

console.log(issuer);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
