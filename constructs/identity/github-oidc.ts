import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { PolicyStatement, ServiceRole } from "./iam";
import { DEPLOY_POLICY_PARTS, DeployPolicyPart, deployPolicyStatements } from "./deploy-policy";
import { deploySubjects, planSubjectPattern } from "./oidc-subjects";
import { suppress } from "../policy/suppressions";
import { stateKeyAlias } from "../state/state-bucket";

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
/** Condition-key prefix of the issuer (the URL without scheme). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";
/** AWS managed read-only policy: Terraform's refresh reads every resource type of the stacks. */
export const READ_ONLY_ACCESS_POLICY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess";

export { PASS_ROLE_SERVICES } from "./deploy-policy";
/**
 * Data reads ReadOnlyAccess allows but no plan needs: pull-request code runs with the plan role, so it
 * must not read secrets or table data. S3 objects outside the state are denied separately (NotResource).
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
/** What nobody deploying the application stacks may do to the state key (the deploy role manages the project's tagged keys, and the state key carries the project tag). */
export const STATE_KEY_PROTECTED_ACTIONS = [
  "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:CreateGrant", "kms:DisableKeyRotation", "kms:TagResource", "kms:UntagResource",
] as const;
/** The state alias: deleting or re-pointing it would move the state key out of an alias-keyed deny. */
export const STATE_ALIAS_PROTECTED_ACTIONS = ["kms:DeleteAlias", "kms:UpdateAlias"] as const;
export const STATE_READ_ACTIONS = ["s3:GetObject"] as const;
export const STATE_WRITE_ACTIONS = ["s3:PutObject", "s3:DeleteObject"] as const;
export const STATE_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;
/** Reading SSE-KMS state needs only Decrypt. */
export const STATE_KEY_READ_ACTIONS = ["kms:Decrypt"] as const;

/** The ARNs of the workflows' two roles: what the GitHub stack publishes as Actions variables. */
export interface WorkflowRoleArns {
  readonly deployRoleArn: string;
  readonly planRoleArn: string;
}

/** The deploy role's name: `<project>-github-deploy`. */
export function deployRoleName(project: string): string {
  return `${project}-github-deploy`;
}

/** The plan role's name: `<project>-github-plan`. */
export function planRoleName(project: string): string {
  return `${project}-github-plan`;
}

/**
 * The two roles' ARNs built from their deterministic names. Stacks that the deploy workflow applies use
 * these instead of a cross-stack reference to the access stack, which the workflow never deploys (a
 * reference would make the access stack a dependency of every deploy).
 */
export function workflowRoleArns(project: string, account: string): WorkflowRoleArns {
  return {
    deployRoleArn: `arn:aws:iam::${account}:role/${deployRoleName(project)}`,
    planRoleArn: `arn:aws:iam::${account}:role/${planRoleName(project)}`,
  };
}

/** Where the S3 backend keeps state (omit for HCP Terraform: the roles then get no state grants). */
export interface GithubStateAccess {
  readonly bucketName: string;
  /** `state.keyPrefix`; every stack's key lives below it. */
  readonly keyPrefix: string;
  readonly region: string;
  /**
   * The state key's ARN (`state.kmsKeyArn`, the bootstrap stack's `StateKmsKeyArn` output): the deploy
   * role's protection of the key then holds whatever happens to its alias.
   * @default - the deny is keyed on the state alias, which the deploy role is denied to delete or re-point
   */
  readonly keyArn?: string;
  /**
   * Object keys of the state only an administrator writes (the access and bootstrap stacks).
   * @default - none
   */
  readonly protectedStateKeys?: readonly string[];
}

export interface GithubOidcRolesProps {
  /** Prefix of the role names (`<name>-github-deploy`, `<name>-github-plan`) and of every role and bucket the deploy role may manage. */
  readonly name: string;
  /** The infrastructure repository, `owner/name`: the only repository whose workflows may assume the roles. */
  readonly repository: string;
  /** The GitHub deployment environment (protected by reviewers and a branch policy): only its jobs may assume the deploy role. */
  readonly deployEnvironment: string;
  /** The deploy branch: only its deploy and release workflows may assume the deploy role. */
  readonly branch: string;
  /** Name of the project permissions boundary policy: the deploy role may only create and change roles that carry it. */
  readonly boundaryPolicyName: string;
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
  /**
   * The roles' maximum session (IAM MaxSessionDuration), 3600 to 43200: at least the longest session a workflow
   * asks for, or its credentials expire before its waits end.
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * Identity for the infrastructure workflows: the GitHub OIDC provider and two roles, applied by an
 * administrator in the access stack (never by the deploy role). The plan role reads (pull requests of
 * the infrastructure repository); the deploy role is trusted only by jobs in the protected deployment
 * environment, changes only the project's own resources, and creates roles only inside the boundary.
 */
export class GithubOidcRoles extends Construct implements WorkflowRoleArns {
  public readonly provider?: IamOpenidConnectProvider;
  public readonly providerArn: string;
  public readonly deployRole: ServiceRole;
  public readonly planRole: ServiceRole;
  public readonly deployRoleArn: string;
  public readonly planRoleArn: string;
  /** The account id, taken from the provider's ARN (no `aws_caller_identity`: offline plans stay possible). */
  public readonly accountId: string;
  /** The exact `sub` claims the deploy role trusts (the repository's customized subject: identity/oidc-subjects.ts). */
  public readonly deploySubjects: readonly string[];
  /** The `sub` pattern (StringLike) the plan role trusts. */
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
    // The subject names the environment, the event and the workflow file (the GitHub stack sets the repository's
    // subject template): the environment's reviewers approve the run, and only deploy.yml on push and release.yml
    // on workflow_dispatch, from the deploy branch, match, whatever the environment's branch policy admits.
    this.deploySubjects = deploySubjects({ repository: props.repository, environment: props.deployEnvironment, branch: props.branch });
    this.planSubject = planSubjectPattern(props.repository);

