import { projectNamePatterns } from "../../config/project-scope";
import { PolicyCondition, PolicyStatement } from "./iam";

export { inProjectNameScope, projectNamePatterns } from "../../config/project-scope";

/**
 * The deploy role's grants, scoped to the project's own resources ("no write wildcard on
 * region-wide ARNs"). Two ways to scope, by what the service's ARNs carry:
 * - a name: the project prefix (`<project>` and `<project>-*`; fleet service stacks are `<project>-<service>`);
 * - an id only (EC2, KMS keys, connections, notification rules): the project tag, which the provider's
 *   default_tags put on every resource; `aws:RequestTag` on create, `aws:ResourceTag` on change.
 * Whole-service action lists (`ecs:*`) remain: Terraform manages every attribute of these resources,
 * and the resource scope, not the verb, is what keeps other teams' resources out of reach.
 */

/** The tag key every resource of the project carries (provider default_tags); its value is the project name. */
export const PROJECT_TAG_KEY = "project";

/** Services whose resources the application stacks own, scoped by name (their ARN prefix equals the action prefix). */
export const NAME_SCOPED_SERVICES = [
  "cloudwatch", "codebuild", "codedeploy", "codepipeline", "ecr", "ecs", "elasticloadbalancing", "events", "lambda", "logs", "sns",
] as const;

/** Id-only ARNs: connections, notification rules and KMS keys are scoped by the project tag. */
export const TAG_SCOPED_SERVICES = ["codeconnections", "codestar-connections", "codestar-notifications", "kms"] as const;

/** EC2 resource types the network creates; each create request must carry the project tag. */
export const EC2_CREATED_TYPES = [
  "vpc", "subnet", "security-group", "security-group-rule", "internet-gateway", "route-table", "natgateway", "elastic-ip",
] as const;

/** EC2 calls that create a tagged resource (tag-on-create needs ec2:CreateTags with `ec2:CreateAction`). */
export const EC2_CREATE_ACTIONS = [
  "ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
  "ec2:CreateInternetGateway", "ec2:CreateRouteTable", "ec2:CreateNatGateway", "ec2:AllocateAddress",
] as const;

/** EC2 changes to existing project resources (and, for creates, to the parent VPC, subnet or address). */
export const EC2_CHANGE_ACTIONS = [
  "ec2:AssociateRouteTable", "ec2:AttachInternetGateway", "ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress",
  "ec2:CreateNatGateway", "ec2:CreateRoute", "ec2:CreateRouteTable", "ec2:CreateSecurityGroup", "ec2:CreateSubnet", "ec2:CreateTags",
  "ec2:DeleteInternetGateway", "ec2:DeleteNatGateway", "ec2:DeleteRoute", "ec2:DeleteRouteTable", "ec2:DeleteSecurityGroup",
  "ec2:DeleteSubnet", "ec2:DeleteTags", "ec2:DeleteVpc", "ec2:DetachInternetGateway", "ec2:DisassociateAddress",
  "ec2:DisassociateRouteTable", "ec2:ModifySecurityGroupRules", "ec2:ModifySubnetAttribute", "ec2:ModifyVpcAttribute",
  "ec2:ReleaseAddress", "ec2:ReplaceRoute", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
  "ec2:UpdateSecurityGroupRuleDescriptionsEgress", "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
] as const;

/**
 * The project's role changes, allowed only with the project boundary on the role (boundary delegation:
 * every one of these actions supports the `iam:PermissionsBoundary` key in the Service Authorization Reference).
 */
export const BOUNDED_ROLE_ACTIONS = [
  "iam:CreateRole", "iam:PutRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRolePolicy",
  "iam:PutRolePermissionsBoundary", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
] as const;

/**
 * The AWS managed policies the application stacks attach to their roles: AttachRolePolicy is allowed for these
 * only (`iam:PolicyARN`), so no project role gets AdministratorAccess or the deploy role's own policies.
 */
