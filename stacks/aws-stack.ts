import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig, EnvironmentConfig, NetworkConfig, defaultZones, hasNatEgress } from "../config";
import { BlueGreenEnvironment } from "../constructs/blue-green-environment";
import { DeploymentConfigSpec } from "../constructs/blue-green-deployment";
import { ContainerRepository } from "../constructs/container-repository";
import { NetworkProps } from "../constructs/network";
import { applyPolicyPack } from "../constructs/policy";
import { configureBackend } from "./backend";

export interface AwsDeliveryStackProps {
  readonly config: DeployConfig;
}

/**
 * The `<project>` stack: everything on AWS (AWS provider only, so Terraform can validate and plan it offline).
 * Composes the shared image repository, one blue/green runtime per environment, and the delivery pipeline.
 */
export class AwsDeliveryStack extends TerraformStack {
  public readonly repository: ContainerRepository;
  public readonly application: CodedeployApp;
  public readonly environments: readonly { readonly config: EnvironmentConfig; readonly runtime: BlueGreenEnvironment }[];

  constructor(scope: Construct, id: string, props: AwsDeliveryStackProps) {
    super(scope, id);
    const { config } = props;
    configureBackend(this, config, id);
    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { project: config.project, "managed-by": "cdktf", ...config.tags } }],
    });

    this.repository = new ContainerRepository(this, "Repository", {
      name: config.project,
      keepTaggedImages: config.ecr.keepTaggedImages,
      mutableTagExclusions: config.ecr.mutableTags,
      preventDestroy: !config.allowDestroy,
    });
    this.application = new CodedeployApp(this, "DeployApplication", {
      name: config.project,
      computePlatform: "ECS",
    });
    this.environments = config.environments.map((environment) => ({
      config: environment,
      runtime: this.buildEnvironment(config, environment),
    }));
    applyPolicyPack(this, {
      deletionProtection: this.environments.filter((e) => e.config.deletionProtection).map((e) => e.runtime),
    });
  }

  private buildEnvironment(config: DeployConfig, environment: EnvironmentConfig): BlueGreenEnvironment {
    const network = environment.network ?? config.network;
    return new BlueGreenEnvironment(this, environmentId(environment.name), {
      name: `${config.project}-${environment.name}`,
      region: config.region,
      application: this.application,
      repository: this.repository,
      network: networkProps(network, config.region),
      service: { ...config.service, desiredCount: environment.desiredCount ?? config.service.desiredCount },
      edge: {
        certificateArn: environment.certificateArn,
        testListenerCidrs: environment.testListenerCidrs,
        prodIngressCidrs: environment.prodIngressCidrs,
        deletionProtection: environment.deletionProtection,
      },
      deploymentConfig: deploymentSpec(environment.deploymentConfig),
      terminationWaitMinutes: environment.terminationWaitMinutes,
      smokeTest: environment.smokeTest ?? hasNatEgress(network),
      preventDestroy: !environment.allowDestroy,
    });
  }
}

/** Construct id of an environment: `staging` -> `EnvStaging`, `eu-prod` -> `EnvEuProd`. Part of every address: never change it. */
export function environmentId(name: string): string {
  return `Env${name.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("")}`;
}

function networkProps(network: NetworkConfig, region: string): Omit<NetworkProps, "name"> {
  if (network.mode === "existing") {
    return { existing: { ...network } };
  }
  return {
    newVpc: {
      cidr: network.vpcCidr,
      availabilityZones: network.availabilityZones ?? defaultZones(region, network.azCount),
      natGateways: network.natGateways,
    },
  };
}

function deploymentSpec(setting: EnvironmentConfig["deploymentConfig"]): DeploymentConfigSpec {
  return typeof setting === "string" ? { preset: setting } : setting;
}
