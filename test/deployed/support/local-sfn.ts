/**
 * Step Functions, locally: the synthesized definition executed by aws-local-stepfunctions, each
 * `arn:aws:states:::lambda:invoke` task bound to the function its `FunctionName` names (as the Lambda
 * integration does: `{ Payload }` in, `{ ExecutedVersion, Payload, StatusCode }` out, a function error
 * becomes the state's error named by its errorType). Also served over HTTP with the three Step
 * Functions API calls the editors' API makes (StartExecution, DescribeExecution, GetExecutionHistory),
 * so the `scheduled` function starts a run exactly as it does deployed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { StateMachine } from "aws-local-stepfunctions";
import type { InvocationResult } from "./lambda-pool.js";

// aws-local-stepfunctions 3.0.0 asks for Node 22 for Promise.withResolvers only; the project (and CI)
// run Node 20, so this supplies it, to the spec (the only Node 22 API the engine uses).
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= () => {
  let resolve: unknown;
  let reject: unknown;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

export type Invoke = (functionArn: string, payload: unknown) => Promise<InvocationResult>;

export interface HistoryEvent {
  id: number;
  timestamp: number;
  type: string;
  stateEnteredEventDetails?: { name: string };
  mapStateStartedEventDetails?: { length: number };
  [k: string]: unknown;
}

export interface Execution {
  executionArn: string;
  name: string;
  input: unknown;
  status: "RUNNING" | "SUCCEEDED" | "FAILED";
  startDate: number;
  stopDate?: number;
  output?: unknown;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  /** State names in the order they were entered (retries appear again). */
  entered: string[];
  retried: string[];
  /**
   * Bytes of the engine's events with their state input and output: about what the execution log
   * (level ALL, execution data included, as the stack configures it) would ingest.
   */
  logBytes: number;
  done: Promise<void>;
}

interface State {
  Type: string;
  Resource?: string;
  ItemsPath?: string;
  ItemProcessor?: { States: Record<string, State> };
}

function taskStates(states: Record<string, State>): string[] {
  return Object.entries(states).flatMap(([name, s]) => [
    ...(s.Type === "Task" ? [name] : []),
    ...(s.ItemProcessor ? taskStates(s.ItemProcessor.States) : []),
  ]);
}