export const ATTACHABLE_MANAGED_POLICIES = [
  "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECSLimited",
  "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers",
] as const;

/** Role actions without the `iam:PermissionsBoundary` key: tags (sent with CreateRole) and the listing Terraform does before a delete. */
export const ROLE_TAG_ACTIONS = ["iam:TagRole", "iam:UntagRole", "iam:ListInstanceProfilesForRole"] as const;

/**
 * Services Terraform hands the project's roles to while creating resources. ecs.amazonaws.com: a service on
 * ECS-native blue/green names its infrastructure role and its lifecycle-hook role (`strategy: ecs`).
 */
export const PASS_ROLE_SERVICES = [
  "codebuild.amazonaws.com", "codedeploy.amazonaws.com", "codepipeline.amazonaws.com", "ecs.amazonaws.com", "ecs-tasks.amazonaws.com",
  "events.amazonaws.com", "lambda.amazonaws.com",
] as const;

/** What the deploy role may never do to the identity layer (its own and the plan role, their policies). */
export const IDENTITY_ROLE_PROTECTED_ACTIONS = [
  "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
  "iam:UpdateRoleDescription",
] as const;

/** What the deploy role may never do to the boundary policy. */
export const BOUNDARY_PROTECTED_ACTIONS = [
  "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
] as const;

/** What the deploy role may never do to an OIDC provider (creating a second one, or changing GitHub's). */
export const OIDC_PROVIDER_PROTECTED_ACTIONS = [
  "iam:AddClientIDToOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider",
  "iam:RemoveClientIDFromOpenIDConnectProvider", "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
  "iam:UpdateOpenIDConnectProviderThumbprint",
] as const;

/**
 * Creates the Service Authorization Reference lists without a resource type (the ARN exists only
 * afterwards): `*` is the only form, limited to the region and to requests carrying the project tag.
 */
export const DEPLOY_RESOURCELESS_CREATES = ["kms:CreateKey", "codestar-connections:CreateConnection", "codeconnections:CreateConnection"] as const;

/**
 * Changes the Service Authorization Reference lists without a resource type: `*` in the region only.
 * Least privilege gives way here: these reach other teams' resources of the region too.
 * - ecs:DeregisterTaskDefinition: Terraform deregisters the old revision when a task definition changes;
 * - codedeploy:StopDeployment: the operations CLI's stop and rollback;
 * - codestar-notifications:DeleteTarget: Terraform removes the SNS target when a notification rule goes.
 */
export const DEPLOY_RESOURCELESS_ACTIONS = ["ecs:DeregisterTaskDefinition", "codedeploy:StopDeployment", "codestar-notifications:DeleteTarget"] as const;

export interface DeployPolicyProps {
  /** The project name: prefix of every resource name, and the value of the project tag. */
  readonly project: string;
  readonly region: string;
  /** Account id (a token: taken from an ARN, no caller-identity lookup). */
  readonly account: string;
  /** ARN of the project permissions boundary every role the deploy role creates must carry. */
  readonly boundaryArn: string;
  /** The identity roles (deploy and plan): never changed by the deploy role. */
  readonly identityRoleArns: readonly string[];
  /** The deploy role's own managed policies: never changed by the deploy role. */
  readonly identityPolicyArns: readonly string[];
}

function regionCondition(region: string): PolicyCondition {
  return { test: "StringEquals", variable: "aws:RequestedRegion", values: [region] };
}

function tagCondition(kind: "RequestTag" | "ResourceTag", project: string): PolicyCondition {
  return { test: "StringEquals", variable: `aws:${kind}/${PROJECT_TAG_KEY}`, values: [project] };
}

/** `<prefix>` and `<prefix>-*` under an ARN head: the project's own names, not `<prefix>2`'s. */
function named(head: string, project: string, tail = ""): string[] {
  const { exact, prefixed } = projectNamePatterns(project);
  return [`${head}${exact}${tail}`, `${head}${prefixed}${tail}`];
}

