"""Each patch of tools/emulator/moto_patches.py, twice: stock moto 5.2.1 still answers the way the patch corrects
(when an upgrade fixes it, that test fails: drop the patch), and the patched moto answers as the AWS API Reference
page cited in the patch documents. Requests go through moto's server application (the wire format the provider
reads), in process, signed only as far as moto's dispatcher reads the signature.

    python3 -m unittest discover -s __tests__/tools/emulator -p "test_*.py"
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "emulator"))
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "false"

import moto_patches  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.test import Client  # noqa: E402

REGION = "eu-west-1"
ACCOUNT = "123456789012"


def auth(service: str) -> str:
    return f"AWS4-HMAC-SHA256 Credential=test/20260101/{REGION}/{service}/aws4_request, SignedHeaders=host, Signature=0"


class Emulator:
    """moto's server application with the given patches (none: stock), reset between tests."""

    def __init__(self, patches: list[str]):

        self.restore = moto_patches.apply_all(only=patches)
        self.client = Client(DomainDispatcherApplication(create_backend_app))

    def close(self) -> None:
        self.restore()
        self.client.post("/moto-api/reset")

    def json(self, service: str, target: str, body: dict, version: str = "1.1") -> tuple[int, dict]:
        """The status and JSON answer; 501 where moto has no such action (its server answers 500 for it)."""
        try:
            return self._json(service, target, body, version)
        except NotImplementedError:
            return 501, {}

    def _json(self, service: str, target: str, body: dict, version: str) -> tuple[int, dict]:
        response = self.client.post(
            "/",
            data=json.dumps(body),
            headers={"Authorization": auth(service), "X-Amz-Target": target, "Content-Type": f"application/x-amz-json-{version}"},
        )
        return response.status_code, json.loads(response.get_data() or b"{}")

    def bucket(self, name: str) -> None:
        location = f'<CreateBucketConfiguration><LocationConstraint>{REGION}</LocationConstraint></CreateBucketConfiguration>'
        assert self.rest("PUT", "s3", f"/{name}", location.encode())[0] == 200

    def role(self, name: str) -> str:
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        self.query("iam", {"Action": "CreateRole", "RoleName": name, "AssumeRolePolicyDocument": json.dumps(trust), "Version": "2010-05-08"})
        return f"arn:aws:iam::{ACCOUNT}:role/{name}"

    def rest(self, method: str, service: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, str]:
        response = self.client.open(path, method=method, data=body, headers={"Authorization": auth(service), **(headers or {})})
        return response.status_code, response.get_data(as_text=True)

    def query(self, service: str, params: dict) -> tuple[int, str]:
        response = self.client.post(
            "/", data=params, headers={"Authorization": auth(service), "Content-Type": "application/x-www-form-urlencoded"}
        )
        return response.status_code, response.get_data(as_text=True)


class PatchTest(unittest.TestCase):
    patch_id = ""

    def emulator(self, patched: bool) -> Emulator:
        emulator = Emulator([self.patch_id] if patched else [])
        self.addCleanup(emulator.close)
        return emulator


class EveryPatchIsDocumented(unittest.TestCase):
    def test_every_patch_has_a_reason_a_reference_and_a_test(self):
        tested = {cls.patch_id for cls in PatchTest.__subclasses__()}
        for p in moto_patches.PATCHES:
            self.assertGreater(len(p.reason), 40, p.id)
            self.assertRegex(p.reference, r"(API Reference|User Guide)", p.id)
            self.assertIn(p.id, tested, f"{p.id} has no test class")


LIFECYCLE = (
    b'<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID>old</ID><Filter></Filter>'
    b"<Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>90</NoncurrentDays>"
    b"<NewerNoncurrentVersions>10</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule></LifecycleConfiguration>"
)


