import { ConfigError, validateConfig } from "../../config";
import { onlyProblem, problemsOf, validInput, withValue, withValues, without } from "../helpers/config";

/**
 * Bad input, one mistake per test: each asserts the exact line the user sees
 * (key path, what is wrong, the bad value, what is allowed).
 */

const BRANCH_RULE =
  "must be a valid git branch name (no spaces, '..', '~^:?*[\\', leading '-' or '/', trailing '.', '/' or '.lock')";
const OWNER_RULE =
  "must be a GitHub user or organization: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen";
const REPOSITORY_RULE =
  "must be a GitHub repository name: 1-100 letters, digits, '.', '-' or '_', not '.', '..' or ending in .git";

describe("wrong types", () => {
  it("fails when a number is given as a string", () => {
    expect(onlyProblem(withValue("service.containerPort", "8080"))).toBe(
      'service.containerPort: must be a number, not a string (got "8080"); write it without quotes: 8080',
    );
  });

  it("says a quoted Fargate cpu is a string, what type is expected, and how to write it", () => {
    expect(onlyProblem(withValue("service.cpu", "512"))).toBe(
      'service.cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (numbers), not a string (got "512"); write it without quotes: 512',
    );
  });

  it("gives no unquoting advice when the unquoted value would still be wrong", () => {
    expect(onlyProblem(withValue("service.cpu", "300"))).toBe(
      'service.cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (numbers), not a string (got "300")',
    );
  });

  it("says a number given for a choice of words is a number", () => {
    expect(onlyProblem(withValue("network", { mode: "new", natGateways: 1 }))).toBe(
      "network.natGateways: must be one of none, single, per-az (strings), not a number (got 1)",
    );
  });

  it("says a number given for a deployment config is a number, and that a custom mapping is allowed too", () => {
    expect(onlyProblem(withValue("environments[0].deploymentConfig", 5))).toBe(
      "environments[0].deploymentConfig: must be one of CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, " +
        "CodeDeployDefault.ECSLinear10PercentEvery3Minutes, CodeDeployDefault.ECSCanary10Percent5Minutes, " +
        "CodeDeployDefault.ECSCanary10Percent15Minutes (strings), not a number (got 5); or a mapping { type, percentage, intervalMinutes }",
    );
  });

  it("says how to write a quoted boolean", () => {
    expect(onlyProblem(withValue("environments[1].requireApproval", "true"))).toBe(
      'environments[1].requireApproval: must be a boolean, not a string (got "true"); write it without quotes: true',
    );
  });

  it("fails when a list is given where a mapping is expected", () => {
    expect(onlyProblem(withValue("service", [1, 2]))).toBe("service: must be a mapping, not a list (got [1,2])");
  });

  it("fails when a mapping is given where a list is expected", () => {
    expect(onlyProblem(withValue("environments", { staging: {} }))).toBe(
      'environments: must be a list, not a mapping (got {"staging":{}})',
    );
  });

  it("fails when a whole number has a fraction", () => {
    expect(onlyProblem(withValue("service.containerPort", 80.5))).toBe(
      "service.containerPort: must be a whole number, not a fraction (got 80.5)",
    );
  });

  it("names NaN and Infinity instead of showing them as null", () => {
    expect(onlyProblem(withValue("service.desiredCount", Number.NaN))).toBe(
      "service.desiredCount: must be a number, not NaN (got NaN)",
    );
    expect(onlyProblem(withValue("service.desiredCount", Number.POSITIVE_INFINITY))).toBe(
      "service.desiredCount: must be a number, not Infinity (got Infinity)",
    );
  });

  it("fails when a required section is missing", () => {
    expect(onlyProblem(without("github"))).toBe("github: is required (a mapping)");
  });

  it("fails when a boolean is given as a string", () => {
    expect(onlyProblem(withValue("environments[1].requireApproval", "yes"))).toBe(
      'environments[1].requireApproval: must be a boolean, not a string (got "yes"); write true or false, without quotes',
    );
  });
});