    this.planRole = this.oidcRole("PlanRole", planRoleName(props.name), { repository: props.repository, test: "StringLike", values: [this.planSubject] }, "plan (pull requests)");
    this.deployRole = this.oidcRole(
      "DeployRole",
      deployRoleName(props.name),
      { repository: props.repository, test: "StringEquals", values: this.deploySubjects },
      `deploy (environment ${props.deployEnvironment}, branch ${props.branch})`,
    );
    for (const role of [this.planRole, this.deployRole]) role.role.maxSessionDuration = maxSessionDuration;
    this.deployRoleArn = this.deployRole.arn;
    this.planRoleArn = this.planRole.arn;

    // Refresh reads every resource type the stacks hold; AWS keeps this list current as services add APIs.
    this.planRole.attachManagedPolicy("ReadOnly", READ_ONLY_ACCESS_POLICY_ARN);
    this.deployRole.attachManagedPolicy("ReadOnly", READ_ONLY_ACCESS_POLICY_ARN);
    this.planRole.addToPolicy(...planDenies(props.state));
    if (props.state) {
      this.planRole.addToPolicy(...stateStatements(props.state, this.accountId, "plan"));
      this.deployRole.addToPolicy(
        ...stateStatements(props.state, this.accountId, "deploy"),
        ...stateProtection(props.state, this.accountId),
      );
    }
    const policyArn = (suffix: string) => `arn:aws:iam::${this.accountId}:policy/${props.name}-deploy-${suffix}`;
    const deploy = deployPolicyStatements({
      project: props.name,
      region: props.region,
      account: this.accountId,
      boundaryArn: `arn:aws:iam::${this.accountId}:policy/${props.boundaryPolicyName}`,
      // By name, not by reference: the role's policy naming its own ARN would be a dependency cycle.
      identityRoleArns: Object.values(workflowRoleArns(props.name, this.accountId)),
      identityPolicyArns: DEPLOY_POLICY_PARTS.map(policyArn),
    });
    const descriptions: Record<DeployPolicyPart, string> = {
      resources: "Deploy role: the project's resources, by name",
      tagged: "Deploy role: the project's resources by project tag, and actions without a resource type",
      identity: "Deploy role: project roles inside the boundary only; the identity layer denied",
    };
    for (const part of DEPLOY_POLICY_PARTS) {
      this.deployRole.addManagedPolicy(`${pascalCase(part)}Policy`, `${props.name}-deploy-${part}`, descriptions[part], deploy[part]);
    }
    suppress(this.deployRole, [
      {
        id: "BG-IAM-001",
        reason: "The deploy role applies the application stacks: whole-service verbs, but only on the project's names or tagged resources.",
      },
      {
        id: "BG-IAM-002",
        reason:
          "Only actions without a resource type are on `*` (CreateKey, CreateConnection, DeregisterTaskDefinition, StopDeployment, DeleteTarget), all limited to the region.",
      },
    ]);
  }

