"""Every change the emulator makes to moto 5.2.1, in one place: one function per patch, each with the reason and
the AWS API Reference page that says what AWS answers. Each patch is the smallest change that makes moto answer
as that page documents, for what the stacks' Terraform provider (AWS provider 5.100.0) and the operations command
call; nothing else of moto is touched. __tests__/tools/emulator/test_moto_patches.py tests each one twice: stock moto
still shows the gap (so an upgrade that fixes it fails that test: drop the patch then), and the patched moto
answers as documented.

Patches are applied in the server process only (tools/emulator/server.py); `apply_all()` returns a function that
undoes them (the tests use it). Besides these, the server sets one of moto's own settings,
MOTO_IAM_LOAD_MANAGED_POLICIES=true: AWS-managed policies (ReadOnlyAccess, AWSCodeDeployRoleForECS) exist in every
account and the stacks attach them.
"""

import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

MOTO_VERSION = "5.2.1"


@dataclass(frozen=True)
class Patch:
    id: str
    reason: str
    reference: str
    apply: Callable[[list], None]


PATCHES: list[Patch] = []


def patch(id: str, reason: str, reference: str) -> Callable:
    def register(apply: Callable[[list], None]) -> Callable[[list], None]:
        PATCHES.append(Patch(id, reason, reference, apply))
        return apply

    return register


_MISSING = object()


def replace(undo: list, owner: type, name: str, value: Any) -> Any:
    """Sets owner.name = value (recording how to undo it); returns what owner.name was, inherited or not."""
    original = getattr(owner, name, None)
    undo.append((owner, name, owner.__dict__.get(name, _MISSING)))
    setattr(owner, name, value)
    return original


def apply_all(only: list[str] | None = None) -> Callable[[], None]:
    """Applies every patch (or the ids in `only`); returns the function that restores stock moto."""
    undo: list = []
    for p in PATCHES:
        if only is None or p.id in only:
            p.apply(undo)

    def restore() -> None:
        for owner, name, original in reversed(undo):
            if original is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, original)

    return restore


def version_problem() -> str | None:
    """A one-line reason when the installed moto is not the one these patches were written and tested for."""
    from importlib.metadata import version

    installed = version("moto")
    if installed != MOTO_VERSION:
        return (
            f"the AWS emulator's patches (tools/emulator/moto_patches.py) are for moto {MOTO_VERSION}, but python3 has "
            f"moto {installed}: run python3 -m unittest discover -s __tests__/tools/emulator to see which patches it still needs"
        )
    return None


