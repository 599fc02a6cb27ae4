import { TerraformOutput, TerraformVariable } from "cdktf";
import { prefixOfArn, SourceConnection } from "../../../../constructs/delivery/sources/source-connection";
import { awsTestStack, resourcesOf, synthJson } from "../../../helpers/runtime";

const CODECONNECTIONS_ARN = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0b9a0c2e-1111-2222-3333-444455556666";
const CODESTAR_ARN = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0b9a0c2e-1111-2222-3333-444455556666";

function build(connectionArn?: string, name = "demo") {
  const stack = awsTestStack();
  const connection = new SourceConnection(stack, "Connection", { name, region: "eu-west-1", connectionArn });
  const json = synthJson(stack) as ReturnType<typeof synthJson> & { output?: Record<string, { value: string; description: string }> };
  return { stack, connection, json };
}

describe("SourceConnection", () => {
  test("creates a GitHub connection by default", () => {
    const { json, connection } = build();
    expect(Object.values(resourcesOf(json, "aws_codestarconnections_connection"))).toEqual([{ name: "demo", provider_type: "GitHub" }]);
    expect(connection.isNew).toBe(true);
  });

  test("outputs the connection ARN and says it is PENDING until the handshake", () => {
    const { json } = build();
    const outputs = Object.entries(json.output ?? {});
    const arn = outputs.find(([key]) => key.includes("ConnectionArn"))?.[1];
    expect(arn?.value).toMatch(/^\$\{aws_codestarconnections_connection\..+\.arn\}$/);
    expect(arn?.description).toContain("PENDING");
  });

  test("outputs the console address where the handshake is completed", () => {
    const { json } = build();
    const url = Object.entries(json.output ?? {}).find(([key]) => key.includes("ConnectionConsoleUrl"))?.[1];
    expect(url?.value).toBe("https://eu-west-1.console.aws.amazon.com/codesuite/settings/connections?region=eu-west-1");
  });

  test("shortens names to the 32 characters CreateConnection allows", () => {
    const { json } = build(undefined, "a-project-name-that-is-far-too-long-for-connections");
    const [connection] = Object.values(resourcesOf(json, "aws_codestarconnections_connection"));
    expect((connection.name as string).length).toBeLessThanOrEqual(32);
  });

  test("creates nothing and outputs nothing when reusing a connection", () => {
    const { json, connection, stack } = build(CODECONNECTIONS_ARN);
    expect(resourcesOf(json, "aws_codestarconnections_connection")).toEqual({});
    expect(stack.node.findAll().some((c) => c instanceof TerraformOutput)).toBe(false);
    expect(connection.isNew).toBe(false);
    expect(connection.connectionArn).toBe(CODECONNECTIONS_ARN);
  });

  test("uses codestar-connections:UseConnection for a created connection (that resource returns such ARNs)", () => {
    const { connection } = build();
    expect(connection.useConnectionStatements("Use").map((s) => s.actions)).toEqual([["codestar-connections:UseConnection"]]);
  });

  test("matches the action prefix to a reused codeconnections ARN, limited to one repository with StringEquals", () => {
    const { connection } = build(CODECONNECTIONS_ARN);
    expect(connection.useConnectionStatements("Use", "acme/web")).toEqual([
      {
        sid: "Use",
        actions: ["codeconnections:UseConnection"],
        resources: [CODECONNECTIONS_ARN],
        conditions: [{ test: "StringEquals", variable: "codeconnections:FullRepositoryId", values: ["acme/web"] }],
      },
    ]);
  });

  test("matches the action prefix to a reused codestar-connections ARN", () => {
    const { connection } = build(CODESTAR_ARN);
    expect(connection.useConnectionStatements("Use").map((s) => s.actions)).toEqual([["codestar-connections:UseConnection"]]);
  });

  test("fails on an ARN that is not a connection", () => {
    expect(() => build("arn:aws:s3:::bucket")).toThrow('github.connectionArn must look like arn:aws:codeconnections:<region>:<account>:connection/<id>');
  });

  test("grants both prefixes when the ARN is only known at apply time", () => {
    expect(prefixOfArn("${TfToken[TOKEN.1]}")).toBe("both");
  });

  test("gives each prefix its own statement when both are granted: a condition on the other prefix's key would never match", () => {
    const stack = awsTestStack();
    const arn = new TerraformVariable(stack, "connection_arn", { type: "string" }).stringValue;
    const connection = new SourceConnection(stack, "Connection", { name: "demo", region: "eu-west-1", connectionArn: arn });
    expect(connection.useConnectionStatements("Use", "acme/web")).toEqual([
      {
        sid: "Use",
        actions: ["codestar-connections:UseConnection"],
        resources: [arn],
        conditions: [{ test: "StringEquals", variable: "codestar-connections:FullRepositoryId", values: ["acme/web"] }],
      },
      {
        sid: "UseViaCodeconnections",
        actions: ["codeconnections:UseConnection"],
        resources: [arn],
        conditions: [{ test: "StringEquals", variable: "codeconnections:FullRepositoryId", values: ["acme/web"] }],
      },
    ]);
  });
});
