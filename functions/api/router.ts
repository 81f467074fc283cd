/**
 * A tiny router: method + path pattern ("/api/runs/{id}") → handler, with one auth rule per route.
 * Writes need an identity in the editors group; reads need one only where the deployment says so.
 */
import { ApiError, type ApiRequest, type ApiResponse, errorResponse, json } from "./http.js";

export type Access = "read" | "write";

export interface Route {
  method: "GET" | "POST";
  /** Literal segments and `{name}` parameters. */
  pattern: string;
  access: Access;
  handler(req: ApiRequest, params: Record<string, string>): Promise<ApiResponse>;
}

export interface RouterOptions {
  /** Deployed: every route needs a signed-in user. Locally reads stay open. */
  readsNeedIdentity: boolean;
  /** The group whose members may write (Cognito group "editors"; the local token is in it). */
  editorGroup: string;
  /** How to sign in, for the 401 message. */
  signInHint: string;
}

export type ApiHandler = ((req: ApiRequest) => Promise<ApiResponse>) & {
  /**
   * The answer a request gets from its method, path and credentials alone (no such route, wrong
   * method, not signed in, not an editor), or undefined when it goes on to its handler. Lets an
   * adapter refuse before reading the body.
   */
  preflight?: (req: Omit<ApiRequest, "body">) => ApiResponse | undefined;
};

function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? "";
    const g = got[i] ?? "";
    if (w.startsWith("{") && w.endsWith("}")) {
      if (g === "") return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}

export function createRouter(routes: Route[], options: RouterOptions): ApiHandler {
  /** The route a request goes to, or the error that stops it before any handler runs. */
  const resolve = (
    req: Omit<ApiRequest, "body">,
  ): { hit: { route: Route; params: Record<string, string> } } | { refusal: ApiResponse } => {
    const candidates = routes
      .map((route) => ({ route, params: match(route.pattern, req.path) }))
      .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== undefined);
    if (candidates.length === 0) {
      return {
        refusal: errorResponse(
          new ApiError(404, "NOT_FOUND", `There is no ${req.path} in the editors' API.`),
        ),
      };
    }
    const hit = candidates.find((c) => c.route.method === req.method);
    if (!hit) {
      const allow = [...new Set(candidates.map((c) => c.route.method))].join(", ");
      return {
        refusal: json(
          405,
          {
            error: {
              code: "METHOD_NOT_ALLOWED",
              message: `${req.path} answers ${allow}, not ${req.method}.`,
            },
          },
          { allow },
        ),
      };
    }
    const needsIdentity = hit.route.access === "write" || options.readsNeedIdentity;
    if (needsIdentity && !req.identity) {
      const why = req.authProblem ? `${req.authProblem} ` : "";
      return {
        refusal: errorResponse(
          new ApiError(
            401,
            "UNAUTHENTICATED",
            `${hit.route.access === "write" ? "Only editors can do this" : "Sign in first"}. ${why}${options.signInHint}`,
          ),
        ),
      };
    }
    if (hit.route.access === "write" && req.identity && !req.identity.groups.includes(options.editorGroup)) {
      return {
        refusal: errorResponse(
          new ApiError(
            403,
            "FORBIDDEN",
            `You are signed in as ${req.identity.name}, but not as an editor: ask an administrator to add you to the "${options.editorGroup}" group.`,
          ),
        ),
      };
    }
    return { hit };
  };
  const handler: ApiHandler = async (req) => {
    try {
      const resolved = resolve(req);
      if ("refusal" in resolved) return resolved.refusal;
      return await resolved.hit.route.handler(req, resolved.hit.params);
    } catch (err) {
      return errorResponse(err);
    }
  };
  handler.preflight = (req) => {
    const resolved = resolve(req);
    return "refusal" in resolved ? resolved.refusal : undefined;
  };
  return handler;
}