class S3LifecycleNewerNoncurrentVersions(PatchTest):
    patch_id = "s3-lifecycle-newer-noncurrent-versions"

    def lifecycle(self, patched: bool) -> str:
        e = self.emulator(patched)
        e.bucket("state")
        status, _ = e.rest("PUT", "s3", "/state?lifecycle", LIFECYCLE)
        self.assertEqual(status, 200)
        return e.rest("GET", "s3", "/state?lifecycle")[1]

    def test_stock_moto_drops_newer_noncurrent_versions(self):
        self.assertNotIn("NewerNoncurrentVersions", self.lifecycle(False))

    def test_patched_answers_the_rule_as_configured(self):
        self.assertIn("<NewerNoncurrentVersions>10</NewerNoncurrentVersions>", self.lifecycle(True))


class PolicyConditions(PatchTest):
    patch_id = "policy-conditions"
    POLICY = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::state", "arn:aws:s3:::state/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }

    def put_object(self, patched: bool) -> int:
        e = self.emulator(patched)
        e.bucket("state")
        self.assertLess(e.rest("PUT", "s3", "/state?policy", json.dumps(self.POLICY).encode())[0], 300)
        return e.rest("PUT", "s3", "/state/key", b"data")[0]

    def test_stock_moto_denies_on_a_condition_key_the_request_does_not_carry(self):
        self.assertEqual(self.put_object(False), 403)

    def test_patched_a_statement_whose_condition_is_not_met_does_not_apply(self):
        self.assertEqual(self.put_object(True), 200)

    def test_patched_absent_keys_match_the_negated_operators_and_null_only(self):
        self.assertTrue(moto_patches._absent_key_holds("StringNotEquals", ["x"]))
        self.assertTrue(moto_patches._absent_key_holds("Null", "true"))
        self.assertTrue(moto_patches._absent_key_holds("StringEqualsIfExists", ["x"]))
        self.assertFalse(moto_patches._absent_key_holds("Null", "false"))
        self.assertFalse(moto_patches._absent_key_holds("ArnLike", ["x"]))


def codedeploy(e: Emulator, operation: str, body: dict) -> tuple[int, dict]:
    return e.json("codedeploy", f"CodeDeploy_20141006.{operation}", body)


class CodeDeployTimestamps(PatchTest):
    patch_id = "codedeploy-timestamps"

    def create_time(self, patched: bool):
        e = self.emulator(patched)
        codedeploy(e, "CreateApplication", {"applicationName": "app", "computePlatform": "ECS"})
        return codedeploy(e, "GetApplication", {"applicationName": "app"})[1]["application"]["createTime"]

    def test_stock_moto_answers_an_iso_string(self):
        self.assertIsInstance(self.create_time(False), str)

    def test_patched_answers_epoch_seconds(self):
        self.assertIsInstance(self.create_time(True), float)


def group(e: Emulator, alarms: dict | None = None, config: str = "CodeDeployDefault.ECSAllAtOnce") -> None:
    codedeploy(e, "CreateApplication", {"applicationName": "app", "computePlatform": "ECS"})
    body = {"applicationName": "app", "deploymentGroupName": "grp", "serviceRoleArn": f"arn:aws:iam::{ACCOUNT}:role/r", "deploymentConfigName": config}
    if alarms:
        body["alarmConfiguration"] = alarms
    status, answer = codedeploy(e, "CreateDeploymentGroup", body)
    assert status == 200, answer


class CodeDeployAlarmConfiguration(PatchTest):
    patch_id = "codedeploy-alarm-configuration"
    ALARMS = {"enabled": True, "alarms": [{"name": "app-5xx"}], "ignorePollAlarmFailure": False}

    def alarms(self, patched: bool) -> dict:
        e = self.emulator(patched)
        group(e, self.ALARMS)
        return codedeploy(e, "GetDeploymentGroup", {"applicationName": "app", "deploymentGroupName": "grp"})[1]["deploymentGroupInfo"]["alarmConfiguration"]

    def test_stock_moto_answers_no_alarms(self):
        self.assertEqual(self.alarms(False), {})

    def test_patched_answers_the_alarms_the_group_was_created_with(self):
        self.assertEqual(self.alarms(True), self.ALARMS)