/** Services whose resources carry the project tag and evaluate `aws:ResourceTag` (the fence of name-scoped access). */
export const FENCED_SERVICES = [...NAME_SCOPED_SERVICES, "iam"] as const;

/**
 * Deny everything on a resource that carries another project's tag. Names scope the grants; a project whose name
 * extends this one's (`payments-api` beside `payments`) matches `<project>-*`, and only its tag tells it apart.
 * Creates carry no resource tag yet, and untagged resources no tag at all: both pass (Null false).
 */
export function projectFence(project: string, actions: readonly string[] = FENCED_SERVICES.map((service) => `${service}:*`)): PolicyStatement {
  return {
    sid: "DenyOtherProjects",
    effect: "Deny",
    actions: [...actions],
    resources: ["*"],
    conditions: [
      { test: "StringNotEquals", variable: `aws:ResourceTag/${PROJECT_TAG_KEY}`, values: [project] },
      { test: "Null", variable: `aws:ResourceTag/${PROJECT_TAG_KEY}`, values: ["false"] },
    ],
  };
}

/** RunTask and StartTask only on the project's clusters: the task definition's ARN does not say where it runs. */
export function runTaskOutsideProjectClusters(project: string, region: string, account: string): PolicyStatement {
  return {
    sid: "DenyTasksOnOtherClusters",
    effect: "Deny",
    actions: ["ecs:RunTask", "ecs:StartTask"],
    resources: ["*"],
    // The project's clusters are `<project>-<environment>` (the ECS grants name no bare `<project>` cluster either).
    conditions: [{ test: "ArnNotLike", variable: "ecs:cluster", values: [`arn:aws:ecs:${region}:${account}:cluster/${projectNamePatterns(project).prefixed}`] }],
  };
}

/** Name-scoped ARNs of the project, per service (formats from the Service Authorization Reference). */
export function projectResourceArns(project: string, region: string, account: string): Record<(typeof NAME_SCOPED_SERVICES)[number], string[]> {
  const at = (service: string) => `arn:aws:${service}:${region}:${account}:`;
  return {
    cloudwatch: [`${at("cloudwatch")}alarm:${project}-*`],
    codebuild: named(`${at("codebuild")}project/`, project),
    codedeploy: [
      ...named(`${at("codedeploy")}application:`, project),
      ...named(`${at("codedeploy")}deploymentgroup:`, project, "/*"),
      `${at("codedeploy")}deploymentconfig:${project}-*`,
    ],
    // Pipelines, and their stage actions (`<pipeline>/<stage>/<action>`, e.g. PutApprovalResult); webhooks are `webhook:<name>`.
    codepipeline: [...named(at("codepipeline"), project), ...named(at("codepipeline"), project, "/*"), `${at("codepipeline")}webhook:${project}-*`],
    ecr: named(`${at("ecr")}repository/`, project),
    ecs: [
      `${at("ecs")}cluster/${project}-*`,
      `${at("ecs")}service/${project}-*/*`,
      `${at("ecs")}task-set/${project}-*/*/*`,
      `${at("ecs")}task-definition/${project}-*:*`,
      // Tasks (DescribeTasks), and the service deployments and revisions an ECS-native release starts and follows.
      `${at("ecs")}task/${project}-*/*`,
      `${at("ecs")}service-deployment/${project}-*/*/*`,
      `${at("ecs")}service-revision/${project}-*/*/*`,
    ],
    elasticloadbalancing: [
      `${at("elasticloadbalancing")}loadbalancer/app/${project}-*/*`,
      `${at("elasticloadbalancing")}targetgroup/${project}-*/*`,
      `${at("elasticloadbalancing")}listener/app/${project}-*/*`,
      `${at("elasticloadbalancing")}listener-rule/app/${project}-*/*`,
    ],
    events: [`${at("events")}rule/${project}-*`],
    // The smoke-test hook must be named CodeDeployHook_* (AWSCodeDeployRoleForECSLimited invokes only those);
    // other functions (the deployed-image tagger) carry the project prefix.
    lambda: [`${at("lambda")}function:CodeDeployHook_${project}-*`, `${at("lambda")}function:${project}-*`],
    logs: [
      ...named(`${at("logs")}log-group:/aws/codebuild/`, project),
      ...named(`${at("logs")}log-group:/aws/codebuild/`, project, ":*"),
      `${at("logs")}log-group:/ecs/${project}-*`,
      `${at("logs")}log-group:/ecs/${project}-*:*`,
      `${at("logs")}log-group:/aws/lambda/CodeDeployHook_${project}-*`,
      `${at("logs")}log-group:/aws/lambda/CodeDeployHook_${project}-*:*`,
      `${at("logs")}log-group:/aws/lambda/${project}-*`,
      `${at("logs")}log-group:/aws/lambda/${project}-*:*`,
    ],
    sns: [`${at("sns")}${project}-*`],
  };
}

