"""The CodeStar stand-in of tools/emulator/codestar_standin.py, through boto3 clients against the emulator's server
(tools/emulator/server.py on a free loopback port): botocore parses every answer with the services' API models
(codestar-connections 2019-12-01, codestar-notifications 2019-10-15), so a shape or an error code the model does not
have fails here. The first test also shows moto itself still has neither service: when a moto release adds one,
it fails, and the stand-in's part for that service can go.
"""

import json
import os
import subprocess
import sys
import unittest

import boto3
from botocore.exceptions import ClientError

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools", "emulator"))
REGION = "eu-west-1"
TOPIC = f"arn:aws:sns:{REGION}:123456789012:alerts"
PIPELINE = f"arn:aws:codepipeline:{REGION}:123456789012:pipe"


class StandIn(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tools", "emulator", "server.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{json.loads(cls.server.stdout.readline())['port']}"
        keys = {"endpoint_url": url, "region_name": REGION, "aws_access_key_id": "emulator", "aws_secret_access_key": "emulator"}
        cls.connections = boto3.client("codestar-connections", **keys)
        cls.notifications = boto3.client("codestar-notifications", **keys)

    @classmethod
    def tearDownClass(cls):
        cls.server.stdin.close()
        cls.server.wait(timeout=10)

    def test_moto_itself_emulates_neither_service(self):
        import moto.backends

        self.assertFalse({"codestar-connections", "codestar-notifications", "codeconnections"} & set(moto.backends.list_of_moto_modules()))

    def test_a_new_connection_is_pending_and_keeps_its_tags(self):
        arn = self.connections.create_connection(ProviderType="GitHub", ConnectionName="demo", Tags=[{"Key": "project", "Value": "demo"}])["ConnectionArn"]
        self.addCleanup(self.connections.delete_connection, ConnectionArn=arn)
        self.assertRegex(arn, rf"^arn:aws:codestar-connections:{REGION}:123456789012:connection/[0-9a-f-]{{36}}$")
        connection = self.connections.get_connection(ConnectionArn=arn)["Connection"]
        self.assertEqual((connection["ConnectionName"], connection["ConnectionStatus"], connection["ProviderType"]), ("demo", "PENDING", "GitHub"))
        self.connections.tag_resource(ResourceArn=arn, Tags=[{"Key": "owner", "Value": "team"}])
        self.connections.untag_resource(ResourceArn=arn, TagKeys=["project"])
        self.assertEqual(self.connections.list_tags_for_resource(ResourceArn=arn)["Tags"], [{"Key": "owner", "Value": "team"}])

    def test_a_deleted_connection_is_not_found(self):
        arn = self.connections.create_connection(ProviderType="GitHub", ConnectionName="gone")["ConnectionArn"]
        self.connections.delete_connection(ConnectionArn=arn)
        with self.assertRaises(ClientError) as raised:
            self.connections.get_connection(ConnectionArn=arn)
        self.assertEqual(raised.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_a_notification_rule_reads_back_as_created_and_updated(self):
        arn = self.notifications.create_notification_rule(
            Name="demo-pipeline", EventTypeIds=["codepipeline-pipeline-pipeline-execution-failed"], Resource=PIPELINE,
            Targets=[{"TargetType": "SNS", "TargetAddress": TOPIC}], DetailType="FULL", Tags={"project": "demo"},
        )["Arn"]
        self.addCleanup(self.notifications.delete_notification_rule, Arn=arn)
        rule = self.notifications.describe_notification_rule(Arn=arn)
        self.assertEqual(
            (rule["Name"], [e["EventTypeId"] for e in rule["EventTypes"]], rule["Resource"], rule["Targets"][0]["TargetAddress"], rule["Status"], rule["Tags"]),
            ("demo-pipeline", ["codepipeline-pipeline-pipeline-execution-failed"], PIPELINE, TOPIC, "ENABLED", {"project": "demo"}),
        )
        self.notifications.update_notification_rule(Arn=arn, DetailType="BASIC", EventTypeIds=["codepipeline-pipeline-manual-approval-needed"])
        rule = self.notifications.describe_notification_rule(Arn=arn)
        self.assertEqual((rule["DetailType"], rule["EventTypes"][0]["EventTypeId"]), ("BASIC", "codepipeline-pipeline-manual-approval-needed"))
        self.notifications.untag_resource(Arn=arn, TagKeys=["project"])
        self.assertEqual(self.notifications.list_tags_for_resource(Arn=arn)["Tags"], {})

    def test_a_subscribed_target_is_kept_until_its_rule_is_deleted(self):
        arn = self.notifications.create_notification_rule(
            Name="kept", EventTypeIds=["codepipeline-pipeline-pipeline-execution-failed"], Resource=PIPELINE,
            Targets=[{"TargetType": "SNS", "TargetAddress": TOPIC}], DetailType="FULL",
        )["Arn"]
        with self.assertRaises(ClientError) as raised:
            self.notifications.delete_target(TargetAddress=TOPIC)
        self.assertEqual(raised.exception.response["Error"]["Code"], "ValidationException")
        self.notifications.delete_notification_rule(Arn=arn)
        self.notifications.delete_target(TargetAddress=TOPIC)
        with self.assertRaises(ClientError) as raised:
            self.notifications.describe_notification_rule(Arn=arn)
        self.assertEqual(raised.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(self.notifications.list_notification_rules()["NotificationRules"], [])


if __name__ == "__main__":
    unittest.main()