class CodeDeployDeploymentConfigs(PatchTest):
    patch_id = "codedeploy-deployment-configs"
    CONFIG = {
        "deploymentConfigName": "canary-20",
        "computePlatform": "ECS",
        "trafficRoutingConfig": {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 20, "canaryInterval": 2}},
    }

    def test_stock_moto_has_no_create_deployment_config(self):
        status, _ = codedeploy(self.emulator(False), "CreateDeploymentConfig", self.CONFIG)
        self.assertNotEqual(status, 200)

    def test_patched_creates_reads_and_deletes_a_config(self):
        e = self.emulator(True)
        self.assertEqual(codedeploy(e, "CreateDeploymentConfig", self.CONFIG)[0], 200)
        info = codedeploy(e, "GetDeploymentConfig", {"deploymentConfigName": "canary-20"})[1]["deploymentConfigInfo"]
        self.assertEqual((info["trafficRoutingConfig"], info["computePlatform"]), (self.CONFIG["trafficRoutingConfig"], "ECS"))
        self.assertIsInstance(info["createTime"], float)
        self.assertEqual(codedeploy(e, "DeleteDeploymentConfig", {"deploymentConfigName": "canary-20"})[0], 200)
        status, error = codedeploy(e, "GetDeploymentConfig", {"deploymentConfigName": "canary-20"})
        self.assertEqual((status, error["__type"]), (400, "DeploymentConfigDoesNotExistException"))

    def test_patched_refuses_to_delete_a_config_a_group_uses(self):
        e = self.emulator(True)
        codedeploy(e, "CreateDeploymentConfig", self.CONFIG)
        group(e, config="canary-20")
        status, error = codedeploy(e, "DeleteDeploymentConfig", {"deploymentConfigName": "canary-20"})
        self.assertEqual((status, error["__type"]), (400, "DeploymentConfigInUseException"))


class CodeDeployApplicationAndGroupLifecycle(PatchTest):
    patch_id = "codedeploy-application-and-group-lifecycle"

    def test_stock_moto_cannot_delete_an_application(self):
        e = self.emulator(False)
        codedeploy(e, "CreateApplication", {"applicationName": "app", "computePlatform": "ECS"})
        self.assertNotEqual(codedeploy(e, "DeleteApplication", {"applicationName": "app"})[0], 200)

    def test_patched_updates_and_renames_a_group(self):
        e = self.emulator(True)
        group(e)
        body = {"applicationName": "app", "currentDeploymentGroupName": "grp", "newDeploymentGroupName": "grp2", "deploymentConfigName": "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"}
        self.assertEqual(codedeploy(e, "UpdateDeploymentGroup", body), (200, {"hooksNotCleanedUp": []}))
        info = codedeploy(e, "GetDeploymentGroup", {"applicationName": "app", "deploymentGroupName": "grp2"})[1]["deploymentGroupInfo"]
        self.assertEqual(info["deploymentConfigName"], "CodeDeployDefault.ECSLinear10PercentEvery1Minutes")

    def test_patched_deletes_a_group_then_the_application(self):
        e = self.emulator(True)
        group(e)
        self.assertEqual(codedeploy(e, "DeleteDeploymentGroup", {"applicationName": "app", "deploymentGroupName": "grp"})[0], 200)
        self.assertEqual(codedeploy(e, "GetDeploymentGroup", {"applicationName": "app", "deploymentGroupName": "grp"})[1]["__type"], "DeploymentGroupDoesNotExistException")
        self.assertEqual(codedeploy(e, "DeleteApplication", {"applicationName": "app"})[0], 200)
        self.assertEqual(codedeploy(e, "GetApplication", {"applicationName": "app"})[1]["__type"], "ApplicationDoesNotExistException")


