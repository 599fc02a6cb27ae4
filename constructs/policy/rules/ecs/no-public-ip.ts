import { Rule } from "../../types";
import { isTrue, violation } from "../../values";
import { nested } from "../shared";

export const ecsNoPublicIp: Rule = {
  id: "BG-ECS-006",
  area: "ecs",
  title: "Tasks get no public IP unless the network has no NAT",
  check: "No aws_ecs_service has network_configuration.assign_public_ip = true, except under a suppression (the opt-in for NAT-less networks).",
  rationale: "A public IP makes each task reachable past the ALB if a security group is ever loosened; private subnets with NAT avoid that.",
  source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
  fix: "Run tasks in private subnets with a NAT gateway; for a deliberate NAT-less network, suppress BG-ECS-006 on the service with the reason.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_ecs_service")
      .filter((s) => isTrue(nested(s.body, "network_configuration.assign_public_ip")))
      .map((s) => violation(s, "tasks are assigned public IPs")),
};
