import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { hostname } from "node:os";

/** What the service knows about itself; everything comes from the environment or the ECS task metadata. */
export interface ServiceIdentity {
  /** Commit SHA the image was built from (Docker build argument BUILD_SHA, baked into the image). */
  readonly buildSha: string;
  /** Container hostname: differs per task, so repeated requests show which task answered. */
  readonly hostname: string;
  /** Environment name, when the task definition sets DEPLOY_ENVIRONMENT. */
  readonly environment?: string;
  /** Task ARN and task definition revision from the ECS task metadata endpoint, when running on ECS. */
  readonly task?: { readonly arn: string; readonly family: string; readonly revision: string };
}

export function identityFromEnvironment(env: NodeJS.ProcessEnv = process.env): ServiceIdentity {
  return { buildSha: env.BUILD_SHA || "unknown", hostname: hostname(), environment: env.DEPLOY_ENVIRONMENT || undefined };
}

/**
 * Reads the task's identity from the ECS task metadata endpoint (v4). A new deployment registers a new task
 * definition revision, so the revision tells the old task set from the new one. Returns undefined off ECS.
 */
export async function readTaskMetadata(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1000,
): Promise<ServiceIdentity["task"]> {
  const base = env.ECS_CONTAINER_METADATA_URI_V4;
  if (!base) return undefined;
  try {
    const response = await fetch(`${base}/task`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json()) as { TaskARN?: string; Family?: string; Revision?: string };
    return { arn: body.TaskARN ?? "unknown", family: body.Family ?? "unknown", revision: body.Revision ?? "unknown" };
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body, null, 2);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json",
    "cache-control": "no-store",
  });
  res.end(text);
}

/** Routes: `/` who answered, `/health` for the target groups, `/version` the build SHA. */
export function handle(identity: ServiceIdentity, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(res, 405, { error: "method not allowed" });
  } else if (path === "/health") {
    send(res, 200, "ok\n");
  } else if (path === "/version") {
    send(res, 200, { buildSha: identity.buildSha });
  } else if (path === "/") {
    send(res, 200, {
      message: "Hello from the blue/green sample service",
      buildSha: identity.buildSha,
      environment: identity.environment ?? null,
      hostname: identity.hostname,
      task: identity.task ?? null,
      // CodeDeploy moves traffic between target groups; it never tells a task whether it is blue or green.
      color:
        "unknown to the task: CodeDeploy does not tell a task its colour. Compare buildSha and task.revision before and after a deployment; during one, the test listener serves the new revision.",
    });
  } else {
    send(res, 404, { error: `no route for ${path}` });
  }
}

export function createServer(identity: ServiceIdentity): Server {
  return createHttpServer((req, res) => handle(identity, req, res));
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? "8080");
  const identity = { ...identityFromEnvironment(), task: await readTaskMetadata() };
  const server = createServer(identity);
  server.listen(port, "0.0.0.0", () => console.log(`listening on ${port}, build ${identity.buildSha}`));
  // ECS sends SIGTERM on scale-in and after a deployment: finish in-flight requests, then exit.
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

if (require.main === module) {
  void main();
}