describe("unknown keys", () => {
  it("suggests the closest key in a section", () => {
    expect(onlyProblem(withValue("service.containerPrt", 8080))).toBe(
      'service: unknown key "containerPrt"; did you mean "containerPort"? (allowed: containerName, containerPort, cpu, memory, ' +
        "desiredCount, healthCheckPath, healthCheckGracePeriodSeconds, bootstrapImage, readonlyRootFilesystem, environment)",
    );
  });

  it("suggests the closest key at the top level", () => {
    expect(onlyProblem(withValue("enviroments", []))).toMatch(
      /^\(top level\): unknown key "enviroments"; did you mean "environments"\? \(allowed: \$schema, project, region, .*environments, state\)$/,
    );
  });

  it("lists the allowed keys without a suggestion when nothing is close", () => {
    expect(onlyProblem(withValue("github.zzzzzzzz", true))).toMatch(
      /^github: unknown key "zzzzzzzz" \(allowed: owner, repository, branch, /,
    );
  });

  it("fails when a custom canary has an unknown key", () => {
    const input = withValue("environments[0].deploymentConfig", {
      type: "canary",
      percentage: 10,
      intervalMinutes: 5,
      intervalMinute: 5,
    });
    expect(onlyProblem(input)).toBe(
      'environments[0].deploymentConfig: unknown key "intervalMinute"; did you mean "intervalMinutes"? (allowed: type, percentage, intervalMinutes)',
    );
  });
});

describe("ranges", () => {
  it.each([0, 65536])("fails when containerPort is %d", (port) => {
    expect(onlyProblem(withValue("service.containerPort", port))).toBe(
      `service.containerPort: must be between 1 and 65535 (got ${port})`,
    );
  });

  it.each([0, 101])("fails when desiredCount is %d", (count) => {
    expect(onlyProblem(withValue("service.desiredCount", count))).toBe(
      `service.desiredCount: must be between 1 and 100 (got ${count})`,
    );
  });

  it.each([2881, -1])("fails when terminationWaitMinutes is %d", (minutes) => {
    expect(onlyProblem(withValue("environments[0].terminationWaitMinutes", minutes))).toBe(
      `environments[0].terminationWaitMinutes: must be between 0 and 2880 (got ${minutes})`,
    );
  });

  it("fails when the environments list is empty", () => {
    expect(onlyProblem(withValue("environments", []))).toBe("environments: must list at least 1 item(s) (got 0)");
  });
});

describe("Fargate size", () => {
  it("fails when memory is not allowed for the cpu, listing the allowed memory", () => {
    expect(onlyProblem(withValues({ "service.cpu": 256, "service.memory": 4096 }))).toBe(
      "service.memory: is not a Fargate size for cpu 256; allowed memory: 512, 1024, 2048 (got 4096)",
    );
  });

  it("describes a long memory list as a range with its step", () => {
    expect(onlyProblem(withValues({ "service.cpu": 1024, "service.memory": 1024 }))).toBe(
      "service.memory: is not a Fargate size for cpu 1024; allowed memory: 2048-8192 in steps of 1024 (got 1024)",
    );
  });

  it("fails when cpu is not a Fargate cpu value", () => {
    expect(onlyProblem(withValue("service.cpu", 300))).toBe(
      "service.cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (got 300)",
    );
  });
});

describe("region and zones", () => {
  it("refuses a certificate from another region than the load balancer's", () => {
    const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0b7f3a52-6d0e-4f0e-9b43-5b1d0c1e2a11";
    expect(onlyProblem(withValue("environments[1].certificateArn", certificateArn))).toBe(
      "environments[1].certificateArn: is a certificate in us-east-1, but the load balancer is in eu-west-1 (region); " +
        'request or import the certificate in eu-west-1, ACM certificates work only in their own region (got "arn:aws:acm:us-east-1:123456789012:certificate/0b7f3a52-...)',
    );
  });

  it("accepts a certificate from the load balancer's region", () => {
    const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0b7f3a52-6d0e-4f0e-9b43-5b1d0c1e2a11";
    expect(problemsOf(withValue("environments[1].certificateArn", certificateArn))).toEqual([]);
  });

  it("fails on an unknown region and suggests the closest", () => {
    expect(onlyProblem(withValue("region", "eu-west-9"))).toMatch(
      /^region: must be one of us-east-1, .*, eu-west-1, .* \(got "eu-west-9"\); did you mean "eu-west-1"\?$/,
    );
  });

  it("fails when availabilityZones belong to another region", () => {
    const input = withValue("network", { mode: "new", availabilityZones: ["us-east-1a", "us-east-1b"] });
    expect(problemsOf(input)).toEqual([
      'network.availabilityZones[0]: must be a zone of region eu-west-1 (eu-west-1a, eu-west-1b, ...) (got "us-east-1a")',
      'network.availabilityZones[1]: must be a zone of region eu-west-1 (eu-west-1a, eu-west-1b, ...) (got "us-east-1b")',
    ]);
  });

  it("fails when availabilityZones and azCount disagree", () => {
    const input = withValue("network", { mode: "new", azCount: 3, availabilityZones: ["eu-west-1a", "eu-west-1b"] });
    expect(onlyProblem(input)).toBe(
      'network.availabilityZones: lists 2 zones but azCount is 3; they must agree (got ["eu-west-1a","eu-west-1b"])',
    );
  });

  it("fails when a zone is listed twice", () => {
    const input = withValue("network", { mode: "new", azCount: 2, availabilityZones: ["eu-west-1a", "eu-west-1a"] });
    expect(onlyProblem(input)).toBe(
      "network.availabilityZones[1]: is listed twice; each zone gets one public and one private subnet, and the ALB needs two different zones " +
        '(got "eu-west-1a")',
    );
  });

  it("fails when the region has fewer default zones than azCount", () => {
    const input = withValues({ region: "us-west-1", network: { mode: "new", azCount: 3 } });
    expect(onlyProblem(input)).toBe(
      "network.azCount: us-west-1 has fewer zones than that by default; list them in availabilityZones (got 3)",
    );
  });
});

describe("CIDR blocks", () => {
  it.each(["10.0.0/16", "10.0.0.300/16", "10.0.0.0", "10.0.0.0/33"])("fails on the malformed CIDR %s", (cidr) => {
    expect(onlyProblem(withValue("network", { mode: "new", vpcCidr: cidr }))).toBe(
      `network.vpcCidr: must be an IPv4 CIDR block like 10.0.0.0/16 (got "${cidr}")`,
    );
  });

  it("fails when host bits are set and suggests the network address", () => {
    expect(onlyProblem(withValue("network", { mode: "new", vpcCidr: "10.0.1.0/16" }))).toBe(
      'network.vpcCidr: has host bits set; did you mean 10.0.0.0/16? (got "10.0.1.0/16")',
    );
  });

  it.each(["10.0.0.0/8", "10.0.0.0/26"])("fails when the VPC prefix %s is outside /16-/24", (cidr) => {
    expect(onlyProblem(withValue("network", { mode: "new", vpcCidr: cidr }))).toBe(
      `network.vpcCidr: prefix length must be /16 to /24 (got "${cidr}")`,
    );
  });

  it("checks listener CIDRs with the same rule", () => {
    expect(onlyProblem(withValue("environments[0].testListenerCidrs", ["192.168.1.1/24"]))).toBe(
      'environments[0].testListenerCidrs[0]: has host bits set; did you mean 192.168.1.0/24? (got "192.168.1.1/24")',
    );
  });
});

describe("GitHub names", () => {
  it.each(["-acme", "a".repeat(40), "ac--me", "acme-"])("fails on the owner %s", (owner) => {
    expect(onlyProblem(withValue("github.owner", owner))).toBe(`github.owner: ${OWNER_RULE} (got "${owner}")`);
  });

  it.each(["..", "x.git", "with space", ""])("fails on the repository %j", (repository) => {
    expect(onlyProblem(withValue("github.repository", repository))).toBe(
      `github.repository: ${REPOSITORY_RULE} (got "${repository}")`,
    );
  });

  it.each(["a..b", "feature/", "-x", "with space", "x.lock", "a//b", "x.", "@", "a@{b", "a~1", ".hidden"])(
    "fails on the branch %j",
    (branch) => {
      expect(onlyProblem(withValue("github.branch", branch))).toBe(`github.branch: ${BRANCH_RULE} (got "${branch}")`);
    },
  );

  it.each(["main", "release/2024.1", "feature/x-y_z"])("accepts the branch %s", (branch) => {
    expect(problemsOf(withValue("github.branch", branch))).toEqual([]);
  });
});

describe("environments", () => {
  it("fails on duplicate names, pointing at the first", () => {
    expect(onlyProblem(withValue("environments", [{ name: "prod" }, { name: "prod" }]))).toBe(
      'environments[1].name: duplicates environments[0].name; environment names must be unique (got "prod")',
    );
  });

  it("fails on names that become the same construct id once hyphens are dropped", () => {
    expect(onlyProblem(withValue("environments", [{ name: "prod-2" }, { name: "prod2" }]))).toBe(
      'environments[1].name: reads the same as environments[0].name "prod-2" once hyphens are dropped (both become EnvProd2 in Terraform addresses); rename one (got "prod2")',
    );
  });

  it("fails on an unknown deployment preset and suggests the closest", () => {
    expect(onlyProblem(withValue("environments[0].deploymentConfig", "CodeDeployDefault.ECSAllAtOnc"))).toBe(
      "environments[0].deploymentConfig: must be one of CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, " +
        "CodeDeployDefault.ECSLinear10PercentEvery3Minutes, CodeDeployDefault.ECSCanary10Percent5Minutes, " +
        'CodeDeployDefault.ECSCanary10Percent15Minutes (got "CodeDeployDefault.ECSAllAtOnc"); did you mean "CodeDeployDefault.ECSAllAtOnce"?',
    );
  });

  it.each([0, 100, 150])("fails on a custom canary moving %d percent", (percentage) => {
    const input = withValue("environments[0].deploymentConfig", { type: "canary", percentage, intervalMinutes: 5 });
    expect(onlyProblem(input)).toBe(
      `environments[0].deploymentConfig.percentage: must be between 1 and 99 (got ${percentage})`,
    );
  });

  it("fails on a custom linear config with a zero interval", () => {
    const input = withValue("environments[0].deploymentConfig", { type: "linear", percentage: 10, intervalMinutes: 0 });
    expect(onlyProblem(input)).toBe("environments[0].deploymentConfig.intervalMinutes: must be between 1 and 2880 (got 0)");
  });

  it("judges a mapping as a custom config, so a misspelt type gets its own suggestion", () => {
    const input = withValue("environments[0].deploymentConfig", { type: "canry", percentage: 10, intervalMinutes: 5 });
    expect(onlyProblem(input)).toBe(
      'environments[0].deploymentConfig.type: must be one of canary, linear (got "canry"); did you mean "canary"?',
    );
  });

  it("lists both shapes when the deployment config is neither", () => {
    expect(onlyProblem(withValue("environments[0].deploymentConfig", []))).toBe(
      "environments[0].deploymentConfig: matches none of the allowed shapes (got []); allowed: one of CodeDeployDefault.ECSAllAtOnce, " +
        "CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes, " +
        "CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes or { type, percentage, intervalMinutes }",
    );
  });

  it("fails on an environment name with uppercase letters", () => {
    expect(onlyProblem(withValue("environments[0].name", "Prod"))).toBe(
      'environments[0].name: must be 1-12 lowercase letters, digits or hyphens, starting with a letter (got "Prod")',
    );
  });

  it("fails when smokeTest is on in a network without NAT", () => {
    const input = withValues({ network: { mode: "new", natGateways: "none" }, "environments[0].smokeTest": true });
    expect(onlyProblem(input)).toBe(
      "environments[0].smokeTest: needs NAT egress: the hook calls the internet-facing test listener from the VPC; " +
        "use natGateways single/per-az, list natPublicIps of an existing VPC, or set smokeTest: false (got true)",
    );
  });
});

describe("network", () => {
  it("fails on an unknown network mode and suggests the closest", () => {
    expect(onlyProblem(withValue("network", { mode: "exisitng" }))).toBe(
      'network.mode: must be one of new, existing (got "exisitng"); did you mean "existing"?',
    );
  });

  it("fails when an existing network has no subnet ids", () => {
    const input = withValue("network", { mode: "existing", vpcId: "vpc-0a1b2c3d4e5f60718", vpcCidr: "10.20.0.0/16" });
    expect(problemsOf(input)).toEqual([
      "network.publicSubnetIds: is required (a list)",
      "network.privateSubnetIds: is required (a list)",
    ]);
  });

  it("fails when an existing network has a malformed subnet id", () => {
    const input = withValue("network", {
      mode: "existing",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      vpcCidr: "10.20.0.0/16",
      publicSubnetIds: ["subnet-0a1b2c3d", "sub-1"],
      privateSubnetIds: ["subnet-0a1b2c3e", "subnet-0a1b2c3f"],
    });
    expect(onlyProblem(input)).toBe('network.publicSubnetIds[1]: must be a subnet id (subnet-...) (got "sub-1")');
  });
});

describe("pipeline, ECR and state", () => {
  it("fails when an ECR source watches an immutable tag, explaining both ways out", () => {
    expect(onlyProblem(withValue("pipeline.imageSource", "ecr"))).toBe(
      'pipeline.ecrImageTag: the repository has immutable tags, so "release" can be pushed only once and the pipeline would never start again. ' +
        "Either use imageSource: codebuild (the build pushes a new commit-SHA tag each time), " +
        'or exempt this tag: ecr.mutableTags: ["release"] (got "release")',
    );
  });

  it("accepts an ECR source whose tag matches a wildcard in mutableTags", () => {
    const input = withValues({ "pipeline.imageSource": "ecr", "pipeline.ecrImageTag": "release-candidate", "ecr.mutableTags": ["release*"] });
    expect(problemsOf(input)).toEqual([]);
  });

  it("fails on an unknown state backend and suggests the closest", () => {
    expect(onlyProblem(withValue("state", { backend: "s4", bucket: "acme-demo-tfstate" }))).toBe(
      'state.backend: must be one of s3, cloud (got "s4"); did you mean "s3"?',
    );
  });

  it("fails on an unknown state backend that is nothing like the allowed ones", () => {
    expect(onlyProblem(withValue("state", { backend: "gcs" }))).toBe('state.backend: must be one of s3, cloud (got "gcs")');
  });

  it("fails on a bad notification email", () => {
    expect(onlyProblem(withValue("pipeline.notificationEmail", "not-an-email"))).toBe(
      'pipeline.notificationEmail: must be an email address (got "not-an-email")',
    );
  });

  it("fails on an invalid environment variable name", () => {
    expect(onlyProblem(withValue("service.environment", { "1BAD": "x" }))).toBe(
      'service.environment["1BAD"]: has an invalid key: must be an environment variable name (got "1BAD")',
    );
  });
});

describe("values the constructs or AWS would reject later", () => {
  it("fails when the test listener is opened to the whole internet (the policy pack refuses it at synth)", () => {
    expect(onlyProblem(withValue("environments[0].testListenerCidrs", ["0.0.0.0/0"]))).toBe(
      'environments[0].testListenerCidrs[0]: opens the test listener to the whole internet; list the CIDRs of your testers or CI instead (got "0.0.0.0/0")',
    );
  });

  it("fails on a tag key AWS reserves", () => {
    expect(onlyProblem(withValue("tags", { "aws:owner": "me" }))).toBe(
      'tags["aws:owner"]: has an invalid key: must be an AWS tag key: 1-128 letters, digits, spaces or _.:/=+-@, not starting with aws: (got "aws:owner")',
    );
  });

  it("fails on a tag value longer than 256 characters", () => {
    expect(onlyProblem(withValue("tags", { owner: "x".repeat(257) }))).toMatch(
      /^tags\.owner: must be an AWS tag value: at most 256 letters, digits, spaces or _\.:\/=\+-@ \(got "x{56}\.\.\.\)$/,
    );
  });

  it("fails on a NAT public IP that is not an IPv4 address", () => {
    const input = withValue("network", {
      mode: "existing",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      vpcCidr: "10.20.0.0/16",
      publicSubnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
      privateSubnetIds: ["subnet-0a1b2c3f", "subnet-0a1b2c40"],
      natPublicIps: ["203.0.113.300"],
    });
    expect(onlyProblem(input)).toBe('network.natPublicIps[0]: must be an IPv4 address like 203.0.113.10 (got "203.0.113.300")');
  });

  it("fails on more than 5 mutable tags (ECR's limit)", () => {
    expect(onlyProblem(withValue("ecr.mutableTags", ["a", "b", "c", "d", "e", "f"]))).toBe(
      "ecr.mutableTags: must list at most 5 item(s) (got 6)",
    );
  });

  it("fails on a mutable tag filter ECR would refuse", () => {
    expect(onlyProblem(withValue("ecr.mutableTags", ["rel ease"]))).toBe(
      `ecr.mutableTags[0]: must be 1-128 letters, digits, '.', '_', '-' or '*' (got "rel ease")`,
    );
  });

  it.each(["/a/../b", "/health?full=1", "health"])("fails on the health check path %s", (path) => {
    expect(onlyProblem(withValue("service.healthCheckPath", path))).toBe(
      `service.healthCheckPath: must be a URL path starting with '/' of letters, digits, '.', '_', '-' and '/' (no '..') (got "${path}")`,
    );
  });

  it("fails on a bootstrap image with a space", () => {
    expect(onlyProblem(withValue("service.bootstrapImage", "busybox latest"))).toBe(
      'service.bootstrapImage: must be an image reference like public.ecr.aws/docker/library/busybox:stable (got "busybox latest")',
    );
  });
});

describe("hostile values", () => {
  it("cuts a huge value short in the message", () => {
    const problem = onlyProblem(withValue("project", "x".repeat(100_000)));
    expect(problem).toBe(
      `project: must be 3-20 characters of lowercase letters, digits and hyphens, starting with a letter (got "${"x".repeat(56)}...)`,
    );
  });

  it("cuts a huge unknown key short", () => {
    const problem = onlyProblem(withValue(`service.${"k".repeat(100_000)}`, 1));
    expect(problem.length).toBeLessThan(300);
    expect(problem).toMatch(/^service: unknown key "k{56}\.\.\. \(allowed: /);
  });

  it("quotes a map key holding a newline, so each problem stays on one line", () => {
    expect(onlyProblem(withValue("service.environment", { "A\nB": "x" }))).toBe(
      'service.environment["A\\nB"]: has an invalid key: must be an environment variable name (got "A\\nB")',
    );
  });

  it("escapes Unicode line separators and bidi controls in a shown value", () => {
    expect(onlyProblem(withValue("project", "a\u2028b\u202ec"))).toBe(
      'project: must be 3-20 characters of lowercase letters, digits and hyphens, starting with a letter (got "a\\u2028b\\u202ec")',
    );
  });

  it("does not repeat an invalid ECR tag in the immutability rule", () => {
    const input = withValues({ "pipeline.imageSource": "ecr", "pipeline.ecrImageTag": "x".repeat(500) });
    expect(onlyProblem(input)).toMatch(/^pipeline\.ecrImageTag: must be a Docker tag \(got "x{56}\.\.\.\)$/);
  });

  it("treats __proto__ as an unknown key without touching prototypes", () => {
    const input = withValue("service", JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(onlyProblem(input)).toMatch(/^service: unknown key "__proto__" \(allowed: /);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("all errors at once", () => {
  it("reports every independent mistake in one ConfigError", () => {
    const input = withValues({
      region: "eu-west-9",
      "service.containerPort": 0,
      "service.cpu": 256,
      "service.memory": 4096,
      "github.branch": "a..b",
      "environments[1].name": "staging",
      "environments[0].terminationWaitMinutes": 2881,
      "pipeline.notificationEmail": "nope",
      "state.backend": "s4",
    });
    let error: unknown;
    try {
      validateConfig(input, "all.yaml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    const paths = problems.map((line) => line.slice(0, line.indexOf(": ")));
    expect(paths.sort()).toEqual(
      [
        "environments[0].terminationWaitMinutes",
        "environments[1].name",
        "github.branch",
        "pipeline.notificationEmail",
        "region",
        "service.containerPort",
        "service.memory",
        "state.backend",
      ].sort(),
    );
    expect((error as ConfigError).message).toMatch(/^all\.yaml: 8 problems\n {2}/);
  });

  it("puts a single problem on one line that names the file", () => {
    let message = "";
    try {
      validateConfig(withValue("service.desiredCount", 0), "one.yaml");
    } catch (caught) {
      message = (caught as Error).message;
    }
    expect(message).toBe("one.yaml: service.desiredCount: must be between 1 and 100 (got 0)");
  });

  it("accepts the minimal input", () => {
    expect(problemsOf(validInput())).toEqual([]);
  });
});
