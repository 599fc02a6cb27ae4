import { TerraformStack, Testing } from "cdktf";
import { mergeStatements } from "../../../../constructs/identity/iam";

const stack = new TerraformStack(Testing.app(), "merge");

describe("mergeStatements", () => {
  test("folds statements with the same sid into one listing each resource once, in first-seen order", () => {
    // GIVEN two environments granting the same sids (the second shares the first's application)
    const merged = mergeStatements(stack, [
      { sid: "Groups", actions: ["codedeploy:CreateDeployment"], resources: ["arn:group/a"] },
      { sid: "Apps", actions: ["codedeploy:GetApplication"], resources: ["arn:app"] },
      { sid: "Groups", actions: ["codedeploy:CreateDeployment"], resources: ["arn:group/b"] },
      { sid: "Apps", actions: ["codedeploy:GetApplication"], resources: ["arn:app"] },
    ]);
    // THEN
    expect(merged).toEqual([
      { sid: "Groups", actions: ["codedeploy:CreateDeployment"], resources: ["arn:group/a", "arn:group/b"] },
      { sid: "Apps", actions: ["codedeploy:GetApplication"], resources: ["arn:app"] },
    ]);
  });

  test("keeps the conditions of merged statements", () => {
    const condition = { test: "StringEquals", variable: "ecs:CreateAction", values: ["RegisterTaskDefinition"] };
    const merged = mergeStatements(stack, [
      { sid: "Tag", actions: ["ecs:TagResource"], resources: ["arn:td/a:*"], conditions: [condition] },
      { sid: "Tag", actions: ["ecs:TagResource"], resources: ["arn:td/b:*"], conditions: [condition] },
    ]);
    expect(merged).toEqual([{ sid: "Tag", actions: ["ecs:TagResource"], resources: ["arn:td/a:*", "arn:td/b:*"], conditions: [condition] }]);
  });

  test("fails when one sid is granted with different actions", () => {
    expect(() =>
      mergeStatements(stack, [
        { sid: "Groups", actions: ["codedeploy:CreateDeployment"], resources: ["arn:group/a"] },
        { sid: "Groups", actions: ["codedeploy:GetDeployment"], resources: ["arn:group/b"] },
      ]),
    ).toThrow('statement "Groups" is granted twice with different actions, principals or conditions');
  });

  test("fails when one sid is granted with different conditions", () => {
    expect(() =>
      mergeStatements(stack, [
        { sid: "Pass", actions: ["iam:PassRole"], resources: ["arn:role/a"], conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }] },
        { sid: "Pass", actions: ["iam:PassRole"], resources: ["arn:role/b"] },
      ]),
    ).toThrow('statement "Pass" is granted twice');
  });
});