/** `$.a.b.c` on a value (the only path form the definition's ItemsPath uses). */
function at(value: unknown, path: string): unknown {
  return path
    .replace(/^\$\.?/, "")
    .split(".")
    .filter(Boolean)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

export class LocalStepFunctions {
  readonly executions = new Map<string, Execution>();
  private server: Server | undefined;
  endpoint = "";
  private readonly definition: { States: Record<string, State> };

  constructor(
    private readonly definitionText: string,
    readonly stateMachineArn: string,
    private readonly invoke: Invoke,
    /** Pause before a retry, in ms, instead of the definition's backoff (seconds to minutes). */
    private readonly retryPauseMs = 10,
  ) {
    this.definition = JSON.parse(definitionText);
  }

  executionArn(name: string): string {
    return `${this.stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  }

  start(name: string, input: unknown): Execution {
    const arn = this.executionArn(name);
    if (this.executions.has(arn)) {
      throw Object.assign(new Error(`Execution Already Exists: '${arn}'`), {
        type: "ExecutionAlreadyExists",
      });
    }
    // A fresh parse per execution: the engine may mutate definition objects (States.JsonMerge).
    const machine = new StateMachine(JSON.parse(this.definitionText));
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    const tasks = taskStates(this.definition.States);
    for (const name of tasks) {
      handlers[name] = async (raw) => {
        const { FunctionName, Payload } = raw as { FunctionName: string; Payload: unknown };
        const r = await this.invoke(FunctionName, Payload);
        if (!r.ok) {
          // Lambda's error output, as Step Functions puts it in Cause.
          const cause = JSON.stringify({ errorType: r.errorType, errorMessage: r.errorMessage });
          throw Object.assign(new Error(cause), { name: r.errorType ?? "Error" });
        }
        return { ExecutedVersion: "$LATEST", Payload: r.result, StatusCode: 200 };
      };
    }
    const startDate = Date.now();
    const run = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        retryIntervalOverrides: Object.fromEntries(tasks.map((t) => [t, this.retryPauseMs])),
      },
      context: {
        Execution: {
          Id: arn,
          Name: name,
          Input: input as never,
          StartTime: new Date(startDate).toISOString(),
        },
        StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineArn.split(":").pop() },
      },
    });
    const execution: Execution = {
      executionArn: arn,
      name,
      input,
      status: "RUNNING",
      startDate,
      events: [],
      entered: [],
      retried: [],
      logBytes: 0,
      done: Promise.resolve(),
    };
    const push = (e: Omit<HistoryEvent, "id">) =>
      execution.events.push({ ...e, id: execution.events.length + 1 } as HistoryEvent);
    const follow = async () => {
      for await (const e of run.eventLogs) {
        execution.logBytes += Buffer.byteLength(JSON.stringify(e) ?? "", "utf8");
        if (e.type === "StateEntered") {
          const st = e.state;
          execution.entered.push(st.name);
          push({
            timestamp: e.timestamp,
            type: `${st.type}StateEntered`,
            stateEnteredEventDetails: { name: st.name },
          });
          const def = this.definition.States[st.name];
          if (def?.Type === "Map" && def.ItemsPath) {
            const items = at(st.input, def.ItemsPath);
            push({
              timestamp: e.timestamp,
              type: "MapStateStarted",
              mapStateStartedEventDetails: { length: Array.isArray(items) ? items.length : 0 },
            });
          }
        } else if (e.type === "StateRetried") {
          execution.retried.push(e.state.name);
          push({ timestamp: e.timestamp, type: "TaskRetried" });
        } else if (e.type === "ExecutionFailed") {
          execution.error = e.Error;
          execution.cause = typeof e.Cause === "string" ? e.Cause : JSON.stringify(e.Cause);
          push({ timestamp: e.timestamp, type: e.type });
        } else {
          push({ timestamp: e.timestamp, type: e.type });
        }
      }
    };
    execution.done = Promise.all([
      follow(),
      run.result.then(
        (output) => {
          execution.output = output;
          execution.status = "SUCCEEDED";
        },
        (err: Error) => {
          execution.status = "FAILED";
          execution.error ??= err.name;
          execution.cause ??= err.message;
        },
      ),
    ]).then(() => {
      execution.stopDate = Date.now();
    });
    this.executions.set(arn, execution);
    return execution;
  }

  async startServer(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const op = String(req.headers["x-amz-target"] ?? "").split(".")[1];
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        const send = (status: number, value: unknown) => {
          res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
          res.end(JSON.stringify(value));
        };
        const fail = (type: string, message: string) => send(400, { __type: type, message });
        const secs = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
        if (op === "StartExecution") {
          if (body.stateMachineArn !== this.stateMachineArn)
            return fail(
              "StateMachineDoesNotExist",
              `State Machine Does Not Exist: '${body.stateMachineArn}'`,
            );
          try {
            const ex = this.start(body.name, JSON.parse(body.input ?? "{}"));
            return send(200, { executionArn: ex.executionArn, startDate: secs(ex.startDate) });
          } catch (err) {
            return fail("ExecutionAlreadyExists", (err as Error).message);
          }
        }
        const ex = this.executions.get(body.executionArn);
        if (!ex) return fail("ExecutionDoesNotExist", `Execution Does Not Exist: '${body.executionArn}'`);
        if (op === "DescribeExecution") {
          return send(200, {
            executionArn: ex.executionArn,
            stateMachineArn: this.stateMachineArn,
            name: ex.name,
            status: ex.status,
            startDate: secs(ex.startDate),
            stopDate: secs(ex.stopDate),
            input: JSON.stringify(ex.input),
            ...(ex.output !== undefined ? { output: JSON.stringify(ex.output) } : {}),
            ...(ex.error ? { error: ex.error, cause: ex.cause } : {}),
          });
        }
        if (op === "GetExecutionHistory") {
          return send(200, { events: ex.events.map((e) => ({ ...e, timestamp: secs(e.timestamp) })) });
        }
        return fail("UnknownOperationException", `not served locally: ${op}`);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.executions.values()].map((e) => e.done));
    const s = this.server;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