def pipeline(e: Emulator) -> None:
    role = e.role("pipeline")
    stages = [
        {"name": "Source", "actions": [{"name": "Source", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}, "configuration": {}, "outputArtifacts": [{"name": "src"}]}]},
        {"name": "Deploy-prod", "actions": [{"name": "Deploy", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "CodeDeployToECS", "version": "1"}, "inputArtifacts": [{"name": "src"}]}]},
    ]
    body = {"pipeline": {"name": "pipe", "roleArn": role, "artifactStore": {"type": "S3", "location": "bucket"}, "stages": stages}}
    status, answer = e.json("codepipeline", "CodePipeline_20150709.CreatePipeline", body)
    assert status == 200, answer


class CodePipelineTimestamps(PatchTest):
    patch_id = "codepipeline-timestamps"

    def created(self, patched: bool):
        e = self.emulator(patched)
        pipeline(e)
        return e.json("codepipeline", "CodePipeline_20150709.GetPipeline", {"name": "pipe"})[1]["metadata"]["created"]

    def test_stock_moto_answers_an_iso_string(self):
        self.assertIsInstance(self.created(False), str)

    def test_patched_answers_epoch_seconds(self):
        self.assertIsInstance(self.created(True), float)


class CodePipelineGetPipelineState(PatchTest):
    patch_id = "codepipeline-get-pipeline-state"

    def test_stock_moto_has_no_get_pipeline_state(self):
        e = self.emulator(False)
        pipeline(e)
        self.assertNotEqual(e.json("codepipeline", "CodePipeline_20150709.GetPipelineState", {"name": "pipe"})[0], 200)

    def test_patched_answers_every_stage_and_action_without_executions(self):
        e = self.emulator(True)
        pipeline(e)
        status, state = e.json("codepipeline", "CodePipeline_20150709.GetPipelineState", {"name": "pipe"})
        self.assertEqual(status, 200)
        self.assertEqual([(s["stageName"], [a["actionName"] for a in s["actionStates"]]) for s in state["stageStates"]], [("Source", ["Source"]), ("Deploy-prod", ["Deploy"])])
        self.assertNotIn("latestExecution", state["stageStates"][0])
        status, error = e.json("codepipeline", "CodePipeline_20150709.GetPipelineState", {"name": "other"})
        self.assertEqual((status, error["__type"]), (400, "PipelineNotFoundException"))