/** The deploy role's managed policies, by name suffix (`<project>-deploy-<part>`). */
export const DEPLOY_POLICY_PARTS = ["resources", "tagged", "identity"] as const;
export type DeployPolicyPart = (typeof DEPLOY_POLICY_PARTS)[number];

/**
 * The deploy role's policy in three parts, each a managed policy: IAM allows 6,144 characters per
 * managed policy and 10,240 for all inline policies of a role, and the project name recurs in most ARNs
 * (tested with the longest project name and region). `resources`: the application services by name;
 * `tagged`: what is scoped by the project tag, and the actions without a resource type; `identity`:
 * roles only inside the boundary, and the denies that keep the identity layer out of reach.
 */
export function deployPolicyStatements(props: DeployPolicyProps): Record<DeployPolicyPart, PolicyStatement[]> {
  const all = deployStatementList(props);
  const from = (sid: string) => all.findIndex((statement) => statement.sid === sid);
  const [tagged, identity] = [from("ManageTaggedResources"), from("ManageProjectRolesInBoundary")];
  const buckets = all.filter((statement) => statement.sid === "ManageProjectBuckets");
  const middle = all.slice(tagged, identity).filter((statement) => statement.sid !== "ManageProjectBuckets");
  return { resources: [...all.slice(0, tagged), ...buckets], tagged: middle, identity: all.slice(identity) };
}

