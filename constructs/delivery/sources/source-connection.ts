import { CodestarconnectionsConnection } from "@cdktf/provider-aws/lib/codestarconnections-connection";
import { TerraformOutput, Token } from "cdktf";
import { Construct } from "constructs";
import { PolicyStatement } from "../../identity/iam";
import { shortName } from "../../core/naming";

/** CreateConnection limits connection names to 32 characters. */
const CONNECTION_NAME_MAX_LENGTH = 32;

/** The two spellings of the same service (AWS renamed CodeStar Connections to CodeConnections in 2024). */
export type ConnectionServicePrefix = "codestar-connections" | "codeconnections";

export interface SourceConnectionProps {
  /** Connection name (shortened to 32 characters when longer). */
  readonly name: string;
  /** Region, for the console address printed in the outputs. */
  readonly region: string;
  /**
   * Reuse an existing connection (`arn:aws:codestar-connections:...` or `arn:aws:codeconnections:...`)
   * instead of creating one; then nothing is created and no handshake output is printed.
   * @default - a new GitHub connection is created (PENDING until its handshake is completed once)
   */
  readonly connectionArn?: string;
}

/**
 * The GitHub connection the pipeline's source action uses. A new connection is PENDING until someone
 * completes the GitHub App handshake once in the console; the stack outputs where to do it.
 */
export class SourceConnection extends Construct {
  public readonly connectionArn: string;
  /** True when this construct created the connection (it then needs the one-time handshake). */
  public readonly isNew: boolean;
  public readonly connection?: CodestarconnectionsConnection;
  /** IAM service prefix matching the connection ARN. */
  public readonly servicePrefix: ConnectionServicePrefix | "both";

  constructor(scope: Construct, id: string, props: SourceConnectionProps) {
    super(scope, id);
    if (props.connectionArn !== undefined) {
      this.isNew = false;
      this.connectionArn = props.connectionArn;
      this.servicePrefix = prefixOfArn(props.connectionArn);
      return;
    }
    this.isNew = true;
    this.connection = new CodestarconnectionsConnection(this, "Connection", {
      name: shortName(props.name, "", CONNECTION_NAME_MAX_LENGTH),
      providerType: "GitHub",
    });
    this.connectionArn = this.connection.arn;
    // This resource calls the CodeStar Connections API, which returns `arn:aws:codestar-connections:` ARNs
    // (terraform-provider-aws #38611: the rename did not change what this resource returns; the separate
    // aws_codeconnections_connection resource returns `arn:aws:codeconnections:` ones).
    this.servicePrefix = "codestar-connections";

    const consoleUrl = `https://${props.region}.console.aws.amazon.com/codesuite/settings/connections?region=${props.region}`;
    new TerraformOutput(this, "ConnectionArn", {
      value: this.connectionArn,
      description:
        "GitHub connection used by the pipeline. It stays PENDING, and every pipeline run fails at Source, until someone completes the handshake once in the console (see ConnectionConsoleUrl).",
    });
    new TerraformOutput(this, "ConnectionConsoleUrl", {
      value: consoleUrl,
      description:
        "Open this page, select the PENDING connection, choose 'Update pending connection' and install/authorize the AWS Connector for GitHub app. Needed once per new connection.",
    });
  }

  /**
   * `UseConnection` on this connection only, with the action prefix that matches its ARN, limited to
   * one repository (`owner/name`). One statement per prefix: a condition names its own service's key,
   * and a key absent from the request fails `StringEquals`, so the two prefixes cannot share a statement.
   */
  public useConnectionStatements(sid: string, fullRepositoryId?: string): PolicyStatement[] {
    const prefixes: ConnectionServicePrefix[] =
      this.servicePrefix === "both" ? ["codestar-connections", "codeconnections"] : [this.servicePrefix];
    return prefixes.map((prefix, index) => ({
      sid: index === 0 ? sid : `${sid}ViaCodeconnections`,
      actions: [`${prefix}:UseConnection`],
      resources: [this.connectionArn],
      // StringEquals, not ForAllValues: the key is single-valued, and ForAllValues passes when it is absent.
      conditions: fullRepositoryId
        ? [{ test: "StringEquals", variable: `${prefix}:FullRepositoryId`, values: [fullRepositoryId] }]
        : undefined,
    }));
  }
}

/** The IAM prefix of a connection ARN; a token (unknown until apply) gets both, since either may come back. */
export function prefixOfArn(arn: string): ConnectionServicePrefix | "both" {
  if (Token.isUnresolved(arn)) {
    return "both";
  }
  const match = /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/.exec(arn);
  if (!match) {
    throw new Error(
      `github.connectionArn must look like arn:aws:codeconnections:<region>:<account>:connection/<id> or arn:aws:codestar-connections:<region>:<account>:connection/<id> (got "${arn}")`,
    );
  }
  return match[1] as ConnectionServicePrefix;
}