class CodeBuildProjectSourceAndKey(PatchTest):
    patch_id = "codebuild-project-source-and-key"
    KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0000"

    def create(self, e: Emulator) -> tuple[int, dict]:
        e.role("build")
        body = {
            "name": "build",
            "source": {"type": "CODEPIPELINE", "buildspec": "version: 0.2"},
            "artifacts": {"type": "CODEPIPELINE"},
            "environment": {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL"},
            "serviceRole": f"arn:aws:iam::{ACCOUNT}:role/build",
            "encryptionKey": self.KEY,
        }
        return e.json("codebuild", "CodeBuild_20161006.CreateProject", body)

    def test_stock_moto_wants_a_location_for_a_pipeline_source(self):
        status, error = self.create(self.emulator(False))
        self.assertEqual((status, error.get("message")), (400, "Project source location is required"))

    def test_patched_keeps_the_key_and_deletes_by_arn(self):
        e = self.emulator(True)
        status, created = self.create(e)
        self.assertEqual((status, created["project"]["encryptionKey"]), (200, self.KEY))
        projects = e.json("codebuild", "CodeBuild_20161006.BatchGetProjects", {"names": ["build"]})[1]["projects"]
        self.assertEqual(projects[0]["encryptionKey"], self.KEY)
        arn = projects[0]["arn"]
        self.assertEqual(e.json("codebuild", "CodeBuild_20161006.DeleteProject", {"name": arn})[0], 200)
        self.assertEqual(e.json("codebuild", "CodeBuild_20161006.ListProjects", {})[1]["projects"], [])


class EcsServiceFields(PatchTest):
    patch_id = "ecs-service-fields"

    def service(self, patched: bool) -> dict:
        e = self.emulator(patched)
        ecs = lambda op, body: e.json("ecs", f"AmazonEC2ContainerServiceV20141113.{op}", body)  # noqa: E731
        ecs("CreateCluster", {"clusterName": "c"})
        ecs("RegisterTaskDefinition", {"family": "f", "containerDefinitions": [{"name": "app", "image": "busybox"}], "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512"})
        body = {"cluster": "c", "serviceName": "s", "taskDefinition": "f", "desiredCount": 1, "launchType": "FARGATE", "healthCheckGracePeriodSeconds": 60, "enableECSManagedTags": True, "availabilityZoneRebalancing": "ENABLED"}
        self.assertEqual(ecs("CreateService", body)[0], 200)
        return ecs("DescribeServices", {"cluster": "c", "services": ["s"]})[1]["services"][0]

    def test_stock_moto_drops_the_fields(self):
        self.assertNotIn("healthCheckGracePeriodSeconds", self.service(False))

    def test_patched_answers_them(self):
        service = self.service(True)
        self.assertEqual(
            (service["healthCheckGracePeriodSeconds"], service["enableECSManagedTags"], service["availabilityZoneRebalancing"]),
            (60, True, "ENABLED"),
        )


class Ec2GroupRuleDescription(PatchTest):
    patch_id = "ec2-group-rule-description"

    def descriptions(self, patched: bool) -> str:
        e = self.emulator(patched)
        ec2 = lambda params: e.query("ec2", {"Version": "2016-11-15", **params})[1]  # noqa: E731
        vpc = ec2({"Action": "CreateVpc", "CidrBlock": "10.9.0.0/16"}).split("<vpcId>")[1].split("<")[0]
        groups = [ec2({"Action": "CreateSecurityGroup", "GroupName": n, "GroupDescription": n, "VpcId": vpc}).split("<groupId>")[1].split("<")[0] for n in ("alb", "tasks")]
        ec2({
            "Action": "AuthorizeSecurityGroupIngress", "GroupId": groups[1], "IpPermissions.1.IpProtocol": "tcp", "IpPermissions.1.FromPort": "8080",
            "IpPermissions.1.ToPort": "8080", "IpPermissions.1.Groups.1.GroupId": groups[0], "IpPermissions.1.Groups.1.Description": "from the ALB",
        })
        return ec2({"Action": "DescribeSecurityGroupRules", "Filter.1.Name": "group-id", "Filter.1.Value.1": groups[1]})

    def test_stock_moto_answers_no_description_for_a_group_rule(self):
        self.assertNotIn("from the ALB", self.descriptions(False))

    def test_patched_answers_it(self):
        self.assertIn("<description>from the ALB</description>", self.descriptions(True))


class Ec2FlowLogS3Prefix(PatchTest):
    patch_id = "ec2-flow-log-s3-prefix"

    def flow_logs(self, patched: bool) -> str:
        e = self.emulator(patched)
        e.bucket("logs")
        ec2 = lambda params: e.query("ec2", {"Version": "2016-11-15", **params})[1]  # noqa: E731
        vpc = ec2({"Action": "CreateVpc", "CidrBlock": "10.9.0.0/16"}).split("<vpcId>")[1].split("<")[0]
        ec2({
            "Action": "CreateFlowLogs", "ResourceType": "VPC", "ResourceId.1": vpc, "TrafficType": "ALL",
            "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::logs/vpc-flow-logs",
        })
        return ec2({"Action": "DescribeFlowLogs"})

    def test_stock_moto_refuses_a_destination_with_a_folder(self):
        self.assertNotIn("arn:aws:s3:::logs/vpc-flow-logs", self.flow_logs(False))

    def test_patched_creates_it_and_answers_the_destination_as_given(self):
        self.assertIn("<logDestination>arn:aws:s3:::logs/vpc-flow-logs</logDestination>", self.flow_logs(True))


if __name__ == "__main__":
    unittest.main()
