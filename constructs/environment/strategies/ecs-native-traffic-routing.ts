import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { EcsServiceDeploymentConfigurationLifecycleHook, EcsServiceLoadBalancerAdvancedConfiguration } from "@cdktf/provider-aws/lib/ecs-service";
import { ITerraformDependable } from "cdktf";
import { DeploymentAlarms } from "../../runtime/deployment-alarms";
import { ServiceRole } from "../../identity/iam";
import { BlueGreenLoadBalancer } from "../../runtime/blue-green-load-balancer";
import { shortName } from "../../core/naming";
import { SmokeTestHook } from "../../runtime/smoke-test-hook";

/** The AWS managed policy ECS documents for the infrastructure role of blue/green deployments with a load balancer. */
export const ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers";
/** What ECS needs to run a Lambda lifecycle hook. */
export const ECS_HOOK_INVOKE_ACTIONS = ["lambda:InvokeFunction"] as const;
/** ECS accepts a bake time of 0 to 1440 minutes (DeploymentConfiguration.bakeTimeInMinutes). */
export const MAX_BAKE_TIME_MINUTES = 1440;

const ROLE_NAME_MAX_LENGTH = 64;

/** What the service sets for ECS-native blue/green: made by `EcsNativeTrafficRouting.serviceSettings()`. */
export interface EcsNativeBlueGreenSettings {
  /** Alarms that roll a deployment back. */
  readonly alarmNames: readonly string[];
  /** The alternate (green) target group, the production and test listener rules, the infrastructure role. */
  readonly advancedConfiguration: EcsServiceLoadBalancerAdvancedConfiguration;
  readonly lifecycleHooks: readonly EcsServiceDeploymentConfigurationLifecycleHook[];
  /** What the service must wait for: the rules exist, and the roles hold their permissions. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** Which requests a listener rule takes. */
export interface ListenerRuleRoute {
  /** Rule priority on both listeners (1-50000; lower wins). */
  readonly priority: number;
  /** @default - none (any host) */
  readonly hostHeaders?: readonly string[];
  /** @default ["/*"] when no host header is given */
  readonly pathPatterns?: readonly string[];
}

export interface EcsNativeTrafficRoutingProps {
  /** Prefix of the role names (e.g. `demo-prod`). */
  readonly name: string;
  /** The ALB: its prod and test listeners get the rules ECS shifts, its blue and green target groups the tasks. */
  readonly loadBalancer: BlueGreenLoadBalancer;
  /** Minutes both revisions keep running after production traffic moved, before the old one stops (0-1440). */
  readonly bakeTimeMinutes: number;
  /** The lifecycle stage the smoke-test hook runs at (the strategy's hook protocol). */
  readonly hookStage: string;
  /** The alarms that roll a deployment back. */
  readonly alarms: DeploymentAlarms;
  /**
   * A smoke test run as the lifecycle hook at `hookStage`.
   * @default - no hook
   */
  readonly smokeTestHook?: SmokeTestHook;
  /**
   * The rules' priority and conditions.
   * @default - priority 1, every path (the ALB serves this service alone)
   */
  readonly route?: ListenerRuleRoute;
}

/**
 * The load-balancer and IAM side of ECS-native blue/green for one environment: ECS shifts traffic itself by
 * reweighting a production and a test listener *rule* (not whole listeners, as CodeDeploy does), so several
 * services can share one ALB. This construct owns those rules, the infrastructure role ECS uses to change them and
 * the role that runs the smoke-test hook; the service references them (`serviceSettings()`), and the release step
 * (`EcsServiceRelease`) deploys to the service. The strategy unit (strategies/ecs-native.ts) composes the three.
 */
export class EcsNativeTrafficRouting extends Construct {
  public readonly infrastructureRole: ServiceRole;
  public readonly productionRule: LbListenerRule;
  public readonly testRule: LbListenerRule;
  /** Present with a smoke-test hook: the role ECS assumes to invoke it. */
  public readonly hookRole?: ServiceRole;
  public readonly bakeTimeMinutes: number;
  public readonly alarms: DeploymentAlarms;
  public readonly smokeTestHook?: SmokeTestHook;
  private readonly loadBalancer: BlueGreenLoadBalancer;
  private readonly hookStage: string;