  private oidcRole(id: string, name: string, subject: { repository: string; test: "StringEquals" | "StringLike"; values: readonly string[] }, purpose: string): ServiceRole {
    return new ServiceRole(this, id, {
      name,
      description: `GitHub Actions ${purpose} role for ${subject.repository}`,
      // The identity roles are the administrator's: the boundary is for the roles they create.
      permissionsBoundary: false,
      trust: [
        {
          sid: "TrustGithubActions",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [this.providerArn] }],
          conditions: [
            { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:aud`, values: [GITHUB_OIDC_AUDIENCE] },
            { test: subject.test, variable: `${GITHUB_OIDC_HOST}:sub`, values: [...subject.values] },
          ],
        },
      ],
    });
  }
}

/** ReadOnlyAccess includes data reads; a pull request's code runs with the plan role, so deny the sensitive ones. */
function planDenies(state: GithubStateAccess | undefined): PolicyStatement[] {
  // Deny statements with `*`: they only ever take permissions away.
  const denies: PolicyStatement[] = [{ sid: "DenyDataReads", effect: "Deny", actions: [...PLAN_DENIED_DATA_READS], resources: ["*"] }];
  // Every S3 object but the state: other buckets' data, artifacts, and the Lambda bundles ReadOnlyAccess would show.
  const objectReads = ["s3:GetObject", "s3:GetObjectVersion"];
  denies.push(
    state
      ? { sid: "DenyObjectReadsOutsideState", effect: "Deny", actions: objectReads, notResources: [`arn:aws:s3:::${state.bucketName}/${keyPattern(state.keyPrefix)}`] }
      : { sid: "DenyObjectReadsOutsideState", effect: "Deny", actions: objectReads, resources: ["*"] },
  );
  return denies;
}

/**
 * State objects of every stack. The plan role only reads (pull-request plans run with `-lock=false`);
 * the deploy role also writes, except the state of the stacks an administrator applies.
 */
function stateStatements(state: GithubStateAccess, account: string, mode: "plan" | "deploy"): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${state.bucketName}`;
  const keys = `${bucketArn}/${keyPattern(state.keyPrefix)}`;
  const statements: PolicyStatement[] = [
    // Listing reveals key names only; the S3 backend lists workspaces during init.
    { sid: "ListState", actions: ["s3:ListBucket"], resources: [bucketArn] },
    mode === "deploy"
      ? { sid: "ReadWriteState", actions: [...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS], resources: [keys] }
      : { sid: "ReadState", actions: [...STATE_READ_ACTIONS], resources: [keys] },
    {
      // Through S3 only, and only for this bucket's objects; with the key's ARN when the config names it.
      sid: "StateKey",
      actions: mode === "deploy" ? [...STATE_KEY_ACTIONS] : [...STATE_KEY_READ_ACTIONS],
      resources: [state.keyArn ?? `arn:aws:kms:${state.region}:${account}:key/*`],
      conditions: [
        { test: "StringEquals", variable: "kms:ViaService", values: [`s3.${state.region}.amazonaws.com`] },
        { test: "StringLike", variable: "kms:EncryptionContext:aws:s3:arn", values: [bucketArn, `${bucketArn}/*`] },
      ],
    },
  ];
  const protectedKeys = (state.protectedStateKeys ?? []).flatMap((key) => [`${bucketArn}/${key}`, `${bucketArn}/${key}.tflock`]);
  if (mode === "deploy" && protectedKeys.length > 0) {
    // A forged access-stack state would mislead the administrator's next apply.
    statements.push({ sid: "DenyAdministratorStateWrites", effect: "Deny", actions: [...STATE_WRITE_ACTIONS], resources: protectedKeys });
  }
  return statements;
}

/** The deploy role manages buckets by prefix and keys by the project tag; the state's bucket, key and alias are carved out. */
function stateProtection(state: GithubStateAccess, account: string): PolicyStatement[] {
  const alias = `arn:aws:kms:${state.region}:${account}:${stateKeyAlias(state.bucketName)}`;
  return [
    {
      sid: "ProtectStateBucket",
      effect: "Deny",
      actions: [...STATE_BUCKET_PROTECTED_ACTIONS],
      resources: [`arn:aws:s3:::${state.bucketName}`],
    },
    state.keyArn
      ? { sid: "ProtectStateKey", effect: "Deny", actions: [...STATE_KEY_PROTECTED_ACTIONS], resources: [state.keyArn] }
      : {
          sid: "ProtectStateKey",
          effect: "Deny",
          actions: [...STATE_KEY_PROTECTED_ACTIONS],
          resources: [`arn:aws:kms:${state.region}:${account}:key/*`],
          conditions: [{ test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: [stateKeyAlias(state.bucketName)] }],
        },
    // Keeps the alias on the state key, so the alias-keyed form above keeps matching it.
    { sid: "ProtectStateKeyAlias", effect: "Deny", actions: [...STATE_ALIAS_PROTECTED_ACTIONS], resources: [alias] },
  ];
}

function keyPattern(keyPrefix: string): string {
  const prefix = keyPrefix.replace(/^\/+|\/+$/g, "");
  return prefix === "" ? "*" : `${prefix}/*`;
}

function validate(props: GithubOidcRolesProps): void {
  if (!/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(props.repository)) {
    throw new Error(`GithubOidcRoles: repository must be owner/name (got "${props.repository}")`);
  }
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(props.deployEnvironment)) {
    throw new Error(`GithubOidcRoles: deployEnvironment must be one exact environment name of letters, digits, '.', '_' or '-' (got "${props.deployEnvironment}")`);
  }
  const seconds = props.maxSessionDurationSeconds;
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 3600 || seconds > 43200)) {
    throw new Error(`GithubOidcRoles: maxSessionDurationSeconds must be an integer from 3600 to 43200 (got ${seconds})`);
  }
}

function pascalCase(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}
