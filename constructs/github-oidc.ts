import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { PolicyCondition, PolicyStatement, ServiceRole } from "./iam";
import { suppress } from "./policy/suppressions";
import { stateKeyAlias } from "./state-bucket";

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
/** Condition-key prefix of the issuer (the URL without scheme). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";
/** AWS managed read-only policy: Terraform's refresh reads every resource type of the stacks. */
export const READ_ONLY_ACCESS_POLICY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/** Services whose resources the AWS stack creates, updates and deletes (their ARN prefix equals the action prefix). */
export const DEPLOY_REGIONAL_SERVICES = [
  "application-autoscaling", "cloudwatch", "codebuild", "codeconnections", "codedeploy", "codepipeline",
  "codestar-connections", "codestar-notifications", "ec2", "ecr", "ecs", "elasticloadbalancing", "events",
  "kms", "lambda", "logs", "sns",
] as const;
/** Deploy actions the Service Authorization Reference lists without a resource type. */
export const DEPLOY_RESOURCELESS_ACTIONS = ["ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "kms:CreateKey"] as const;
/** Managing the project's own roles (names start with the project prefix). */
export const DEPLOY_ROLE_ACTIONS = [
  "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
  "iam:TagRole", "iam:UntagRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
  "iam:DetachRolePolicy", "iam:ListInstanceProfilesForRole",
] as const;
/**
 * Services Terraform hands the project's roles to while creating resources. ecs.amazonaws.com: a service on
 * ECS-native blue/green names its infrastructure role and its lifecycle-hook role (`strategy: ecs`).
 */
export const PASS_ROLE_SERVICES = [
  "codebuild.amazonaws.com", "codedeploy.amazonaws.com", "codepipeline.amazonaws.com", "ecs.amazonaws.com", "ecs-tasks.amazonaws.com",
  "events.amazonaws.com", "lambda.amazonaws.com",
] as const;
/** Updating the GitHub OIDC provider in place; never Create/Delete, so a workflow cannot remove its own way in. */
export const OIDC_PROVIDER_UPDATE_ACTIONS = [
  "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint",
  "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
] as const;
/**
 * Data reads ReadOnlyAccess allows but no plan needs: pull-request code runs with the plan role, so it
 * must not read secrets or table data. (S3 objects stay readable: excluding all but the state would
 * need a NotResource deny, which the shared PolicyStatement type does not model.)
 */
export const PLAN_DENIED_DATA_READS = [
  "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
  "ssm:GetParameterHistory", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
  "dynamodb:GetRecords",
] as const;
/** What nobody deploying the application stacks may do to the state bucket (it may share the project prefix). */
export const STATE_BUCKET_PROTECTED_ACTIONS = [
  "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration",
  "s3:PutEncryptionConfiguration", "s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls",
] as const;
/** What nobody deploying the application stacks may do to the state key (the deploy role manages KMS keys of the region). */
export const STATE_KEY_PROTECTED_ACTIONS = ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:CreateGrant"] as const;
export const STATE_READ_ACTIONS = ["s3:GetObject"] as const;
export const STATE_WRITE_ACTIONS = ["s3:PutObject", "s3:DeleteObject"] as const;
export const STATE_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

/** Where the S3 backend keeps state (omit for HCP Terraform: the roles then get no state grants). */
export interface GithubStateAccess {
  readonly bucketName: string;
  /** `state.keyPrefix`; every stack's key lives below it. */
  readonly keyPrefix: string;
  readonly region: string;
}

export interface GithubOidcRolesProps {
  /** Prefix of the role names (`<name>-github-deploy`, `<name>-github-plan`) and of every role and bucket the deploy role may manage. */
  readonly name: string;
  /** The infrastructure repository, `owner/name`: the only repository whose workflows may assume the roles. */
  readonly repository: string;
  /** The deploy branch: only pushes to it may assume the deploy role. */
  readonly branch: string;
  /** The region the stacks deploy to; the deploy role's regional grants are limited to it. */
  readonly region: string;
  /**
   * An existing GitHub OIDC provider (an account holds at most one per URL).
   * @default - this construct creates the provider
   */
  readonly providerArn?: string;
  /**
   * The S3 state the workflows read (plan) and write (deploy).
   * @default - no state grants (HCP Terraform holds the state)
   */
  readonly state?: GithubStateAccess;
  /** @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * Identity for the infrastructure workflows: the GitHub OIDC provider and two roles. The plan
 * role is read-only and trusted only by pull requests of the infrastructure repository; the
 * deploy role is trusted only by pushes to its deploy branch and can change what the stacks own.
 */
export class GithubOidcRoles extends Construct {
  public readonly provider?: IamOpenidConnectProvider;
  public readonly providerArn: string;
  public readonly deployRole: ServiceRole;
  public readonly planRole: ServiceRole;
  public readonly deployRoleArn: string;
  public readonly planRoleArn: string;
  /** The account id, taken from the provider's ARN (no `aws_caller_identity`: offline plans stay possible). */
  public readonly accountId: string;
  /** The exact `sub` claims the roles trust. */
  public readonly deploySubject: string;
  public readonly planSubject: string;

  constructor(scope: Construct, id: string, props: GithubOidcRolesProps) {
    super(scope, id);
    validate(props);
    const maxSessionDuration = props.maxSessionDurationSeconds ?? 3600;
    if (props.providerArn) {
      this.providerArn = props.providerArn;
    } else {
      // No thumbprint_list: optional since provider 5.81, and AWS validates GitHub's certificate
      // against its own trusted CAs for this issuer, ignoring thumbprints.
      this.provider = new IamOpenidConnectProvider(this, "Provider", {
        url: GITHUB_OIDC_URL,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
      });
      this.providerArn = this.provider.arn;
    }
    this.accountId = Fn.element(Fn.split(":", this.providerArn), 4);
    this.deploySubject = `repo:${props.repository}:ref:refs/heads/${props.branch}`;
    this.planSubject = `repo:${props.repository}:pull_request`;

    this.planRole = this.oidcRole("PlanRole", `${props.name}-github-plan`, this.planSubject, "plan (pull requests)");
    this.deployRole = this.oidcRole("DeployRole", `${props.name}-github-deploy`, this.deploySubject, `deploy (${props.branch})`);
    for (const role of [this.planRole, this.deployRole]) role.role.maxSessionDuration = maxSessionDuration;
    this.deployRoleArn = this.deployRole.arn;
    this.planRoleArn = this.planRole.arn;

    // Refresh reads every resource type the stacks hold; AWS keeps this list current as services add APIs.
    this.planRole.attachManagedPolicy("ReadOnly", READ_ONLY_ACCESS_POLICY_ARN);
    this.deployRole.attachManagedPolicy("ReadOnly", READ_ONLY_ACCESS_POLICY_ARN);
    this.planRole.addToPolicy(...this.planDenies());
    if (props.state) {
      this.planRole.addToPolicy(...stateStatements(props.state, this.accountId, "plan"));
      this.deployRole.addToPolicy(
        ...stateStatements(props.state, this.accountId, "deploy"),
        ...stateProtection(props.state, this.accountId),
      );
    }
    this.deployRole.addToPolicy(...this.deployStatements(props));
    suppress(this.deployRole, [
      {
        id: "BG-IAM-001",
        reason: "The deploy role applies the whole AWS stack: whole-service grants, limited to this account and region by resource ARN.",
      },
      { id: "BG-IAM-002", reason: "kms:CreateKey has no resource-level permission (a key ARN exists only after creation)." },
    ]);
  }

  private oidcRole(id: string, name: string, subject: string, purpose: string): ServiceRole {
    return new ServiceRole(this, id, {
      name,
      description: `GitHub Actions ${purpose} role for ${subject}`,
      trust: [
        {
          sid: "TrustGithubActions",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [this.providerArn] }],
          conditions: [
            { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:aud`, values: [GITHUB_OIDC_AUDIENCE] },
            { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:sub`, values: [subject] },
          ],
        },
      ],
    });
  }

  /** ReadOnlyAccess includes data reads; a pull request's code runs with this role, so deny the sensitive ones. */
  private planDenies(): PolicyStatement[] {
    // Deny statements with `*`: they only ever take permissions away.
    return [{ sid: "DenyDataReads", effect: "Deny", actions: [...PLAN_DENIED_DATA_READS], resources: ["*"] }];
  }

  private deployStatements(props: GithubOidcRolesProps): PolicyStatement[] {
    const account = this.accountId;
    const projectRoles = `arn:aws:iam::${account}:role/${props.name}-*`;
    return [
      {
        // Broad by necessity: `cdktf deploy` creates, updates and deletes every resource type of the AWS stack.
        // Limited to this account and region: nothing elsewhere can be touched.
        sid: "ManageRegionalResources",
        actions: DEPLOY_REGIONAL_SERVICES.map((s) => `${s}:*`),
        resources: DEPLOY_REGIONAL_SERVICES.map((s) => `arn:aws:${s}:${props.region}:${account}:*`),
      },
      // These actions have no resource-level permission (Service Authorization Reference): `*` is the only form.
      { sid: "ResourcelessActions", actions: [...DEPLOY_RESOURCELESS_ACTIONS], resources: ["*"], conditions: [regionCondition(props.region)] },
      {
        // The pipeline's artifact buckets; bucket ARNs carry no account or region, so the project prefix scopes them.
        sid: "ManageProjectBuckets",
        actions: ["s3:*"],
        resources: [`arn:aws:s3:::${props.name}-*`, `arn:aws:s3:::${props.name}-*/*`],
      },
      // Creating roles with any policy is admin-equivalent for whoever can merge to the deploy branch:
      // the branch protection (reviews, the plan check) is the control. Limited to the project's roles.
      { sid: "ManageProjectRoles", actions: [...DEPLOY_ROLE_ACTIONS], resources: [projectRoles] },
      {
        sid: "PassProjectRoles",
        actions: ["iam:PassRole"],
        resources: [projectRoles],
        conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: [...PASS_ROLE_SERVICES] }],
      },
      {
        // ECS, ELB and Auto Scaling create their service-linked role on first use in an account.
        sid: "CreateServiceLinkedRoles",
        actions: ["iam:CreateServiceLinkedRole"],
        resources: [`arn:aws:iam::${account}:role/aws-service-role/*`],
        conditions: [
          {
            test: "StringEquals",
            variable: "iam:AWSServiceName",
            values: ["ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "ecs.application-autoscaling.amazonaws.com"],
          },
        ],
      },
      { sid: "UpdateGithubOidcProvider", actions: [...OIDC_PROVIDER_UPDATE_ACTIONS], resources: [this.providerArn] },
    ];
  }
}

