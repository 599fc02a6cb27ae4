import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { PolicyStatement, toTerraformStatement } from "./statement";

/**
 * An IAM policy document whose statements can still be added after construction:
 * the construct that needs access adds its statement to the role that needs it.
 * Rendered by Terraform (`aws_iam_policy_document`), so ARNs may be tokens.
 */
export class PolicyDocument extends Construct {
  public readonly document: DataAwsIamPolicyDocument;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, statements: readonly PolicyStatement[] = []) {
    super(scope, id);
    this.statements.push(...statements);
    this.document = new DataAwsIamPolicyDocument(this, "Document", {
      // Lazy so grants made later in the tree still land here; the value is already in Terraform's shape.
      statement: Lazy.anyValue({ produce: () => this.statements.map(toTerraformStatement) }),
    });
  }

  /** Adds statements; a second statement with an existing sid is a programming error. */
  public addStatements(...statements: PolicyStatement[]): void {
    for (const statement of statements) {
      if (this.statements.some((s) => s.sid === statement.sid)) {
        throw new Error(`policy ${this.node.path} already has a statement with sid "${statement.sid}"`);
      }
      this.statements.push(statement);
    }
  }

  /** The statements added so far (for tests and the policy pack). */
  public get statementList(): readonly PolicyStatement[] {
    return this.statements;
  }

  /** The rendered JSON, for `policy` / `assume_role_policy` arguments. */
  public get json(): string {
    return this.document.json;
  }
}
