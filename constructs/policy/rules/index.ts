/**
 * The rule registry: every rule of the pack, in report order. Adding a rule means adding its file
 * under rules/<area>/, listing it here, testing it both ways and adding its row to docs/policy-rules.md.
 */
import { Rule } from "../types";
import { s3PublicAccessBlock } from "./s3/public-access-block";
import { s3Encryption } from "./s3/encryption";
import { s3Versioning } from "./s3/versioning";
import { s3TlsOnly } from "./s3/tls-only";
import { s3OwnershipEnforced } from "./s3/ownership-enforced";
import { s3NoAcls } from "./s3/no-acls";
import { s3NoPublicPolicy } from "./s3/no-public-policy";
import { ecrScanOnPush } from "./ecr/scan-on-push";
import { ecrImmutableTags } from "./ecr/immutable-tags";
import { ecrLifecyclePolicy } from "./ecr/lifecycle-policy";
import { ecrKmsEncryption } from "./ecr/kms-encryption";
import { ecrNoPublicPolicy } from "./ecr/no-public-policy";
import { iamNoWildcardActions } from "./iam/no-wildcard-actions";
import { iamStarResources } from "./iam/star-resources";
import { iamPassRoleScoped } from "./iam/pass-role-scoped";
import { iamNoBroadManagedPolicies } from "./iam/no-broad-managed-policies";
import { iamTrustScoped } from "./iam/trust-scoped";
import { iamNoNotElements } from "./iam/no-not-elements";
import { iamNoUsers } from "./iam/no-users";
import { iamPoliciesInspectable } from "./iam/policies-inspectable";
import { iamRoleManagementBounded } from "./iam/role-management-bounded";
import { iamRolesBounded } from "./iam/roles-bounded";
import { iamNoSelfGrant } from "./iam/no-self-grant";
import { iamWriteRoleEnvironmentTrust } from "./iam/write-role-environment-trust";
import { iamCodeDeployLimited } from "./iam/codedeploy-limited";
import { iamServiceTrustSource } from "./iam/service-trust-source";
import { iamNoRegionWideWrites } from "./iam/no-region-wide-writes";
import { iamTagAsOwnership } from "./iam/tag-as-ownership";
import { iamCiRolesReadNarrowly } from "./iam/ci-roles-read-narrowly";
import { githubEnforceAdmins } from "./github/enforce-admins";
import { albDropInvalidHeaders } from "./alb/drop-invalid-headers";
import { albTlsPolicy } from "./alb/tls-policy";
import { albHttpRedirect } from "./alb/http-redirect";
import { albDeletionProtection } from "./alb/deletion-protection";
import { albDesyncMitigation } from "./alb/desync-mitigation";
import { albHttpsListeners } from "./alb/https-listeners";
import { listenerIgnoresDefaultAction } from "./listener/codedeploy-ignore-default-action";
import { sgNoPublicIngress } from "./security-group/no-public-ingress";
import { sgRuleDescriptions } from "./security-group/rule-descriptions";
import { ecsCodeDeployController } from "./ecs/code-deploy-controller";
import { ecsIgnoreCodeDeployChanges } from "./ecs/ignore-codedeploy-changes";
import { ecsSingleTargetGroup } from "./ecs/single-target-group";
import { ecsAwslogsLogging } from "./ecs/awslogs-logging";
import { ecsNoPrivilegedContainers } from "./ecs/no-privileged-containers";
import { ecsNoPublicIp } from "./ecs/no-public-ip";
import { ecsReadonlyRootFilesystem } from "./ecs/readonly-root-filesystem";
import { ecsContainerInsights } from "./ecs/container-insights";
import { ecsSeparateTaskRoles } from "./ecs/separate-task-roles";
import { ecsContainerDefinitionsInspectable } from "./ecs/container-definitions-inspectable";
import { ecsIgnoreEcsNativeChanges } from "./ecs/ignore-ecs-native-changes";
import { ecsRunTaskClusterScope } from "./ecs/run-task-cluster-scope";
import { codeDeployAutoRollback } from "./codedeploy/auto-rollback";
import { codeDeployAlarmsWired } from "./codedeploy/alarms-wired";
import { codeDeployBlueGreenStyle } from "./codedeploy/blue-green-style";
import { codeDeployTwoTargetGroups } from "./codedeploy/two-target-groups";
import { codeDeployProdAndTestRoutes } from "./codedeploy/prod-and-test-routes";
import { codePipelineV2 } from "./codepipeline/pipeline-v2";
import { codePipelineEncryptedArtifacts } from "./codepipeline/encrypted-artifacts";
import { codeBuildEncryption } from "./codebuild/encryption";
import { codeBuildLogs } from "./codebuild/logs";
import { codeBuildNoPrivilegedMode } from "./codebuild/no-privileged-mode";
import { logRetention } from "./logs/retention";
import { stateS3Encrypted } from "./state/s3-backend-encrypted";
import { stateS3KmsKey } from "./state/s3-backend-kms-key";
import { stateS3Locking } from "./state/s3-backend-locking";
import { stateLocalOnlyBootstrap } from "./state/local-only-bootstrap";
import { lambdaNoPublicUrl } from "./lambda/no-public-url";
import { lambdaScopedPermissions } from "./lambda/scoped-permissions";
import { lambdaLogGroup } from "./lambda/log-group";
import { lambdaVpcInterfacesScoped } from "./lambda/vpc-interfaces-scoped";
import { snsEncryptedTopics } from "./sns/encrypted-topics";
import { kmsKeyRotation } from "./kms/key-rotation";
import { kmsNoPublicKeyPolicy } from "./kms/no-public-key-policy";

