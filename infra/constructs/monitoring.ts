/**
 * Alarms to one SNS topic (e-mail recipients per stage) and a dashboard of runs, releases and errors.
 *
 * Failure modes and their alarms:
 *   - a stage failed after its retries      → PipelineFailed (executions failed or timed out > 0)
 *   - the overdue check itself failed       → OverdueCheckFailed
 *   - a schedule could not start a run      → DlqNotEmpty (ApproximateNumberOfMessagesVisible > 0): the
 *                                             scheduler's DLQ, also the scheduled refresh's on-failure destination
 *   - a release was held back by a check    → ReleasesQuarantined > 0 (pipeline metric, see metrics.ts)
 *   - no release accepted in a window that
 *     closed a few days ago                 → ReleaseOverdue (ReleasesOverdue >= 1, calendar-driven check)
 *   - the pipeline went silent              → PipelineSilent: no successful execution for 3 days
 *                                             (missing data is breaching: the schedules run daily at least)
 */
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type * as sfn from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import {
  METRICS_NAMESPACE,
  PIPELINE_METRICS,
  STAGE_DIMENSION,
} from "../../functions/adapters/metric-names.js";
import type { PipelineFunction } from "./pipeline-function.js";

export const SILENT_AFTER_DAYS = 3;

export interface MonitoringProps {
  stage: string;
  alarmEmails: string[];
  pipeline: sfn.StateMachine;
  overdueCheck: sfn.StateMachine;
  deadLetterQueues: sqs.IQueue[];
  functions: Record<string, PipelineFunction>;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: Record<string, cloudwatch.Alarm> = {};
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    // SNS encryption with a customer managed key: CloudWatch alarms cannot publish to a topic
    // encrypted with the AWS managed key alias/aws/sns.
    const key = new kms.Key(this, "AlarmTopicKey", {
      description: `Encrypts the GACC trade charts alarm topic (${props.stage})`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowCloudWatchAlarmsToPublish",
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      }),
    );
    this.topic = new sns.Topic(this, "AlarmTopic", {
      displayName: `GACC trade charts alarms (${props.stage})`,
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.alarmEmails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    const notify = new actions.SnsAction(this.topic);

    const customMetric = (metricName: string, statistic: string, period: Duration) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [STAGE_DIMENSION]: props.stage },
        statistic,
        period,
      });
    const failedOrTimedOut = (sm: sfn.StateMachine, label: string) =>
      new cloudwatch.MathExpression({
        expression: "FILL(failed, 0) + FILL(timedOut, 0)",
        usingMetrics: {
          failed: sm.metricFailed({ period: Duration.minutes(5), statistic: "Sum" }),
          timedOut: sm.metricTimedOut({ period: Duration.minutes(5), statistic: "Sum" }),
        },
        label,
        period: Duration.minutes(5),
      });

    const add = (name: string, alarm: cloudwatch.Alarm) => {
      alarm.addAlarmAction(notify);
      this.alarms[name] = alarm;
    };

    add(
      "PipelineFailed",
      new cloudwatch.Alarm(this, "PipelineFailed", {
        alarmDescription:
          "A pipeline run failed or timed out after its retries: open the failed execution in Step Functions; its error names the stage and the cause.",
        metric: failedOrTimedOut(props.pipeline, "Pipeline runs failed or timed out"),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      "OverdueCheckFailed",
      new cloudwatch.Alarm(this, "OverdueCheckFailed", {
        alarmDescription: "The calendar's overdue check could not run: a late release would go unnoticed.",
        metric: failedOrTimedOut(props.overdueCheck, "Overdue checks failed or timed out"),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    props.deadLetterQueues.forEach((queue, i) => {
      add(
        `DlqNotEmpty${i === 0 ? "" : i}`,
        new cloudwatch.Alarm(this, `DlqNotEmpty${i === 0 ? "" : i}`, {
          alarmDescription:
            "A scheduled run could not be started after the scheduler's retries (or the scheduled refresh failed after Lambda's); the event is in the dead-letter queue (inspect it, then purge).",
          metric: queue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: "Maximum",
          }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    });
    add(
      "ReleasesQuarantined",
      new cloudwatch.Alarm(this, "ReleasesQuarantined", {
        alarmDescription:
          "A release failed a blocking check and was held back (nothing from it is published): review the reasons in the editors' console and accept or fix.",
        metric: customMetric(PIPELINE_METRICS.releasesQuarantined, "Sum", Duration.minutes(5)),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      "ReleaseOverdue",
      new cloudwatch.Alarm(this, "ReleaseOverdue", {
        alarmDescription:
          "No release was accepted in a release window that closed days ago (data/release-calendar.json): GACC may be late, or the site's layout changed. Check the index page and the last runs.",
        metric: customMetric(PIPELINE_METRICS.releasesOverdue, "Maximum", Duration.days(1)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      "PipelineSilent",
      new cloudwatch.Alarm(this, "PipelineSilent", {
        alarmDescription: `No pipeline run succeeded for ${SILENT_AFTER_DAYS} days although schedules run at least daily: schedules disabled, or every run failing.`,
        metric: props.pipeline.metricSucceeded({ period: Duration.days(1), statistic: "Sum" }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: SILENT_AFTER_DAYS,
        datapointsToAlarm: SILENT_AFTER_DAYS,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );

    const fns = Object.entries(props.functions);
    const hour = Duration.hours(1);
    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      defaultInterval: Duration.days(35),
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({
            title: "Alarms",
            alarms: Object.values(this.alarms),
            width: 24,
            height: 3,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: "Runs (pipeline executions)",
            left: [
              props.pipeline.metricSucceeded({ period: hour, statistic: "Sum", label: "succeeded" }),
              props.pipeline.metricFailed({ period: hour, statistic: "Sum", label: "failed" }),
              props.pipeline.metricTimedOut({ period: hour, statistic: "Sum", label: "timed out" }),
            ],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: "Releases",
            left: [
              customMetric(PIPELINE_METRICS.releasesAccepted, "Sum", Duration.days(1)).with({
                label: "accepted",
              }),
              customMetric(PIPELINE_METRICS.releasesQuarantined, "Sum", Duration.days(1)).with({
                label: "quarantined",
              }),
              customMetric(PIPELINE_METRICS.releasesOverdue, "Maximum", Duration.days(1)).with({
                label: "overdue",
              }),
            ],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: "Lambda errors",
            left: fns.map(([name, f]) => f.fn.metricErrors({ period: hour, statistic: "Sum", label: name })),
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: "Lambda duration (p90)",
            left: fns.map(([name, f]) =>
              f.fn.metricDuration({ period: hour, statistic: "p90", label: name }),
            ),
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: "Scheduler dead-letter queue",
            left: props.deadLetterQueues.map((q) =>
              q.metricApproximateNumberOfMessagesVisible({
                period: Duration.minutes(5),
                statistic: "Maximum",
              }),
            ),
            width: 8,
          }),
        ],
      ],
    });
  }
}