function deployStatementList(props: DeployPolicyProps): PolicyStatement[] {
  const { project, region, account } = props;
  const byName = projectResourceArns(project, region, account);
  const projectRoles = `arn:aws:iam::${account}:role/${project}-*`;
  const boundary: PolicyCondition = { test: "StringEquals", variable: "iam:PermissionsBoundary", values: [props.boundaryArn] };
  return [
    // One statement per service: whole-service verbs, on the project's names only.
    ...NAME_SCOPED_SERVICES.map((service) => ({
      sid: `ManageProject${pascal(service)}`,
      actions: [`${service}:*`],
      resources: byName[service],
    })),
    {
      // Connections, notification rules and KMS keys have id-only ARNs: changed only while they carry the project tag,
      // which only a create puts there (TagOnCreate; DenyProjectTagChanges keeps it from being added or removed later).
      sid: "ManageTaggedResources",
      actions: TAG_SCOPED_SERVICES.map((service) => `${service}:*`),
      resources: TAG_SCOPED_SERVICES.map((service) => `arn:aws:${service}:${region}:${account}:*`),
      conditions: [tagCondition("ResourceTag", project)],
    },
    {
      // Creates with the project tag. KMS checks kms:TagResource for the Tags of CreateKey, on a resource that must
      // cover every key of the region (KMS developer guide, "Controlling access to tags"): IAM cannot tell that check
      // from tagging an existing key, so a key's project tag is no ownership (KMS statements below say so).
      sid: "TagOnCreate",
      actions: ["kms:TagResource", "codestar-notifications:CreateNotificationRule"],
      resources: [`arn:aws:kms:${region}:${account}:key/*`, `arn:aws:codestar-notifications:${region}:${account}:notificationrule/*`],
      conditions: [tagCondition("RequestTag", project)],
    },    {
      // KMS aliases carry names: the project's ECR key alias; CreateAlias also needs the (tagged) key.
      sid: "ManageProjectKeyAliases",
      actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      resources: named(`arn:aws:kms:${region}:${account}:alias/ecr/`, project),
    },
    // No resource-level permission (Service Authorization Reference): `*` in this region, creates only with the project tag.
    {
      sid: "ResourcelessCreates",
      actions: [...DEPLOY_RESOURCELESS_CREATES],
      resources: ["*"],
      conditions: [regionCondition(region), tagCondition("RequestTag", project)],
    },
    { sid: "ResourcelessActions", actions: [...DEPLOY_RESOURCELESS_ACTIONS], resources: ["*"], conditions: [regionCondition(region)] },
    // The pipeline passes the connection; a reused one (github.connectionArn) carries no project tag. Passing grants
    // nothing by itself, and only to CodePipeline. One statement per prefix: each condition key is its service's own.
    ...(["codestar-connections", "codeconnections"] as const).map((prefix) => ({
      sid: prefix === "codeconnections" ? "PassConnectionToPipelineViaCodeconnections" : "PassConnectionToPipeline",
      actions: [`${prefix}:PassConnection`],
      resources: [`arn:aws:${prefix}:${region}:${account}:connection/*`],
      conditions: [{ test: "StringEquals", variable: `${prefix}:PassedToService`, values: ["codepipeline.amazonaws.com"] }],
    })),
    {
      // EC2 creates: only the network's own types, only with the project tag on the request.
      sid: "CreateTaggedNetwork",
      actions: [...EC2_CREATE_ACTIONS],
      resources: EC2_CREATED_TYPES.map((type) => `arn:aws:ec2:${region}:${account}:${type}/*`),
      conditions: [tagCondition("RequestTag", project)],
    },
    {
      // Tag-on-create: CreateTags is authorized separately, only as part of one of the creates above.
      sid: "TagNetworkOnCreate",
      actions: ["ec2:CreateTags"],
      resources: EC2_CREATED_TYPES.map((type) => `arn:aws:ec2:${region}:${account}:${type}/*`),
      conditions: [
        tagCondition("RequestTag", project),
        { test: "StringEquals", variable: "ec2:CreateAction", values: EC2_CREATE_ACTIONS.map((a) => a.replace("ec2:", "")) },
      ],
    },
    {
      // EC2 changes: only resources that carry the project tag (a create also needs its parent VPC, subnet or address).
      sid: "ManageTaggedNetwork",
      actions: [...EC2_CHANGE_ACTIONS],
      resources: [`arn:aws:ec2:${region}:${account}:*`],
      conditions: [tagCondition("ResourceTag", project)],
    },
    {
      // The artifact buckets. Bucket ARNs carry no account: without aws:ResourceAccount a bucket of that name in
      // another account (anyone can create one) would be writable too.
      sid: "ManageProjectBuckets",
      actions: ["s3:*"],
      resources: [`arn:aws:s3:::${projectNamePatterns(project).prefixed}`, `arn:aws:s3:::${projectNamePatterns(project).prefixed}/*`],
      conditions: [{ test: "StringEquals", variable: "aws:ResourceAccount", values: [account] }],
    },
    // Boundary delegation: the project's roles can only be created and changed while they carry the boundary.
    { sid: "ManageProjectRolesInBoundary", actions: [...BOUNDED_ROLE_ACTIONS], resources: [projectRoles], conditions: [boundary] },
    {
      // Only the AWS managed policies the stacks use: a project role with AdministratorAccess attached would keep it
      // (within the boundary) whoever it trusts.
      sid: "AttachManagedPoliciesInBoundary",
      actions: ["iam:AttachRolePolicy"],
      resources: [projectRoles],
      conditions: [boundary, { test: "ArnEquals", variable: "iam:PolicyARN", values: [...ATTACHABLE_MANAGED_POLICIES] }],
    },
    // Tags ride along with CreateRole; these actions have no boundary key, and tags grant nothing here.
    { sid: "TagProjectRoles", actions: [...ROLE_TAG_ACTIONS], resources: [projectRoles] },
    {
      sid: "PassProjectRoles",
      actions: ["iam:PassRole"],
      resources: [projectRoles],
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: [...PASS_ROLE_SERVICES] }],
    },
    {
      // ECS and ELB create their service-linked role on first use in an account.
      sid: "CreateServiceLinkedRoles",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [`arn:aws:iam::${account}:role/aws-service-role/*`],
      conditions: [
        { test: "StringEquals", variable: "iam:AWSServiceName", values: ["ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com"] },
      ],
    },
    ...identityDenies(props, boundary),
  ];
}

