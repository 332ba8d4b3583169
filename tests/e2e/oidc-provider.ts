import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Provider, { type OidcAccount, type OidcKoaContext } from "oidc-provider";

/** A person the test identity provider knows, with the groups its ID tokens carry. */
export interface TestIdentity {
  groups: string[];
  email: string;
}

/** A real OpenID provider (oidc-provider) on loopback, for browser tests of OIDC sign-in. */
export interface TestIdentityProvider {
  /** `http://127.0.0.1:<port>`: the value for OIDC_ISSUER. */
  issuer: string;
  clientId: string;
  /** Random per run; the value for OIDC_CLIENT_SECRET. */
  clientSecret: string;
  /** The claim that lists groups (what OIDC_ROLES_CLAIM must say). */
  rolesClaim: string;
  /**
   * Registers the console's redirect URI (`<consoleUrl>/api/auth/callback/oidc`) and starts
   * answering. Until then every request gets 503: the port is held from the start, so the
   * console can be configured with the issuer before its own port is known.
   */
  acceptConsole(consoleUrl: string): void;
  close(): Promise<void>;
}

const CLIENT_ID = "sightline-console";
const SCOPE = "openid profile email";

/**
 * Starts the provider on a free loopback port. Sign-in uses oidc-provider's development login
 * form (any password; the login names the account); consent is granted without a screen, as
 * a company IdP does for its own apps. Claims go into the ID token (`conformIdTokenClaims:
 * false`), as Cognito does, since Sightline reads roles from the ID token.
 */
export async function startTestIdentityProvider(identities: Record<string, TestIdentity>): Promise<TestIdentityProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503, { "content-type": "text/plain" }).end("the test identity provider is not configured yet");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the test identity provider has no port");
  const issuer = `http://127.0.0.1:${address.port}`;
  const clientSecret = randomBytes(24).toString("base64url");
  const rolesClaim = "groups";

  const acceptConsole = (consoleUrl: string) => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: clientSecret,
          redirect_uris: [`${consoleUrl.replace(/\/$/, "")}/api/auth/callback/oidc`],
          response_types: ["code"],
          grant_types: ["authorization_code"],
          token_endpoint_auth_method: "client_secret_basic",
        },
      ],
      jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "sightline-e2e", use: "sig", alg: "RS256" }] },
      cookies: { keys: [randomBytes(32).toString("hex")] },
      claims: { openid: ["sub"], profile: ["preferred_username", rolesClaim], email: ["email", "email_verified"] },
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true } },
      findAccount: (_ctx: unknown, id: string): OidcAccount | undefined => {
        const identity = identities[id];
        if (!identity) return undefined;
        return {
          accountId: id,
          claims: () => ({ sub: id, preferred_username: id, email: identity.email, email_verified: true, [rolesClaim]: identity.groups }),
        };
      },
      loadExistingGrant: async (ctx: OidcKoaContext) => {
        const { client, session, result, provider: self } = ctx.oidc;
        if (!client || !session?.accountId) return undefined;
        const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
        if (grantId) return self.Grant.find(grantId);
        const grant = new self.Grant({ clientId: client.clientId, accountId: session.accountId });
        grant.addOIDCScope(SCOPE);
        await grant.save();
        return grant;
      },
    });
    handler = provider.callback();
  };

  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return { issuer, clientId: CLIENT_ID, clientSecret, rolesClaim, acceptConsole, close };
}