/** State objects of every stack, plus their `.tflock` files (use_lockfile writes one even for a plan). */
function stateStatements(state: GithubStateAccess, account: string, mode: "plan" | "deploy"): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${state.bucketName}`;
  const keys = `${bucketArn}/${keyPattern(state.keyPrefix)}`;
  return [
    // Listing reveals key names only; the S3 backend lists workspaces during init.
    { sid: "ListState", actions: ["s3:ListBucket"], resources: [bucketArn] },
    mode === "deploy"
      ? { sid: "ReadWriteState", actions: [...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS], resources: [keys] }
      : { sid: "ReadState", actions: [...STATE_READ_ACTIONS], resources: [keys] },
    ...(mode === "plan"
      ? [{ sid: "WriteStateLock", actions: [...STATE_WRITE_ACTIONS], resources: [`${bucketArn}/${keyPattern(state.keyPrefix)}.tflock`] }]
      : []),
    {
      // The bucket's KMS key lives in the bootstrap stack (local state), so it is not referenced by ARN:
      // any key of the account, but only through S3 and only for this bucket's objects.
      sid: "StateKey",
      actions: [...STATE_KEY_ACTIONS],
      resources: [`arn:aws:kms:${state.region}:${account}:key/*`],
      conditions: [
        { test: "StringEquals", variable: "kms:ViaService", values: [`s3.${state.region}.amazonaws.com`] },
        { test: "StringLike", variable: "kms:EncryptionContext:aws:s3:arn", values: [bucketArn, `${bucketArn}/*`] },
      ],
    },
  ];
}

/** The deploy role manages buckets and keys by prefix and region; the state's bucket and key are carved out. */
function stateProtection(state: GithubStateAccess, account: string): PolicyStatement[] {
  return [
    {
      sid: "ProtectStateBucket",
      effect: "Deny",
      actions: [...STATE_BUCKET_PROTECTED_ACTIONS],
      resources: [`arn:aws:s3:::${state.bucketName}`],
    },
    {
      sid: "ProtectStateKey",
      effect: "Deny",
      actions: [...STATE_KEY_PROTECTED_ACTIONS],
      resources: [`arn:aws:kms:${state.region}:${account}:key/*`],
      conditions: [{ test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: [stateKeyAlias(state.bucketName)] }],
    },
  ];
}

function keyPattern(keyPrefix: string): string {
  const prefix = keyPrefix.replace(/^\/+|\/+$/g, "");
  return prefix === "" ? "*" : `${prefix}/*`;
}

function regionCondition(region: string): PolicyCondition {
  return { test: "StringEquals", variable: "aws:RequestedRegion", values: [region] };
}

function validate(props: GithubOidcRolesProps): void {
  if (!/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(props.repository)) {
    throw new Error(`GithubOidcRoles: repository must be owner/name (got "${props.repository}")`);
  }
  if (props.branch.trim() === "" || /[*?[\]]/.test(props.branch)) {
    throw new Error(`GithubOidcRoles: branch must be one exact branch name, no wildcards (got "${props.branch}")`);
  }
  const seconds = props.maxSessionDurationSeconds;
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 3600 || seconds > 43200)) {
    throw new Error(`GithubOidcRoles: maxSessionDurationSeconds must be an integer from 3600 to 43200 (got ${seconds})`);
  }
}
