/**
 * Lambda: the editors' API behind API Gateway (HTTP API, payload format 2.0) with a Cognito JWT
 * authorizer on every route. The authorizer verifies the token; this handler reads its claims: any
 * signed-in user may read, members of the `editors` group (claim `cognito:groups`) may write.
 *
 * Only through CloudFront: the default execute-api endpoint is disabled, and a request to the API's
 * origin name without CloudFront's origin header (functions/api/origin-verify.ts) is refused first.
 *
 * `scheduled` is a second entry point for EventBridge Scheduler: a scheduled refresh that goes
 * through the same lock and run records as an editor's (and does nothing while a run is in progress).
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { StepFunctionsLauncher } from "../adapters/sfn-launcher.js";
import { cognitoIdentity } from "../api/auth.js";
import { EditorService } from "../api/editors/service.js";
import { ApiError, type ApiRequest, errorResponse, serialize } from "../api/http.js";
import { cameThroughCdn, NOT_THROUGH_CDN_MESSAGE } from "../api/origin-verify.js";
import type { ApiHandler } from "../api/router.js";
import { createEditorsApi } from "../api/routes.js";
import { DEPLOYED_LOCK_TTL_MS, editorDeps, processWiring } from "../composition.js";
import { RunInProgress } from "../domain/errors.js";
import { SCHEDULE_ACTOR } from "../domain/runs.js";

export const DEPLOYED_SIGN_IN_HINT =
  "Sign in to the editor console with your newsroom account (Cognito) and send its token as `Authorization: Bearer <token>`.";

let service: EditorService | undefined;
let api: ApiHandler | undefined;

const { env } = processWiring;

function editorService(): EditorService {
  service ??= new EditorService(
    editorDeps({ launcher: new StepFunctionsLauncher(env.stateMachineArn), lockTtlMs: DEPLOYED_LOCK_TTL_MS }),
  );
  return service;
}

function editorsApi(): ApiHandler {
  api ??= createEditorsApi(editorService(), {
    readsNeedIdentity: true,
    editorGroup: env.editorsGroup,
    signInHint: DEPLOYED_SIGN_IN_HINT,
  });
  return api;
}

export function requestOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const body = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8")
    : new Uint8Array();
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ""),
    headers,
    body,
    identity: cognitoIdentity(event.requestContext.authorizer?.jwt?.claims),
  };
}

export async function handler(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Promise<APIGatewayProxyStructuredResultV2> {
  let res: ReturnType<typeof serialize>;
  try {
    // Checked first, before the body or the token is looked at: a call around CloudFront gets nothing.
    const expected = env.originVerify;
    if (expected !== undefined && !cameThroughCdn(event.headers, expected)) {
      throw new ApiError(403, "NOT_THROUGH_CDN", NOT_THROUGH_CDN_MESSAGE);
    }
    res = serialize(await editorsApi()(requestOf(event)));
  } catch (err) {
    // Configuration trouble and the origin check end here (the router answers everything else).
    res = serialize(errorResponse(err));
  }
  return { statusCode: res.status, headers: res.headers, body: res.body };
}

/** EventBridge Scheduler target: a refresh by "schedule"; skipped (not failed) while a run is in progress. */
export async function scheduled(
  event: { schedule?: string } = {},
): Promise<{ runId: string | null; skipped?: string }> {
  try {
    const run = await editorService().refresh(
      { id: SCHEDULE_ACTOR.id, name: `${SCHEDULE_ACTOR.name}${event.schedule ? ` ${event.schedule}` : ""}` },
      {},
    );
    return { runId: run.runId };
  } catch (err) {
    if (err instanceof RunInProgress) return { runId: null, skipped: `run ${err.runningId} in progress` };
    throw err;
  }
}
