import { AddressInfo } from "node:net";
import { Server } from "node:http";
import { createServer, identityFromEnvironment, readTaskMetadata } from "../src/server";

describe("sample service", () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer({
      buildSha: "0123456789ab",
      hostname: "ip-10-0-1-23",
      environment: "prod",
      task: { arn: "arn:aws:ecs:eu-west-1:1:task/c/abc", family: "demo-prod", revision: "7" },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("answers the target group health check on /health", async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok\n");
  });

  test("reports the build SHA on /version", async () => {
    const response = await fetch(`${base}/version`);
    expect(await response.json()).toEqual({ buildSha: "0123456789ab" });
  });

  test("shows which task, revision and build answered on /", async () => {
    const body = await (await fetch(`${base}/`)).json();
    expect(body).toMatchObject({
      buildSha: "0123456789ab",
      environment: "prod",
      hostname: "ip-10-0-1-23",
      task: { family: "demo-prod", revision: "7" },
    });
    expect(body.color).toContain("CodeDeploy does not tell a task its colour");
  });

  test("answers 404 on unknown paths", async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  test("refuses writes", async () => {
    expect((await fetch(`${base}/`, { method: "POST" })).status).toBe(405);
  });
});

describe("identity", () => {
  test("reads the build SHA and environment from the environment", () => {
    expect(identityFromEnvironment({ BUILD_SHA: "abc", DEPLOY_ENVIRONMENT: "staging" })).toMatchObject({
      buildSha: "abc",
      environment: "staging",
    });
  });

  test("says unknown when the image was built without BUILD_SHA", () => {
    expect(identityFromEnvironment({}).buildSha).toBe("unknown");
  });

  test("has no task metadata outside ECS", async () => {
    expect(await readTaskMetadata({})).toBeUndefined();
  });
});
