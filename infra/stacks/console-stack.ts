import { readdirSync } from "node:fs";
import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, SecretValue, Stack, Validations } from "aws-cdk-lib";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  Function as CloudFrontFunction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from "aws-cdk-lib/aws-cloudfront";
import { FunctionUrlOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { CfnUserPoolGroup, Mfa, OAuthScope, UserPool, UserPoolClientIdentityProvider, type UserPoolClient } from "aws-cdk-lib/aws-cognito";
import { PolicyStatement, Role, ServicePrincipal, type IRole } from "aws-cdk-lib/aws-iam";
import { Architecture, Code, Function as LambdaFunction, FunctionUrlAuthType, InvokeMode, LayerVersion, Runtime } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Asset } from "aws-cdk-lib/aws-s3-assets";
import { BucketDeployment, CacheControl, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { AwsCustomResource, AwsCustomResourcePolicy, Logging, PhysicalResourceId } from "aws-cdk-lib/custom-resources";
import type { Construct } from "constructs";
import { acknowledgeWildcardAction, acknowledgeWildcardResource } from "@/infra/constructs/nag-acknowledgement";
import { CONSOLE_ROLE_PATH, TUNING_APPLY_ROLE_NAME, type ConsoleStackOutputs, type ConsoleStackProps } from "@/infra/stacks/contracts";
import { ROLES } from "@/lib/domain/access/roles";

/**
 * AWS Lambda Web Adapter, the public layer AWS publishes from account 753240598075 in every
 * commercial region (China and GovCloud publish it elsewhere; not supported here). Version 30 is
 * LWA 1.1.0, the arm64 ARN listed in the README of github.com/aws/aws-lambda-web-adapter
 * ("Zip Packages": `arn:aws:lambda:${AWS::Region}:753240598075:layer:LambdaAdapterLayerArm64:30`).
 * Bump the version here after reading that README's release notes.
 */
export const LAMBDA_WEB_ADAPTER_LAYER = { account: "753240598075", name: "LambdaAdapterLayerArm64", version: 30 } as const;

/** The port Next's server listens on inside the Lambda sandbox (LWA forwards to it). */
const SERVER_PORT = 3000;

/**
 * Memory: Lambda gives one full vCPU at 1769 MB. Server rendering and the Next server's cold
 * start (loading ~50 MB of modules) are CPU-bound, so below this pages render noticeably slower;
 * above it a second vCPU buys nothing for one request at a time. The console serves a handful of
 * people, so the GB-seconds stay small either way.
 */
const MEMORY_MB = 1769;

/**
 * Timeout: CloudFront waits 30 s for the origin by default; a longer Lambda would keep working on
 * requests nobody is waiting for. The heaviest pages (14-day series) answer in well under that.
 */
const TIMEOUT_SECONDS = 30;

/** Callback path of the OIDC provider in next-auth (provider id `oidc`, app/_server/auth.ts). */
const OIDC_CALLBACK_PATH = "/api/auth/callback/oidc";

/** The ID-token claim Cognito lists a user's groups in. */
const COGNITO_GROUPS_CLAIM = "cognito:groups";

/** The DynamoDB item actions the console's repositories call (lib/adapters/dynamodb): users, tokens, SLOs, settings, audit and the read views. */
const CONSOLE_TABLE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];

/** Every top-level entry of public/ becomes one CloudFront behaviour; CloudFront allows 25 per distribution. */
const MAX_PUBLIC_BEHAVIOURS = 20;

