/**
 * The editors' API: an API Gateway HTTP API in front of one Lambda function (functions/handlers/api.ts),
 * behind a JWT authorizer on a Cognito user pool. Only invited users exist (no self sign-up) and the
 * `editors` group marks who may act; the JWT authorizer checks the token, the handler checks that the
 * `cognito:groups` claim contains EDITORS_GROUP before changing anything.
 *
 * What the handler gets (the stack grants the stores, this construct the rest): TABLE_NAME (read/write),
 * RAW_BUCKET (read + put: uploaded query-platform files are archived like fetched pages, never deleted),
 * CHARTS_BUCKET + CHARTS_PUBLIC_URL (read + put: an upload or acceptance publishes in-process),
 * STATE_MACHINE_ARN (start a refresh, then describe it and read its history), EDITORS_GROUP.
 */
import { ArnFormat, Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sfn from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";
import type { PipelineFunction } from "./pipeline-function.js";

export const EDITORS_GROUP = "editors";

export interface EditorsApiProps {
  handler: PipelineFunction;
  pipeline: sfn.StateMachine;
  logRetention: logs.RetentionDays;
  logRemoval: RemovalPolicy;
  /** Removal of the user pool: editors' accounts are not derived data, but dev pools may go. */
  userPoolRemoval: RemovalPolicy;
}

export class EditorsApi extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly api: apigw.HttpApi;
  readonly url: string;

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
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
    });

    const fn = props.handler;
    // Start a refresh, then follow it: functions/adapters/sfn-launcher.ts reads the execution's
    // status and history.
    props.pipeline.grantStartExecution(fn.role);
    const executions = Stack.of(this).formatArn({
      service: "states",
      resource: "execution",
      resourceName: `${props.pipeline.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["states:DescribeExecution", "states:GetExecutionHistory"],
        resources: [executions],
      }),
    );
    fn.setEnvironment({ STATE_MACHINE_ARN: props.pipeline.stateMachineArn, EDITORS_GROUP });
    acknowledge(
      fn.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logicalIdOf(props.pipeline)}.Name>:*]`,
      "Execution ARNs end with the run id chosen when a refresh starts; DescribeExecution/GetExecutionHistory are granted on this one state machine's executions only.",
    );

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

function logicalIdOf(sm: sfn.StateMachine): string {
  return Stack.of(sm).resolve((sm.node.defaultChild as sfn.CfnStateMachine).logicalId) as string;
}