/** Explicit denies: they hold whatever another policy (or a later edit) allows. */
function identityDenies(props: DeployPolicyProps, boundary: PolicyCondition): PolicyStatement[] {
  const iam = `arn:aws:iam::${props.account}`;
  return [
    projectFence(props.project),
    runTaskOutsideProjectClusters(props.project, props.region, props.account),
    ...projectTagDenies(),
    // Its own role, the plan role and their policies are the administrator's (the access stack).
    { sid: "DenyIdentityRoleChanges", effect: "Deny", actions: [...IDENTITY_ROLE_PROTECTED_ACTIONS], resources: [...props.identityRoleArns] },
    // The boundary and the deploy role's own managed policies (`<project>-deploy-*`).
    { sid: "DenyBoundaryChanges", effect: "Deny", actions: [...BOUNDARY_PROTECTED_ACTIONS], resources: [props.boundaryArn, ...props.identityPolicyArns] },
    { sid: "DenyOidcProviderChanges", effect: "Deny", actions: [...OIDC_PROVIDER_PROTECTED_ACTIONS], resources: [`${iam}:oidc-provider/*`] },
    // A role without the boundary would escape it; removing the boundary is never allowed.
    { sid: "DenyBoundaryRemoval", effect: "Deny", actions: ["iam:DeleteRolePermissionsBoundary"], resources: [`${iam}:role/*`] },
    {
      // Belt and braces for the boundary condition above: no role change of a project role without the boundary.
      sid: "DenyRolesOutsideBoundary",
      effect: "Deny",
      actions: ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"],
      resources: [`${iam}:role/*`],
      conditions: [{ test: "StringNotEquals", variable: boundary.variable, values: boundary.values }],
    },
  ];
}

/**
 * The project tag is set by a create and never added or removed afterwards: for EC2 `ec2:CreateAction` marks the
 * tagging of a create; connections and notification rules take their tags in the create request itself. KMS
 * cannot be covered (see TagOnCreate): removing the tag is denied, adding it cannot be.
 */
function projectTagDenies(): PolicyStatement[] {
  const projectKey: PolicyCondition = { test: "ForAnyValue:StringEquals", variable: "aws:TagKeys", values: [PROJECT_TAG_KEY] };
  return [
    {
      sid: "DenyProjectTagChanges",
      effect: "Deny",
      actions: [
        "codeconnections:TagResource", "codeconnections:UntagResource", "codestar-connections:TagResource", "codestar-connections:UntagResource",
        "codestar-notifications:TagResource", "codestar-notifications:UntagResource", "kms:UntagResource", "ec2:DeleteTags",
      ],
      resources: ["*"],
      conditions: [projectKey],
    },
    {
      sid: "DenyProjectTagOutsideCreate",
      effect: "Deny",
      actions: ["ec2:CreateTags"],
      resources: ["*"],
      conditions: [projectKey, { test: "Null", variable: "ec2:CreateAction", values: ["true"] }],
    },
  ];
}

function pascal(service: string): string {
  return service
    .split("-")
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}
