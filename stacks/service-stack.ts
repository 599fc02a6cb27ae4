import { Construct } from "constructs";
import { DeployConfig } from "../config";
import { ListenerRuleRoute } from "../constructs/environment/strategies/ecs-native-traffic-routing";
import { AwsDeliveryStack } from "./aws-stack";
import { PlatformStack } from "./platform-stack";

/**
 * One of fleet mode's named stacks (docs/design.md, "Stacks"): each is one role of a fleet, so callers say which
 * one they build instead of combining the single-service stacks' options.
 */

export interface ServiceStackProps {
  /** The service's view of the fleet config (`serviceConfig(config, entry)`). */
  readonly config: DeployConfig;
  /** The platform whose per-environment network and cluster, and whose connection, the service uses. */
  readonly platform: PlatformStack;
  /** Its listener rules on the platform's shared ALBs (`strategy: ecs` environments): `listenerRoute(entry)`. */
  readonly route: ListenerRuleRoute;
}

/**
 * `<project>-<service>`: one service's repository, per-environment runtime and pipeline on the platform's
 * network and cluster (and, with `strategy: ecs`, its shared ALB) and its connection. Its id is also its resource prefix.
 */
export class ServiceStack extends AwsDeliveryStack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, {
      config: props.config,
      name: id,
      platform: props.platform.byEnvironment(),
      connection: props.platform.connection,
      route: props.route,
    });
  }
}