/**
 * The console: Next.js on Lambda behind CloudFront.
 *
 * **Runtime.** AWS Lambda Web Adapter (LWA) runs Next's own `output: "standalone"` server — the
 * very server `sightline start` runs locally — and turns each invocation into an HTTP request to it.
 * Chosen over OpenNext: no third-party re-implementation of Next 16's server to trust and keep
 * in step, and the build is plain `next build` (infra/console/build-console.ts). Responses stream
 * (`AWS_LWA_INVOKE_MODE=response_stream`, function URL in RESPONSE_STREAM mode), so the App
 * Router's streamed pages arrive as they render and no 6 MB buffered-response limit applies.
 *
 * **Origins.** `/_next/static/*` and public/ come from a private S3 bucket through CloudFront
 * origin access control (cached for a year: the file names carry content hashes); everything else
 * goes to the function URL, uncached, with every viewer header, cookie and query string but Host.
 *
 * **Function URL auth: NONE**, deliberately. With AWS_IAM + OAC, CloudFront signs each request,
 * and for a POST/PUT body Lambda requires the viewer to send `x-amz-content-sha256`, which
 * browsers do not: next-auth's sign-in POSTs and the console's PUT/POST APIs would fail. The
 * trade-off: the function URL is reachable without CloudFront (without its security headers and
 * HTTPS redirect; the app sets nosniff, frame and referrer headers itself). Every console route
 * authenticates by itself (pages via proxy.ts, /api/v1 by session or bearer token), and sign-in
 * cookies and redirects are bound to NEXTAUTH_URL, the CloudFront address.
 *
 * **Secrets, and the dependency cycle.** The distribution needs the function URL, so the function
 * cannot name anything that needs the distribution: NEXTAUTH_URL (its domain) and, with the
 * Cognito pool, the app client (its callback URL is on that domain). Both travel in a settings
 * secret whose *name* both sides compute from the stack's own id (`AWS::StackId`), so the function
 * references neither the secret nor the distribution; start.mjs reads it (SIGHTLINE_SECRET_IDS)
 * before the server parses its configuration. (`AUTH_TRUST_HOST` instead of NEXTAUTH_URL does
 * not work in next-auth 4.24: its middleware picks the session cookie's name from NEXTAUTH_URL's
 * scheme alone.) With SIGHTLINE_CONSOLE_DOMAIN the URL is known in advance and is a plain
 * variable. NEXTAUTH_SECRET is generated by Secrets Manager; the Cognito client secret is copied
 * into the settings secret at deploy time (a DescribeUserPoolClient call whose response is kept
 * out of logs); an external provider's client secret is a secret the operator fills. No secret
 * value is ever in the template or the function's environment.
 */
export class ConsoleStack extends Stack implements ConsoleStackOutputs {
  readonly consoleRole: IRole;
  /** The URL people open (https://<CloudFront domain> or https://SIGHTLINE_CONSOLE_DOMAIN). */
  readonly consoleUrl: string;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { config, build } = props;
    const prod = config.SIGHTLINE_STAGE === "prod";
    const arn = (service: string, resource: string, region: string = Aws.REGION) =>
      `arn:${Aws.PARTITION}:${service}:${region}:${Aws.ACCOUNT_ID}:${resource}`;

