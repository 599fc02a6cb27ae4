import { ActionsVariable } from "@cdktf/provider-github/lib/actions-variable";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

/** Names that suggest a credential: those belong in an Actions secret, set by a person, never in IaC. */
const SECRET_LIKE_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL/i;
/** GitHub's rule for variable names; the GITHUB_ prefix is reserved. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ActionsVariablesProps {
  /** Repository name (without owner) whose workflows read the variables. */
  readonly repository: string;
  /** Variable name to value; values may be tokens of another stack (cross-stack references). Never secrets. */
  readonly variables: Readonly<Record<string, string>>;
  /** @default - the stack's default GitHub provider */
  readonly provider?: TerraformProvider;
}

/**
 * Plain GitHub Actions variables (`vars.NAME` in workflows), such as the region and the OIDC role
 * ARNs. Variables are readable by anyone who can read the repository's settings and are printed in
 * logs, so names that look like credentials are refused.
 */
export class ActionsVariables extends Construct {
  public readonly variables: ActionsVariable[];

  constructor(scope: Construct, id: string, props: ActionsVariablesProps) {
    super(scope, id);
    const names = Object.keys(props.variables).sort();
    for (const name of names) validateName(name);
    this.variables = names.map(
      (name) =>
        new ActionsVariable(this, constructId(name), {
          provider: props.provider,
          repository: props.repository,
          variableName: name,
          value: props.variables[name],
        }),
    );
  }
}

function validateName(name: string): void {
  if (!VARIABLE_NAME.test(name) || name.toUpperCase().startsWith("GITHUB_")) {
    throw new Error(`ActionsVariables: "${name}" is not a valid variable name (letters, digits, "_", not starting with a digit or GITHUB_)`);
  }
  if (SECRET_LIKE_NAME.test(name)) {
    throw new Error(`ActionsVariables: "${name}" looks like a credential; store it as an Actions secret by hand, never as a variable in code`);
  }
}

/** AWS_DEPLOY_ROLE_ARN -> AwsDeployRoleArn: stable PascalCase construct ids. */
function constructId(name: string): string {
  return name
    .toLowerCase()
    .split("_")
    .filter((part) => part !== "")
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}