  constructor(scope: Construct, id: string, props: EcsNativeTrafficRoutingProps) {
    super(scope, id);
    validateProps(props);
    const lb = props.loadBalancer;
    const route = props.route ?? { priority: 1 };
    this.loadBalancer = lb;
    this.bakeTimeMinutes = props.bakeTimeMinutes;
    this.alarms = props.alarms;
    this.smokeTestHook = props.smokeTestHook;
    this.hookStage = props.hookStage;

    // arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/...: the account without a data source.
    const account = Fn.element(Fn.split(":", lb.alb.arn), 4);
    this.infrastructureRole = new ServiceRole(this, "InfrastructureRole", {
      name: shortName(props.name, "ecs-infrastructure", ROLE_NAME_MAX_LENGTH),
      servicePrincipal: "ecs.amazonaws.com",
      // Confused-deputy protection: only ECS acting for this account. AWS's page for this role
      // ("Amazon ECS infrastructure IAM role for load balancers") shows a trust without conditions;
      // aws:SourceAccount is the global key services set when they act for a resource of an account.
      trustConditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
      description: `ECS reweights the listener rules of ${props.name} during blue/green deployments`,
    });
    this.infrastructureRole.attachManagedPolicy("LoadBalancers", ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY);

    this.productionRule = this.rule("ProductionRule", lb.prodListener, lb, route);
    this.testRule = this.rule("TestRule", lb.testListener, lb, route);

    if (props.smokeTestHook) {
      this.hookRole = new ServiceRole(this, "HookRole", {
        name: shortName(props.name, "ecs-hook", ROLE_NAME_MAX_LENGTH),
        servicePrincipal: "ecs.amazonaws.com",
        trustConditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
        description: `ECS runs the smoke-test hook of ${props.name}`,
      });
      this.hookRole.addToPolicy({
        sid: "InvokeSmokeTestHook",
        actions: [...ECS_HOOK_INVOKE_ACTIONS],
        resources: [props.smokeTestHook.function.arn],
      });
    }
  }

  /** What the service sets: the load balancer's advanced configuration and the lifecycle hooks. */
  public serviceSettings(): EcsNativeBlueGreenSettings {
    return {
      alarmNames: this.alarms.alarmNames,
      advancedConfiguration: {
        alternateTargetGroupArn: this.loadBalancer.greenTargetGroup.arn,
        productionListenerRule: this.productionRule.arn,
        testListenerRule: this.testRule.arn,
        roleArn: this.infrastructureRole.arn,
      },
      lifecycleHooks:
        this.smokeTestHook && this.hookRole
          ? [{ hookTargetArn: this.smokeTestHook.function.arn, roleArn: this.hookRole.arn, lifecycleStages: [this.hookStage] }]
          : [],
      dependsOn: [this.productionRule, this.testRule, ...this.infrastructureRole.grants, ...(this.hookRole?.grants ?? [])],
    };
  }

  private rule(id: string, listener: LbListener, lb: BlueGreenLoadBalancer, route: ListenerRuleRoute): LbListenerRule {
    const paths = route.pathPatterns ?? (route.hostHeaders ? undefined : ["/*"]);
    return new LbListenerRule(this, id, {
      listenerArn: listener.arn,
      priority: route.priority,
      condition: [
        ...(route.hostHeaders ? [{ hostHeader: { values: [...route.hostHeaders] } }] : []),
        ...(paths ? [{ pathPattern: { values: [...paths] } }] : []),
      ],
      // ECS needs both target groups in the rule and moves the weights itself (blue 100 / green 0 to start).
      action: [
        {
          type: "forward",
          forward: {
            targetGroup: [
              { arn: lb.blueTargetGroup.arn, weight: 100 },
              { arn: lb.greenTargetGroup.arn, weight: 0 },
            ],
          },
        },
      ],
      // ECS rewrites the weights on every deployment (and swaps which group is live); without this a later
      // `cdktf deploy` would move production traffic back to whichever group held it first
      // (terraform-aws-modules/terraform-aws-alb #409).
      lifecycle: { ignoreChanges: ["action"] },
    });
  }
}

function validateProps(props: EcsNativeTrafficRoutingProps): void {
  const errors: string[] = [];
  const bake = props.bakeTimeMinutes;
  if (!Number.isInteger(bake) || bake < 0 || bake > MAX_BAKE_TIME_MINUTES) {
    errors.push(`bakeTimeMinutes must be a whole number from 0 to ${MAX_BAKE_TIME_MINUTES} (got ${bake})`);
  }
  if (props.smokeTestHook && props.smokeTestHook.lifecycleEvent !== props.hookStage) {
    errors.push(`the smoke-test hook must run at ${props.hookStage} (got "${props.smokeTestHook.lifecycleEvent}")`);
  }
  const priority = props.route?.priority ?? 1;
  if (!Number.isInteger(priority) || priority < 1 || priority > 50000) {
    errors.push(`route.priority must be a whole number from 1 to 50000 (got ${priority})`);
  }
  if (errors.length > 0) throw new Error(`EcsNativeTrafficRouting ${props.name}:\n  - ${errors.join("\n  - ")}`);
}
