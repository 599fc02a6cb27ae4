import { IamAccessKey } from "@cdktf/provider-aws/lib/iam-access-key";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { Fn } from "cdktf";
import { address, policyStack, roleWithPolicy, violatingAddresses, violationsOf } from "../../helpers/policy";

const BUCKET = "arn:aws:s3:::artifacts";
const TASK_ROLE = "arn:aws:iam::111111111111:role/task";

describe("IAM rules", () => {
  test("pass on scoped statements, a resource-less action on * and a scoped pass-role", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Pipeline", [
      { sid: "Artifacts", actions: ["s3:GetObject", "s3:PutObject"], resources: [`${BUCKET}/*`] },
      { sid: "RegisterTaskDefinition", actions: ["ecs:RegisterTaskDefinition", "ecr:GetAuthorizationToken"], resources: ["*"] },
      {
        sid: "PassTaskRoles",
        actions: ["iam:PassRole"],
        resources: [TASK_ROLE],
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      },
    ]);
    for (const id of ["BG-IAM-001", "BG-IAM-002", "BG-IAM-003", "BG-IAM-004", "BG-IAM-005", "BG-IAM-006", "BG-IAM-007", "BG-IAM-008"]) {
      expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
    }
  });

  test("BG-IAM-001 flags `*` and whole-service actions", () => {
    const stack = policyStack();
    const { policy } = roleWithPolicy(stack, "Broad", [{ sid: "All", actions: ["s3:*", "ecs:Describe*"], resources: [BUCKET] }]);
    expect(violationsOf(stack, "BG-IAM-001")).toEqual([
      expect.objectContaining({ address: address(policy), message: 'statement "All" allows s3:*' }),
    ]);
  });

  test("BG-IAM-001 reads policies written as literal JSON", () => {
    const stack = policyStack();
    const { policy } = roleWithPolicy(stack, "Literal", []);
    policy.addOverride("policy", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }));
    expect(violationsOf(stack, "BG-IAM-001")[0].message).toBe("statement #1 allows *");
  });

  test("BG-IAM-002 flags scopable actions granted on `*`", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Star", [{ sid: "Deploy", actions: ["ecs:RegisterTaskDefinition", "codedeploy:CreateDeployment"], resources: ["*"] }]);
    expect(violationsOf(stack, "BG-IAM-002")[0].message).toBe('statement "Deploy" grants codedeploy:CreateDeployment on "*"');
  });

  test("BG-IAM-003 flags iam:PassRole without a role ARN or a PassedToService condition", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Pass", [{ sid: "Pass", actions: ["iam:PassRole"], resources: ["*"] }]);
    expect(violationsOf(stack, "BG-IAM-003")[0].message).toBe(
      'statement "Pass" passes roles but names no specific role ARNs and has no iam:PassedToService condition',
    );
  });

  test("BG-IAM-004 flags AdministratorAccess and *FullAccess attachments", () => {
    const stack = policyStack();
    const { role } = roleWithPolicy(stack, "Admin", []);
    new IamRolePolicyAttachment(stack, "Admin1", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
    new IamRolePolicyAttachment(stack, "S3Full", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" });
    new IamRolePolicyAttachment(stack, "CodeDeploy", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS" });
    expect(violatingAddresses(stack, "BG-IAM-004").sort()).toEqual([
      "aws_iam_role_policy_attachment.Admin1",
      "aws_iam_role_policy_attachment.S3Full",
    ]);
  });

  test("BG-IAM-005 flags a role anyone may assume", () => {
    const stack = policyStack();
    const { role } = roleWithPolicy(stack, "Open", [], [{ actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["*"] }] }]);
    expect(violationsOf(stack, "BG-IAM-005")).toEqual([
      expect.objectContaining({ address: address(role), message: "statement #1 trusts any principal (*)" }),
    ]);
  });

  test("BG-IAM-005 requires aud and a specific sub on OIDC trusts", () => {
    const stack = policyStack();
    const provider = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
    const oidc = (id: string, sub: string[]) =>
      roleWithPolicy(stack, id, [], [
        {
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [provider] }],
          condition: [
            { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
            { test: "StringLike", variable: "token.actions.githubusercontent.com:sub", values: sub },
          ],
        },
      ]).role;
    oidc("Scoped", ["repo:acme/app:ref:refs/heads/main"]);
    const open = oidc("AnyRepo", ["repo:*"]);
    expect(violatingAddresses(stack, "BG-IAM-005")).toEqual([address(open)]);
  });

  test("BG-IAM-006 flags Allow with NotAction", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Not", [{ sid: "AllButIam", notActions: ["iam:*"], resources: [BUCKET] }]);
    expect(violatingAddresses(stack, "BG-IAM-006")).toHaveLength(1);
  });

  test("BG-IAM-007 flags IAM users and access keys", () => {
    const stack = policyStack();
    const user = new IamUser(stack, "Deployer", { name: "deployer" });
    new IamAccessKey(stack, "Key", { user: user.name });
    expect(violatingAddresses(stack, "BG-IAM-007").sort()).toEqual(["aws_iam_access_key.Key", "aws_iam_user.Deployer"]);
  });

  test("BG-IAM-008 flags a policy built with jsonencode", () => {
    const stack = policyStack();
    const role = new IamRole(stack, "Encoded", {
      name: "encoded",
      assumeRolePolicy: Fn.jsonencode({ Version: "2012-10-17", Statement: [] }),
    });
    expect(violationsOf(stack, "BG-IAM-008")).toEqual([
      expect.objectContaining({ address: address(role), message: "assume_role_policy is not an aws_iam_policy_document reference or literal JSON" }),
    ]);
  });
});
