import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { PolicyDocument } from "./policy-document";
import { roleBoundaryOf } from "./role-boundary";
import { PolicyCondition, PolicyStatement } from "./statement";

export interface ServiceRoleProps {
  /** Role name; prefixed with the project by the caller. */
  readonly name: string;
  /** Service principal allowed to assume the role, e.g. `ecs-tasks.amazonaws.com`. Ignored when `trust` is given. */
  readonly servicePrincipal?: string;
  /**
   * Conditions on the service trust (confused-deputy protection, e.g. `aws:SourceAccount`).
   * @default - none
   */
  readonly trustConditions?: readonly PolicyCondition[];
  /**
   * A full trust policy, for federated (OIDC) principals.
   * @default - `sts:AssumeRole` by `servicePrincipal`
   */
  readonly trust?: readonly PolicyStatement[];
  /** What the role is for; shown in the console. */
  readonly description: string;
  /**
   * The role's permissions boundary, or `false` for none (only the identity roles an administrator
   * applies: the deploy and plan roles themselves).
   * @default - the stack's boundary (`useRoleBoundary`); none when the stack registered none
   */
  readonly permissionsBoundary?: string | false;
}

/**
 * An IAM role with one inline policy that grows as constructs grant it access.
 * The inline policy only exists once a statement is added.
 */
export class ServiceRole extends Construct {
  public readonly role: IamRole;
  public readonly trustPolicy: PolicyDocument;
  private inlinePolicy?: PolicyDocument;
  private inlinePolicyResource?: IamRolePolicy;
  private readonly managedPolicyAttachments: IamRolePolicyAttachment[] = [];
  private readonly managedDocuments: PolicyDocument[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    if (!props.trust && !props.servicePrincipal) {
      throw new Error(`role ${props.name}: give a servicePrincipal or a trust policy`);
    }
    const trust = props.trust ?? [
      {
        sid: "TrustService",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: [props.servicePrincipal as string] }],
        conditions: props.trustConditions,
      },
    ];
    this.trustPolicy = new PolicyDocument(this, "Trust", trust);
    // Central, so no role of an application stack can be created without the project boundary
    // (the deploy role is only allowed to create roles that carry it).
    const boundary = props.permissionsBoundary === false ? undefined : (props.permissionsBoundary ?? roleBoundaryOf(this));
    this.role = new IamRole(this, "Role", {
      name: props.name,
      description: props.description,
      assumeRolePolicy: this.trustPolicy.json,
      permissionsBoundary: boundary,
    });
  }

  public get arn(): string {
    return this.role.arn;
  }

  public get name(): string {
    return this.role.name;
  }

  /** Grants the statements through the role's inline policy. */
  public addToPolicy(...statements: PolicyStatement[]): void {
    if (!this.inlinePolicy) {
      this.inlinePolicy = new PolicyDocument(this, "Permissions");
      this.inlinePolicyResource = new IamRolePolicy(this, "Policy", {
        name: "least-privilege",
        role: this.role.id,
        policy: this.inlinePolicy.json,
      });
    }
    this.inlinePolicy.addStatements(...statements);
  }

  /** The statements granted so far, in order. */
  public get statements(): readonly PolicyStatement[] {
    return this.inlinePolicy?.statementList ?? [];
  }

  /**
   * Grants the statements through a customer managed policy of its own (`name`), attached to the role: for
   * roles whose grants outgrow the 10,240 characters IAM allows for all inline policies of a role
   * (a managed policy holds 6,144).
   */
  public addManagedPolicy(id: string, name: string, description: string, statements: readonly PolicyStatement[]): IamPolicy {
    const document = new PolicyDocument(this, `${id}Document`, statements);
    const policy = new IamPolicy(this, id, { name, description, policy: document.json });
    this.managedDocuments.push(document);
    this.managedPolicyAttachments.push(new IamRolePolicyAttachment(this, `${id}Attachment`, { role: this.role.name, policyArn: policy.arn }));
    return policy;
  }

  /** Statements of the customer managed policies added with `addManagedPolicy`, in order. */
  public get managedStatements(): readonly PolicyStatement[] {
    return this.managedDocuments.flatMap((document) => document.statementList);
  }

  /** Attaches an AWS managed policy; only for the service-role policies AWS maintains (e.g. `AWSCodeDeployRoleForECSLimited`). */
  public attachManagedPolicy(id: string, policyArn: string): IamRolePolicyAttachment {
    const attachment = new IamRolePolicyAttachment(this, id, { role: this.role.name, policyArn });
    this.managedPolicyAttachments.push(attachment);
    return attachment;
  }

  /**
   * The resources that grant the role its permissions, for `dependsOn`: a resource that AWS checks
   * against the role at creation (a Lambda, a deployment group) must wait until they exist.
   */
  public get grants(): ITerraformDependable[] {
    return [...(this.inlinePolicyResource ? [this.inlinePolicyResource] : []), ...this.managedPolicyAttachments];
  }
}
