/**
 * The editors' API and sign-in: an API Gateway HTTP API in front of one Lambda function
 * (functions/handlers/api.ts), behind a JWT authorizer on a Cognito user pool. Only invited users exist
 * (no self sign-up) and the `editors` group marks who may act; the JWT authorizer checks the token, the
 * handler checks that the `cognito:groups` claim contains EDITORS_GROUP before changing anything.
 *
 * Sign-in for the console: the user pool has a Cognito prefix domain (hosted UI), and the app client
 * allows the OAuth authorization-code flow (with PKCE, done by console/sign-in.js) back to the
 * console's URL (the CloudFront distribution's root), plus token refresh.
 * `signInUrl` is that hosted-UI address (stack output EditorsSignInUrl). The same client keeps
 * USER_SRP_AUTH for scripts that sign in without a browser.
 *
 * What the handler gets (the stack grants the stores and the state machine, this construct the rest):
 * TABLE_NAME (read/write), RAW_BUCKET (read + put: uploaded query-platform files are archived like
 * fetched pages, never deleted), CHARTS_BUCKET + CHARTS_PUBLIC_URL (read + put: an upload or
 * acceptance publishes in-process), STATE_MACHINE_ARN (start a refresh, then describe it and read its
 * history), EDITORS_GROUP, STAGE.
 */
import { Duration, type RemovalPolicy } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { PipelineFunction } from "./pipeline-function.js";

export const EDITORS_GROUP = "editors";
export const SIGN_IN_SCOPES = [
  cognito.OAuthScope.OPENID,
  cognito.OAuthScope.EMAIL,
  cognito.OAuthScope.PROFILE,
];

export interface EditorsApiProps {
  handler: PipelineFunction;
  /** Where the console is served (https://<distribution>/): the sign-in callback and logout URL. */
  consoleUrl: string;
  /**
   * Cognito prefix domain of the hosted UI (lowercase letters, digits, hyphens; unique in the region).
   * May be a token (the stack appends the account id).
   */
  domainPrefix: string;
  logRetention: logs.RetentionDays;
  logRemoval: RemovalPolicy;
  /** Removal of the user pool: editors' accounts are not derived data, but dev pools may go. */
  userPoolRemoval: RemovalPolicy;
}

export class EditorsApi extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly api: apigw.HttpApi;
  readonly url: string;
  /** The hosted UI's sign-in page, returning to the console with `#id_token=...`. */
  readonly signInUrl: string;
  /** The hosted UI's sign-out endpoint, returning to the console. */
  readonly signOutUrl: string;

  constructor(scope: Construct, id: string, props: EditorsApiProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, "Users", {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: props.userPoolRemoval,
    });
    new cognito.CfnUserPoolGroup(this, "EditorsGroup", {
      userPoolId: this.userPool.userPoolId,
      groupName: EDITORS_GROUP,
      description: "Editors: may refresh, upload query-platform files and accept quarantined releases",
    });
    this.client = this.userPool.addClient("Console", {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      // The console is static files with no back end of its own, so a public client: the hosted UI
      // returns a one-time code that console/sign-in.js redeems with its PKCE verifier, and the
      // refresh token renews the ID token hourly. No token in an address; no implicit flow.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: SIGN_IN_SCOPES,
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
    });
    this.domain = this.userPool.addDomain("SignIn", {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
    this.signInUrl = this.domain.signInUrl(this.client, { redirectUri: props.consoleUrl });
    this.signOutUrl = `${this.domain.baseUrl()}/logout?client_id=${this.client.userPoolClientId}&logout_uri=${props.consoleUrl}`;

    const fn = props.handler;
    fn.setEnvironment({ EDITORS_GROUP });

    this.api = new apigw.HttpApi(this, "Api", {
      description: "Editors' API: run reports, refresh, uploads, acceptance of quarantined releases",
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration("Handler", fn.fn),
      defaultAuthorizer: new HttpUserPoolAuthorizer("Editors", this.userPool, {
        userPoolClients: [this.client],
      }),
    });
    const accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: props.logRemoval,
    });
    const stage = this.api.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: 10, burstLimit: 20 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    this.url = stage.url;
  }
}