export const ALL_RULES: readonly Rule[] = [
  s3PublicAccessBlock,
  s3Encryption,
  s3Versioning,
  s3TlsOnly,
  s3OwnershipEnforced,
  s3NoAcls,
  s3NoPublicPolicy,
  ecrScanOnPush,
  ecrImmutableTags,
  ecrLifecyclePolicy,
  ecrKmsEncryption,
  ecrNoPublicPolicy,
  iamNoWildcardActions,
  iamStarResources,
  iamPassRoleScoped,
  iamNoBroadManagedPolicies,
  iamTrustScoped,
  iamNoNotElements,
  iamNoUsers,
  iamPoliciesInspectable,
  iamRoleManagementBounded,
  iamRolesBounded,
  iamNoSelfGrant,
  iamWriteRoleEnvironmentTrust,
  iamCodeDeployLimited,
  iamServiceTrustSource,
  iamNoRegionWideWrites,
  iamTagAsOwnership,
  iamCiRolesReadNarrowly,
  albDropInvalidHeaders,
  albTlsPolicy,
  albHttpRedirect,
  albDeletionProtection,
  albDesyncMitigation,
  albHttpsListeners,
  listenerIgnoresDefaultAction,
  sgNoPublicIngress,
  sgRuleDescriptions,
  ecsCodeDeployController,
  ecsIgnoreCodeDeployChanges,
  ecsSingleTargetGroup,
  ecsAwslogsLogging,
  ecsNoPrivilegedContainers,
  ecsNoPublicIp,
  ecsReadonlyRootFilesystem,
  ecsContainerInsights,
  ecsSeparateTaskRoles,
  ecsContainerDefinitionsInspectable,
  ecsIgnoreEcsNativeChanges,
  ecsRunTaskClusterScope,
  codeDeployAutoRollback,
  codeDeployAlarmsWired,
  codeDeployBlueGreenStyle,
  codeDeployTwoTargetGroups,
  codeDeployProdAndTestRoutes,
  codePipelineV2,
  codePipelineEncryptedArtifacts,
  codeBuildEncryption,
  codeBuildLogs,
  codeBuildNoPrivilegedMode,
  logRetention,
  stateS3Encrypted,
  stateS3Locking,
  stateLocalOnlyBootstrap,
  stateS3KmsKey,
  lambdaNoPublicUrl,
  lambdaScopedPermissions,
  lambdaLogGroup,
  lambdaVpcInterfacesScoped,
  snsEncryptedTopics,
  kmsKeyRotation,
  kmsNoPublicKeyPolicy,
  githubEnforceAdmins,
];

const BY_ID = new Map(ALL_RULES.map((rule) => [rule.id, rule]));

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