def epoch(value: Any) -> Any:
    """An ISO 8601 string moto put where the JSON protocols carry a timestamp, as epoch seconds; anything else as is."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return value
    return value


# --- S3 -------------------------------------------------------------------------------------------------------


@patch(
    "s3-lifecycle-newer-noncurrent-versions",
    "GetBucketLifecycleConfiguration drops NewerNoncurrentVersions from NoncurrentVersionExpiration; the provider "
    "then waits 3 minutes for the rule it wrote and fails (the state bucket keeps the 10 newest versions).",
    "Amazon S3 API Reference, NoncurrentVersionExpiration data type (NewerNoncurrentVersions); "
    "GetBucketLifecycleConfiguration returns the rules as configured",
)
def _s3_lifecycle(undo: list) -> None:
    from moto.s3.models import FakeBucket
    from moto.s3.responses import S3Response

    def keep_newer(self: Any, rules: list) -> None:
        set_lifecycle(self, rules)
        self.newer_noncurrent_versions = {
            rule.get("ID"): rule["NoncurrentVersionExpiration"]["NewerNoncurrentVersions"]
            for rule in rules
            if (rule.get("NoncurrentVersionExpiration") or {}).get("NewerNoncurrentVersions") is not None
        }

    set_lifecycle = replace(undo, FakeBucket, "set_lifecycle", keep_newer)

    def answer_newer(self: Any) -> Any:
        newer = getattr(self.backend.get_bucket(self.bucket_name), "newer_noncurrent_versions", {})
        serialized = self.serialized

        def add_newer(result: Any) -> Any:
            for rule in result.result.get("Rules", []):
                if rule.get("ID") in newer and "NoncurrentVersionExpiration" in rule:
                    rule["NoncurrentVersionExpiration"]["NewerNoncurrentVersions"] = newer[rule["ID"]]
            return serialized(result)

        self.serialized = add_newer
        try:
            return get_lifecycle(self)
        finally:
            del self.serialized

    get_lifecycle = replace(undo, S3Response, "get_bucket_lifecycle", answer_newer)


def _absent_key_holds(operator: str, values: Any) -> bool:
    """A condition on a key the request does not carry: true only for ...IfExists, Null: true and the negated operators."""
    if operator.endswith("IfExists"):
        return True
    if operator == "Null":
        return any(str(v).lower() == "true" for v in (values if isinstance(values, list) else [values]))
    return "Not" in operator


@patch(
    "policy-conditions",
    "moto evaluates a Condition on a key the request does not carry as met, and answers Deny for any statement "
    "whose conditions are not met, whatever its Effect. moto passes bucket-policy checks no request context, so "
    "every conditional Deny of the state bucket's policy (no TLS, another KMS key, reads by other principals) "
    "denied every request of the S3 backend. Patched: a key absent from the request context matches only "
    "...IfExists, Null (true) and the negated operators, and a statement whose conditions are not met does not "
    "apply. The emulator has no request context for these keys (plain HTTP, no principal), so the bucket policy's "
    "conditions are not tested here.",
    "IAM User Guide, IAM JSON policy elements: Condition and Condition operators (a key missing from the request "
    "context makes a condition false, except for the negated operators, ...IfExists and Null); policy evaluation "
    "logic (a statement applies only when its conditions are met)",
)
def _policy_conditions(undo: list) -> None:
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    def check_conditions(self: Any, incoming: Any) -> bool:
        present: dict = {}
        for operator, pairs in (self._statement.get("Condition") or {}).items():
            for key, values in pairs.items():
                if incoming and key in incoming:
                    present.setdefault(operator, {})[key] = values
                elif not _absent_key_holds(operator, values):
                    return False
        return not present or stock_check(IAMPolicyStatement({**self._statement, "Condition": present}), incoming)

    stock_check = replace(undo, IAMPolicyStatement, "_check_conditions", check_conditions)

    def condition_gates(self: Any, action: str, resource: str = "*", principal: Any = None, incoming: Any = None) -> Any:
        if self._statement.get("Condition") and not self._check_conditions(incoming):
            return PermissionResult.NEUTRAL
        return stock_permitted(self, action, resource, principal, incoming)

    stock_permitted = replace(undo, IAMPolicyStatement, "is_action_permitted", condition_gates)


# --- CodeDeploy -----------------------------------------------------------------------------------------------


def _codedeploy_error(code: str, message: str) -> Exception:
    from moto.codedeploy.exceptions import CodeDeployException

    error = CodeDeployException(code, message)
    error.code = 400
    return error


@patch(
    "codedeploy-timestamps",
    "GetApplication, BatchGetApplications and GetDeployment carry createTime as an ISO 8601 string; the provider's "
    "SDK refuses it ('expected Timestamp to be a JSON Number') and the application never reads back.",
    "AWS CodeDeploy API Reference, ApplicationInfo and DeploymentInfo (createTime: Timestamp); AWS JSON 1.1 "
    "protocol, whose timestamps are epoch seconds (Smithy, awsJson1_1 protocol: timestamp serialization)",
)
def _codedeploy_timestamps(undo: list) -> None:
    from moto.codedeploy.models import Application, DeploymentInfo

    def app_dict(self: Any) -> dict:
        return {**app_to_dict(self), "createTime": epoch(self.create_time)}

    app_to_dict = replace(undo, Application, "to_dict", app_dict)

    def deployment_dict(self: Any) -> dict:
        result = deployment_to_dict(self)
        return {k: epoch(v) if k in ("createTime", "startTime", "completeTime") else v for k, v in result.items()}

    deployment_to_dict = replace(undo, DeploymentInfo, "to_dict", deployment_dict)


@patch(
    "codedeploy-alarm-configuration",
    "GetDeploymentGroup answers alarmConfiguration {} whatever the group was created with, so every plan wants "
    "to add the alarms back (the rollback alarms of every environment).",
    "AWS CodeDeploy API Reference, GetDeploymentGroup: DeploymentGroupInfo.alarmConfiguration",
)
def _codedeploy_alarms(undo: list) -> None:
    from moto.codedeploy.models import DeploymentGroup

    def group_dict(self: Any) -> dict:
        return {**group_to_dict(self), "alarmConfiguration": self.alarm_configuration or {}}

    group_to_dict = replace(undo, DeploymentGroup, "to_dict", group_dict)


@patch(
    "codedeploy-deployment-configs",
    "CreateDeploymentConfig, GetDeploymentConfig and DeleteDeploymentConfig are not implemented (the custom "
    "canary/linear configs of the environments). A config a deployment group uses cannot be deleted, as in AWS.",
    "AWS CodeDeploy API Reference, CreateDeploymentConfig, GetDeploymentConfig, DeleteDeploymentConfig "
    "(DeploymentConfigInUseException)",
)
def _codedeploy_configs(undo: list) -> None:
    from moto.codedeploy.responses import CodeDeployResponse

    def configs(response: Any) -> dict:
        backend = response.codedeploy_backend
        if not hasattr(backend, "deployment_configs"):
            backend.deployment_configs = {}
        return backend.deployment_configs

    def create_deployment_config(self: Any) -> str:
        name = self._get_param("deploymentConfigName")
        if name in configs(self):
            raise _codedeploy_error("DeploymentConfigAlreadyExistsException", f"Deployment config {name} already exists")
        info = {
            "deploymentConfigId": str(uuid.uuid4()),
            "deploymentConfigName": name,
            "computePlatform": self._get_param("computePlatform") or "Server",
            "createTime": time.time(),
        }
        for key in ("minimumHealthyHosts", "trafficRoutingConfig", "zonalConfig"):
            if self._get_param(key) is not None:
                info[key] = self._get_param(key)
        configs(self)[name] = info
        return json.dumps({"deploymentConfigId": info["deploymentConfigId"]})

    def get_deployment_config(self: Any) -> str:
        name = self._get_param("deploymentConfigName")
        if name not in configs(self):
            raise _codedeploy_error("DeploymentConfigDoesNotExistException", f"The deployment configuration {name} does not exist")
        return json.dumps({"deploymentConfigInfo": configs(self)[name]})

    def delete_deployment_config(self: Any) -> str:
        name = self._get_param("deploymentConfigName")
        groups = [g for by_app in self.codedeploy_backend.deployment_groups.values() for g in by_app.values()]
        if any(str(g.deployment_config_name) == name for g in groups):
            raise _codedeploy_error("DeploymentConfigInUseException", f"The deployment configuration {name} is in use")
        configs(self).pop(name, None)
        return "{}"

    replace(undo, CodeDeployResponse, "create_deployment_config", create_deployment_config)
    replace(undo, CodeDeployResponse, "get_deployment_config", get_deployment_config)
    replace(undo, CodeDeployResponse, "delete_deployment_config", delete_deployment_config)


# UpdateDeploymentGroup's parameters, as the DeploymentGroup model's attributes.
_GROUP_FIELDS = {
    "deploymentConfigName": "deployment_config_name",
    "ec2TagFilters": "ec2_tag_filters",
    "onPremisesInstanceTagFilters": "on_premises_instance_tag_filters",
    "autoScalingGroups": "auto_scaling_groups",
    "serviceRoleArn": "service_role_arn",
    "triggerConfigurations": "trigger_configurations",
    "alarmConfiguration": "alarm_configuration",
    "autoRollbackConfiguration": "auto_rollback_configuration",
    "outdatedInstancesStrategy": "outdated_instances_strategy",
    "deploymentStyle": "deployment_style",
    "blueGreenDeploymentConfiguration": "blue_green_deployment_configuration",
    "loadBalancerInfo": "load_balancer_info",
    "ec2TagSet": "ec2_tag_set",
    "ecsServices": "ecs_services",
    "onPremisesTagSet": "on_premises_tag_set",
    "terminationHookEnabled": "termination_hook_enabled",
}


@patch(
    "codedeploy-application-and-group-lifecycle",
    "DeleteApplication, DeleteDeploymentGroup and UpdateDeploymentGroup are not implemented: no stack could be "
    "destroyed, and no change to a deployment group (alarms, termination wait) could be applied.",
    "AWS CodeDeploy API Reference, DeleteApplication, DeleteDeploymentGroup, UpdateDeploymentGroup "
    "(currentDeploymentGroupName, newDeploymentGroupName); AWS CodeDeploy User Guide, Delete an application (its "
    "deployment groups go with it)",
)
def _codedeploy_lifecycle(undo: list) -> None:
    from moto.codedeploy.responses import CodeDeployResponse

    def delete_application(self: Any) -> str:
        name = self._get_param("applicationName")
        backend = self.codedeploy_backend
        backend.applications.pop(name, None)
        backend.deployment_groups.pop(name, None)
        return "{}"

    def delete_deployment_group(self: Any) -> str:
        app, name = self._get_param("applicationName"), self._get_param("deploymentGroupName")
        self.codedeploy_backend.get_application(app)
        self.codedeploy_backend.deployment_groups.get(app, {}).pop(name, None)
        return json.dumps({"hooksNotCleanedUp": []})

    def update_deployment_group(self: Any) -> str:
        app = self._get_param("applicationName")
        group = self.codedeploy_backend.get_deployment_group(app, self._get_param("currentDeploymentGroupName"))
        for param, attribute in _GROUP_FIELDS.items():
            if self._get_param(param) is not None:
                setattr(group, attribute, self._get_param(param))
        new_name = self._get_param("newDeploymentGroupName")
        if new_name and new_name != group.deployment_group_name:
            groups = self.codedeploy_backend.deployment_groups[app]
            groups[new_name] = groups.pop(group.deployment_group_name)
            group.deployment_group_name = new_name
        return json.dumps({"hooksNotCleanedUp": []})

    replace(undo, CodeDeployResponse, "delete_application", delete_application)
    replace(undo, CodeDeployResponse, "delete_deployment_group", delete_deployment_group)
    replace(undo, CodeDeployResponse, "update_deployment_group", update_deployment_group)


# --- CodePipeline ---------------------------------------------------------------------------------------------


@patch(
    "codepipeline-timestamps",
    "GetPipeline's metadata.created/updated (and ListPipelines') are ISO 8601 strings; the provider's SDK refuses "
    "them ('expected Timestamp to be a JSON Number') and the pipeline never reads back.",
    "AWS CodePipeline API Reference, PipelineMetadata (created, updated: Timestamp); AWS JSON 1.1 protocol, whose "
    "timestamps are epoch seconds",
)
def _codepipeline_timestamps(undo: list) -> None:
    from moto.codepipeline.models import CodePipeline

    def metadata(self: Any) -> dict:
        return {key: epoch(value) for key, value in stock_metadata.fget(self).items()}

    stock_metadata = replace(undo, CodePipeline, "metadata", property(metadata))


@patch(
    "codepipeline-get-pipeline-state",
    "GetPipelineState is not implemented; `bluegreen status` reads each stage's latest execution with it. moto "
    "runs no executions (AWS starts one when a pipeline is created), so every stage has no latestExecution.",
    "AWS CodePipeline API Reference, GetPipelineState (stageStates, each with stageName and actionStates)",
)
def _codepipeline_state(undo: list) -> None:
    from moto.codepipeline.responses import CodePipelineResponse

    def get_pipeline_state(self: Any) -> str:
        pipeline, metadata = self.codepipeline_backend.get_pipeline(self._get_param("name"))
        stages = [
            {"stageName": s["name"], "inboundTransitionState": {"enabled": True}, "actionStates": [{"actionName": a["name"]} for a in s["actions"]]}
            for s in pipeline["stages"]
        ]
        return json.dumps(
            {
                "pipelineName": pipeline["name"],
                "pipelineVersion": pipeline["version"],
                "stageStates": stages,
                "created": epoch(metadata["created"]),
                "updated": epoch(metadata["updated"]),
            }
        )

    replace(undo, CodePipelineResponse, "get_pipeline_state", get_pipeline_state)


# --- CodeBuild ------------------------------------------------------------------------------------------------


@patch(
    "codebuild-project-source-and-key",
    "CreateProject refuses a CODEPIPELINE (or NO_SOURCE) source, and CODEPIPELINE artifacts, without a location, "
    "although for those types the pipeline's actions give the source and take the output; it ignores encryptionKey (answering the S3 managed key, so every "
    "plan wants to change it); DeleteProject refuses the ARN the provider deletes by.",
    "AWS CodeBuild API Reference, ProjectSource.location and ProjectArtifacts.location (not set for CODEPIPELINE: "
    "the pipeline's actions supply source and output), CreateProject.encryptionKey, DeleteProject",
)
def _codebuild(undo: list) -> None:
    from moto.codebuild import responses
    from moto.codebuild.responses import CodeBuildResponse

    def validate_source(source: dict) -> None:
        if source.get("type") in ("CODEPIPELINE", "NO_SOURCE") and not source.get("location"):
            return
        stock_validate(source)

    stock_validate = replace(undo, responses, "_validate_required_params_source", validate_source)

    def validate_artifacts(artifacts: dict) -> None:
        if artifacts.get("type") == "CODEPIPELINE" and not artifacts.get("location"):
            return
        stock_artifacts(artifacts)

    stock_artifacts = replace(undo, responses, "_validate_required_params_artifacts", validate_artifacts)

    def create_project(self: Any) -> str:
        answer = json.loads(stock_create(self))
        key = self._get_param("encryptionKey")
        if key:
            self.codebuild_backend.codebuild_projects[self._get_param("name")].project_metadata["encryptionKey"] = key
            answer["project"]["encryptionKey"] = key
        return json.dumps(answer)

    stock_create = replace(undo, CodeBuildResponse, "create_project", create_project)

    def delete_project(self: Any) -> str:
        name = self._get_param("name") or ""
        if name.startswith("arn:"):
            name = name.split(":project/", 1)[-1]
        self.codebuild_backend.delete_project(name)
        return "{}"

    replace(undo, CodeBuildResponse, "delete_project", delete_project)


# --- ECS ------------------------------------------------------------------------------------------------------

# CreateService parameters moto drops, as the Service model attributes its answers are read from.
_SERVICE_FIELDS = {
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "availabilityZoneRebalancing": "availability_zone_rebalancing",
}


@patch(
    "ecs-service-fields",
    "CreateService and UpdateService drop healthCheckGracePeriodSeconds, enableECSManagedTags and "
    "availabilityZoneRebalancing, so DescribeServices answers without them and every plan wants to set them again.",
    "Amazon ECS API Reference, CreateService / UpdateService request parameters and the Service data type "
    "(healthCheckGracePeriodSeconds, enableECSManagedTags, availabilityZoneRebalancing)",
)
def _ecs_service(undo: list) -> None:
    from moto.ecs.responses import EC2ContainerServiceResponse

    def keeping(stock: Callable) -> Callable:
        def handler(self: Any) -> Any:
            result = stock(self)
            service = result.result["service"]
            for param, attribute in _SERVICE_FIELDS.items():
                if self._get_param(param) is not None:
                    setattr(service, attribute, self._get_param(param))
            return result

        return handler

    for action in ("create_service", "update_service"):
        replace(undo, EC2ContainerServiceResponse, action, keeping(getattr(EC2ContainerServiceResponse, action)))


# --- EC2 ------------------------------------------------------------------------------------------------------


@patch(
    "ec2-group-rule-description",
    "DescribeSecurityGroupRules answers no Description for a rule that references a security group (it reads the "
    "description of CIDR rules only), so every plan wants to set the description of such rules again.",
    "Amazon EC2 API Reference, SecurityGroupRule data type (Description, ReferencedGroupInfo)",
)
def _ec2_rule_description(undo: list) -> None:
    from moto.ec2.models.security_groups import SecurityGroupRule

    def description(self: Any) -> Any:
        return self.ip_range.get("Description") or self.source_group.get("Description")

    replace(undo, SecurityGroupRule, "description", property(description))


@patch(
    "ec2-flow-log-s3-prefix",
    "CreateFlowLogs to S3 looks up the whole part of the ARN after `arn:aws:s3:::` as a bucket name, so a destination "
    "with a folder (`arn:aws:s3:::<bucket>/vpc-flow-logs`) is refused as a bucket that does not exist.",
    "Amazon EC2 API Reference, CreateFlowLogs (LogDestination: an S3 bucket ARN, optionally with a subfolder: "
    "arn:aws:s3:::bucket_name/subfolder_name/)",
)
def _ec2_flow_log_s3_prefix(undo: list) -> None:
    import inspect

    from moto.ec2.models.flow_logs import FlowLogsBackend

    def create(self: Any, *args: Any, **kwargs: Any) -> Any:
        call = inspect.signature(original).bind(self, *args, **kwargs)
        destination = call.arguments.get("log_destination")
        if call.arguments.get("log_destination_type") == "s3" and destination:
            # Check the bucket (the ARN up to the first "/"), keep the destination as given.
            call.arguments["log_destination"] = destination.split("/", 1)[0]
        created, failed = original(*call.args, **call.kwargs)
        for flow_log in created:
            flow_log.log_destination = destination
        return created, failed

    original = replace(undo, FlowLogsBackend, "create_flow_logs", create)