    // --- The function and its role -------------------------------------------------------------
    const logGroup = new LogGroup(this, "ConsoleLogs", {
      retention: config.SIGHTLINE_LOG_RETENTION_DAYS as RetentionDays,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new Role(this, "ConsoleRole", {
      path: CONSOLE_ROLE_PATH,
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: "Sightline console: the table, its own secrets, and the tuning apply role (it changes no function itself)",
    });
    this.consoleRole = role;
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [logGroup.logGroupArn] }));
    role.addToPrincipalPolicy(new PolicyStatement({ actions: CONSOLE_TABLE_ACTIONS, resources: [props.table.tableArn] }));
    if (props.tableKey) {
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], resources: [props.tableKey.keyArn] }),
      );
    }
    // Every tuning change goes through the apply role (TUNING_APPLY_HOME_VIA_ROLE), by ARN string:
    // a reference to the Apply stack, which trusts this role, would be a cycle.
    const applyAccounts = [Aws.ACCOUNT_ID, ...config.SIGHTLINE_ACCOUNTS.map((a) => a.accountId)];
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["sts:AssumeRole"],
        resources: [...new Set(applyAccounts)].map((account) => `arn:${Aws.PARTITION}:iam::${account}:role/${TUNING_APPLY_ROLE_NAME}`),
      }),
    );

    // --- Secrets -----------------------------------------------------------------------------------
    const sessionSecret = new Secret(this, "SessionSecret", {
      description: "Sightline console: NEXTAUTH_SECRET, the key that signs and encrypts sessions (generated; rotating it signs everyone out)",
      generateSecretString: { secretStringTemplate: "{}", generateStringKey: "NEXTAUTH_SECRET", passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(sessionSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason: "NEXTAUTH_SECRET signs and encrypts every session: a scheduled rotation would sign everyone out, and instances started before it keep the old key (read at start-up) until they recycle. Rotate by hand (put-secret-value) when needed.",
    });
    const externalOidc = config.OIDC_ISSUER !== undefined && config.OIDC_CLIENT_ID !== undefined;
    const oidcClientSecret = externalOidc
      ? new Secret(this, "OidcClientSecret", {
          description: `Sightline console: {"OIDC_CLIENT_SECRET":"…"} of client ${config.OIDC_CLIENT_ID} at ${config.OIDC_ISSUER} (filled by the operator)`,
          // An empty object to fill with put-secret-value; until then the console says OIDC_CLIENT_SECRET is missing.
          secretObjectValue: {},
          removalPolicy: RemovalPolicy.DESTROY,
        })
      : undefined;
    if (oidcClientSecret) {
      Validations.of(oidcClientSecret).acknowledge({
        id: "AwsSolutions-SMG4",
        reason: "The external identity provider issues this client secret and the operator stores it; it rotates at the provider, which Secrets Manager cannot do.",
      });
    }
    // The settings secret's name is derived from this stack's id on both sides (see the class comment).
    const stackUuid = Fn.select(2, Fn.split("/", Aws.STACK_ID));
    const settingsSecretName = `sightline-console-settings-${stackUuid}`;
    const knownUrl = config.SIGHTLINE_CONSOLE_DOMAIN ? `https://${config.SIGHTLINE_CONSOLE_DOMAIN}` : undefined;
    const needsSettingsSecret = !externalOidc || knownUrl === undefined;
    const secretIds = [sessionSecret.secretArn, ...(oidcClientSecret ? [oidcClientSecret.secretArn] : []), ...(needsSettingsSecret ? [settingsSecretName] : [])];
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [
          sessionSecret.secretArn,
          ...(oidcClientSecret ? [oidcClientSecret.secretArn] : []),
          // A secret's ARN ends in its name, a hyphen and 6 random characters.
          ...(needsSettingsSecret ? [arn("secretsmanager", `secret:${settingsSecretName}-??????`)] : []),
        ],
      }),
    );

    // --- Cognito (when no external provider is configured) ----------------------------------------
    const userPool = externalOidc
      ? undefined
      : new UserPool(this, "Users", {
          userPoolName: "sightline-console",
          selfSignUpEnabled: false,
          signInAliases: { username: true, email: true },
          // Stated in full rather than left to the defaults, so the policy reads here (and cannot drift).
          passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
          // An ops console that can change production functions: every sign-in takes a second
          // factor. With MFA required, managed login asks each user to set up an authenticator
          // app (it shows the QR code and verifies the first code) before they can sign in
          // (Cognito Developer Guide: "Adding MFA to a user pool", "TOTP software token MFA").
          // Authenticator apps only: SMS needs an SNS role, costs per message and is the weaker factor.
          mfa: Mfa.REQUIRED,
          mfaSecondFactor: { otp: true, sms: false },
          removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
          deletionProtection: prod,
        });
    if (userPool) {
      Validations.of(userPool).acknowledge({
        id: "AwsSolutions-COG8",
        reason:
          "Essentials plan, not Plus: Plus (threat protection) costs $0.020 per MAU from the first user, Essentials $0.015 per MAU after 10,000 free MAUs a month, so a team's console pays nothing today. Required TOTP MFA already stops a stolen password; switching the plan later is a setting, not a new pool.",
      });
      // A user's Sightline role is the group of the same name (OIDC_ROLE_MAP maps nothing else).
      for (const group of ROLES) {
        new CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: userPool.userPoolId, groupName: group, description: `Sightline role ${group}` });
      }
      // The hosted sign-in page; the prefix must be unique in the region, so it carries the account id.
      userPool.addDomain("SignInDomain", { cognitoDomain: { domainPrefix: `sightline-console-${Aws.ACCOUNT_ID}` } });
    }

    // --- The function --------------------------------------------------------------------------------
    const environment: Record<string, string> = {
      AWS_LAMBDA_EXEC_WRAPPER: "/opt/bootstrap",
      AWS_LWA_PORT: String(SERVER_PORT),
      AWS_LWA_READINESS_CHECK_PATH: "/api/v1/health",
      // Ready means "Next answers": health says 503 while the table is unreachable, and the
      // console should then say so to its users rather than fail to start.
      AWS_LWA_READINESS_CHECK_HEALTHY_STATUS: "100-599",
      AWS_LWA_INVOKE_MODE: "response_stream",
      PORT: String(SERVER_PORT),
      HOSTNAME: "127.0.0.1",
      NEXT_TELEMETRY_DISABLED: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      TABLE_NAME: props.table.tableName,
      SIGHTLINE_ACCOUNT_ID: Aws.ACCOUNT_ID,
      TUNING_APPLY_ROLE_NAME,
      TUNING_APPLY_HOME_VIA_ROLE: "true",
      // People sign in through the identity provider only: nothing creates password users on
      // AWS, and a password form would be one more thing to attack.
      SIGHTLINE_PASSWORD_SIGN_IN: "false",
      COST_ALLOCATION_TAG_KEYS: config.COST_ALLOCATION_TAG_KEYS.join(","),
      // The Collectors page judges the metrics collector and the SLO evaluator late by their schedule.
      METRICS_CADENCE_MINUTES: String(config.METRICS_CADENCE_MINUTES),
      // Sent when assuming a member's apply role (only when the members' template requires one).
      ...(config.SIGHTLINE_EXTERNAL_ID ? { SIGHTLINE_EXTERNAL_ID: config.SIGHTLINE_EXTERNAL_ID } : {}),
      SIGHTLINE_SECRET_IDS: Fn.join(",", secretIds),
      ...(knownUrl ? { NEXTAUTH_URL: knownUrl } : {}),
      ...(externalOidc
        ? {
            OIDC_ISSUER: config.OIDC_ISSUER!,
            OIDC_CLIENT_ID: config.OIDC_CLIENT_ID!,
            ...(config.OIDC_ROLES_CLAIM ? { OIDC_ROLES_CLAIM: config.OIDC_ROLES_CLAIM } : {}),
            ...(config.OIDC_ROLE_MAP ? { OIDC_ROLE_MAP: config.OIDC_ROLE_MAP } : {}),
          }
        : { OIDC_ISSUER: `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${userPool!.userPoolId}`, OIDC_ROLES_CLAIM: COGNITO_GROUPS_CLAIM, OIDC_NAME: "Cognito" }),
    };
    const fn = new LambdaFunction(this, "ConsoleFunction", {
      description: "Sightline console: Next.js standalone server behind Lambda Web Adapter",
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: "run.sh",
      code: Code.fromAsset(build.serverDir),
      layers: [
        LayerVersion.fromLayerVersionArn(
          this,
          "LambdaWebAdapter",
          `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${LAMBDA_WEB_ADAPTER_LAYER.account}:layer:${LAMBDA_WEB_ADAPTER_LAYER.name}:${LAMBDA_WEB_ADAPTER_LAYER.version}`,
        ),
      ],
      memorySize: MEMORY_MB,
      timeout: Duration.seconds(TIMEOUT_SECONDS),
      role,
      logGroup,
      environment,
    });
    const functionUrl = fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE, invokeMode: InvokeMode.RESPONSE_STREAM });

    // --- Static files in S3 -----------------------------------------------------------------------------
    const assets = new Bucket(this, "StaticAssets", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only build output lives here; a new deployment puts it back.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(assets).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "Build output only, read solely by CloudFront through origin access control and written by the deployment: access logs would record CloudFront's own fetches. A log bucket (with its own lifecycle and removal handling) is a follow-up together with the distribution's access logs.",
    });
    const deployLogs = new LogGroup(this, "AssetDeploymentLogs", {
      retention: config.SIGHTLINE_LOG_RETENTION_DAYS as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deployRole = new Role(this, "AssetDeploymentRole", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: "Sightline console: copies the built static files into the assets bucket",
    });
    deployRole.addToPrincipalPolicy(new PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [deployLogs.logGroupArn] }));
    // Staged as an Asset (what Source.asset does inside) so the bootstrap bucket it is read from is known here.
    const staticFiles = new Asset(this, "NextStaticFilesAsset", { path: build.staticDir });
    // prune: false — pages rendered by the previous deployment may still ask for its chunks.
    new BucketDeployment(this, "NextStaticFiles", {
      sources: [Source.bucket(staticFiles.bucket, staticFiles.s3ObjectKey)],
      destinationBucket: assets,
      destinationKeyPrefix: "_next/static",
      prune: false,
      cacheControl: [CacheControl.fromString("public, max-age=31536000, immutable")],
      role: deployRole,
      logGroup: deployLogs,
      memoryLimit: 512,
    });
    const publicEntries = readdirSync(build.publicDir, { withFileTypes: true });
    if (publicEntries.length > MAX_PUBLIC_BEHAVIOURS) {
      throw new Error(`public/ has ${publicEntries.length} top-level entries; CloudFront takes one behaviour each (at most ${MAX_PUBLIC_BEHAVIOURS}): group them in folders`);
    }
    if (publicEntries.length > 0) {
      const publicFiles = new Asset(this, "PublicFilesAsset", { path: build.publicDir });
      new BucketDeployment(this, "PublicFiles", {
        sources: [Source.bucket(publicFiles.bucket, publicFiles.s3ObjectKey)],
        destinationBucket: assets,
        prune: false,
        cacheControl: [CacheControl.fromString("public, max-age=3600")],
        role: deployRole,
        logGroup: deployLogs,
        memoryLimit: 512,
      });
    }
    // What BucketDeployment grants its role: read of the asset in CDK's bootstrap bucket (both
    // assets live there) and read/write/delete in the assets bucket, by CDK's grant helpers.
    const deploymentGrants = "CDK's BucketDeployment grants (grantRead on the asset in the bootstrap bucket, grantReadWrite on the assets bucket), limited to those two buckets; the role serves the two deployments only.";
    acknowledgeWildcardResource(deployRole, `${staticFiles.bucket.bucketArn}/*`, deploymentGrants);
    acknowledgeWildcardResource(deployRole, `${assets.bucketArn}/*`, deploymentGrants);
    for (const action of ["s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*"]) {
      acknowledgeWildcardAction(deployRole, action, deploymentGrants);
    }
    // BucketDeployment's handler: one function per stack and memory size, a child of the stack.
    for (const handler of this.node.children.filter((c) => c.node.id.startsWith("Custom::CDKBucketDeployment"))) {
      Validations.of(handler).acknowledge({
        id: "AwsSolutions-L1",
        reason: "CDK's own BucketDeployment handler (Python, with the AWS CLI layer): its runtime is chosen and updated by aws-cdk-lib, not by this app.",
      });
    }

    // --- CloudFront ------------------------------------------------------------------------------------------
    const securityHeaders = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "Sightline console: HSTS, nosniff, no framing, same-origin referrer",
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
        // Only framing: a content security policy the app sets for itself wins.
        contentSecurityPolicy: { contentSecurityPolicy: "frame-ancestors 'none'", override: false },
      },
    });
    const assetsOrigin = S3BucketOrigin.withOriginAccessControl(assets);
    const staticBehaviour: BehaviorOptions = {
      origin: assetsOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: securityHeaders,
      compress: true,
    };
    const publicBehaviours = Object.fromEntries(publicEntries.map((e) => [e.isDirectory() ? `/${e.name}/*` : `/${e.name}`, staticBehaviour]));
    // The function URL sees its own Host; the viewer's goes along as x-forwarded-host (overwriting
    // any the viewer sent), which Next and the API's same-origin check (app/_server/api-auth.ts) read;
    // the viewer's IP goes along as x-sightline-viewer-address (also overwritten), which sign-in
    // throttling counts failures by (lib/domain/access/sign-in-throttle.ts).
    const forwardHost = new CloudFrontFunction(this, "ForwardHost", {
      comment: "Sightline console: pass the viewer's Host as x-forwarded-host",
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        'function handler(event) { var r = event.request; r.headers["x-forwarded-host"] = { value: r.headers.host.value }; r.headers["x-sightline-viewer-address"] = { value: event.viewer.ip }; return r; }',
      ),
    });
    const distribution = new Distribution(this, "Distribution", {
      comment: "Sightline console",
      priceClass: PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(config.SIGHTLINE_CONSOLE_DOMAIN && config.SIGHTLINE_CONSOLE_CERTIFICATE_ARN
        ? {
            domainNames: [config.SIGHTLINE_CONSOLE_DOMAIN],
            certificate: Certificate.fromCertificateArn(this, "ConsoleCertificate", config.SIGHTLINE_CONSOLE_CERTIFICATE_ARN),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: new FunctionUrlOrigin(functionUrl, { readTimeout: Duration.seconds(TIMEOUT_SECONDS) }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [{ function: forwardHost, eventType: FunctionEventType.VIEWER_REQUEST }],
        // Next compresses its own responses; CloudFront does not compress uncached ones.
        compress: true,
      },
      additionalBehaviors: { "/_next/static/*": staticBehaviour, ...publicBehaviours },
    });
    Validations.of(distribution).acknowledge(
      {
        id: "AwsSolutions-CFR1",
        reason: "No geo restriction: the console's users sign in from wherever they work, and every page and API but sign-in and health requires a signed-in user or an API token.",
      },
      {
        id: "AwsSolutions-CFR2",
        reason:
          "No AWS WAF web ACL: it costs at least $5 a month plus $1 a rule and $0.60 per million requests, for an internal console where every page and API but sign-in and health requires a signed-in user or an API token.",
      },
      {
        id: "AwsSolutions-CFR3",
        reason:
          "Access logs are a follow-up: they need an ACL-enabled log bucket with expiry (S3 storage only, cents a month at this traffic). Meanwhile Lambda logs each invocation of the console function (without client IP or path) and the tuning audit log in the table records every change applied and who applied it.",
      },
    );
    if (!config.SIGHTLINE_CONSOLE_CERTIFICATE_ARN || !config.SIGHTLINE_CONSOLE_DOMAIN) {
      Validations.of(distribution).acknowledge({
        id: "AwsSolutions-CFR4",
        reason:
          "The default *.cloudfront.net certificate: CloudFront fixes its security policy at TLSv1 and allows no minimum protocol version. With SIGHTLINE_CONSOLE_DOMAIN and SIGHTLINE_CONSOLE_CERTIFICATE_ARN the distribution requires TLSv1.2_2021.",
      });
    }
    this.consoleUrl = knownUrl ?? `https://${distribution.distributionDomainName}`;

    // --- Settings that need the distribution -------------------------------------------------------------------
    let userPoolClient: UserPoolClient | undefined;
    if (needsSettingsSecret) {
      const settings: Record<string, SecretValue> = knownUrl ? {} : { NEXTAUTH_URL: SecretValue.unsafePlainText(this.consoleUrl) };
      if (userPool) {
        userPoolClient = userPool.addClient("ConsoleClient", {
          userPoolClientName: "sightline-console",
          generateSecret: true,
          oAuth: {
            flows: { authorizationCodeGrant: true },
            scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
            callbackUrls: [`${this.consoleUrl}${OIDC_CALLBACK_PATH}`],
            logoutUrls: [this.consoleUrl],
          },
          supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
          preventUserExistenceErrors: true,
        });
        settings.OIDC_CLIENT_ID = SecretValue.unsafePlainText(userPoolClient.userPoolClientId);
        settings.OIDC_CLIENT_SECRET = SecretValue.resourceAttribute(this.cognitoClientSecret(userPool, userPoolClient, config.SIGHTLINE_LOG_RETENTION_DAYS as RetentionDays));
      }
      const settingsSecret = new Secret(this, "SettingsSecret", {
        secretName: settingsSecretName,
        description: "Sightline console: settings known only once CloudFront exists (NEXTAUTH_URL; the Cognito app client). Written by the stack.",
        secretObjectValue: settings,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      Validations.of(settingsSecret).acknowledge({
        id: "AwsSolutions-SMG4",
        reason: "Written by the stack from values it owns (the console URL; the Cognito app client's id and secret, copied from Cognito at deploy time): a rotation would only diverge from Cognito, which is where the client secret changes.",
      });
    }

    // --- Outputs ------------------------------------------------------------------------------------------------------
    new CfnOutput(this, "ConsoleUrl", { value: this.consoleUrl, description: "Open the console here" });
    new CfnOutput(this, "DistributionDomainName", { value: distribution.distributionDomainName, description: "Point SIGHTLINE_CONSOLE_DOMAIN's DNS record (CNAME/alias) here" });
    if (userPool) {
      new CfnOutput(this, "UserPoolId", { value: userPool.userPoolId, description: "Cognito user pool: add people and put them in a group named like their Sightline role" });
    }
    if (oidcClientSecret) {
      new CfnOutput(this, "OidcClientSecretArn", { value: oidcClientSecret.secretArn, description: 'Fill with: aws secretsmanager put-secret-value --secret-id <this> --secret-string \'{"OIDC_CLIENT_SECRET":"…"}\'' });
    }
  }

  /**
   * Reads the app client's generated secret at deploy time (DescribeUserPoolClient) so it can be
   * copied into Secrets Manager without ever being in the template. CDK's own
   * `userPoolClientSecret` does the same but gives its function a role with an AWS managed policy
   * and logs the response; this one has a role with inline permissions and hides the response.
   */
  private cognitoClientSecret(userPool: UserPool, client: UserPoolClient, retentionDays: RetentionDays): string {
    const role = new Role(this, "ClientSecretReaderRole", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: "Sightline console: reads the Cognito app client's secret at deploy time",
    });
    const logGroup = new LogGroup(this, "ClientSecretReaderLogs", { retention: retentionDays, removalPolicy: RemovalPolicy.DESTROY });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [logGroup.logGroupArn] }));
    const reader = new AwsCustomResource(this, "ClientSecretReader", {
      resourceType: "Custom::SightlineCognitoClientSecret",
      onUpdate: {
        service: "CognitoIdentityServiceProvider",
        action: "describeUserPoolClient",
        parameters: { UserPoolId: userPool.userPoolId, ClientId: client.userPoolClientId },
        physicalResourceId: PhysicalResourceId.of(client.userPoolClientId),
        outputPaths: ["UserPoolClient.ClientSecret"],
        logging: Logging.withDataHidden(),
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ["cognito-idp:DescribeUserPoolClient"], resources: [userPool.userPoolArn] }),
      ]),
      role,
      logGroup,
      installLatestAwsSdk: false,
    });
    return reader.getResponseField("UserPoolClient.ClientSecret");
  }
}
