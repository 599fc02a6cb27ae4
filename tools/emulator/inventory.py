"""What the emulated account holds, through the services' own list and describe calls (boto3), as JSON:
{"<service> <kind>": [ids]}. The run takes one before the first deploy and one after the last destroy; anything
in the second that is not in the first was left behind. Deleted-but-kept states AWS documents are not counted:
KMS keys pending deletion, INACTIVE task definitions and clusters, deleted NAT gateways.

    python3 tools/emulator/inventory.py http://127.0.0.1:PORT REGION [REGION...]
"""

import json
import sys

import boto3
from botocore.config import Config


def regional(client) -> dict:
    name = client.meta.service_model.service_name
    kinds = {
        "s3": lambda: {"buckets": [b["Name"] for b in client.list_buckets().get("Buckets", [])]},
        "ec2": lambda: {
            "vpcs": [v["VpcId"] for v in client.describe_vpcs()["Vpcs"]],
            "subnets": [s["SubnetId"] for s in client.describe_subnets()["Subnets"]],
            "security groups": [g["GroupId"] for g in client.describe_security_groups()["SecurityGroups"]],
            "internet gateways": [g["InternetGatewayId"] for g in client.describe_internet_gateways()["InternetGateways"]],
            "nat gateways": [g["NatGatewayId"] for g in client.describe_nat_gateways()["NatGateways"] if g["State"] not in ("deleted", "deleting")],
            "addresses": [a.get("AllocationId", a.get("PublicIp")) for a in client.describe_addresses()["Addresses"]],
            "route tables": [t["RouteTableId"] for t in client.describe_route_tables()["RouteTables"]],
        },
        "elbv2": lambda: {
            "load balancers": [lb["LoadBalancerArn"] for lb in client.describe_load_balancers()["LoadBalancers"]],
            "target groups": [tg["TargetGroupArn"] for tg in client.describe_target_groups()["TargetGroups"]],
        },
        "ecs": lambda: {
            "clusters": [c["clusterArn"] for c in client.describe_clusters(clusters=client.list_clusters()["clusterArns"])["clusters"] if c["status"] == "ACTIVE"],
            "task definitions": client.list_task_definitions(status="ACTIVE")["taskDefinitionArns"],
        },
        "ecr": lambda: {"repositories": [r["repositoryArn"] for r in client.describe_repositories()["repositories"]]},
        "logs": lambda: {"log groups": [g["logGroupName"] for g in client.describe_log_groups()["logGroups"]]},
        "cloudwatch": lambda: {"alarms": [a["AlarmName"] for a in client.describe_alarms()["MetricAlarms"]]},
        "events": lambda: {"rules": [r["Name"] for r in client.list_rules()["Rules"]]},
        "sns": lambda: {
            "topics": [t["TopicArn"] for t in client.list_topics()["Topics"]],
            "subscriptions": [s["SubscriptionArn"] for s in client.list_subscriptions()["Subscriptions"]],
        },
        "lambda": lambda: {"functions": [f["FunctionArn"] for f in client.list_functions()["Functions"]]},
        "codebuild": lambda: {"projects": client.list_projects()["projects"]},
        "codepipeline": lambda: {"pipelines": [p["name"] for p in client.list_pipelines()["pipelines"]]},
        "codedeploy": lambda: {"applications": client.list_applications()["applications"]},
        "kms": lambda: {
            "keys": [k["KeyId"] for k in client.list_keys()["Keys"] if client.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] != "PendingDeletion"],
            "aliases": [a["AliasName"] for a in client.list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")],
        },
        "codestar-connections": lambda: {"connections": [c["ConnectionArn"] for c in client.list_connections()["Connections"]]},
        "codestar-notifications": lambda: {"notification rules": [r["Arn"] for r in client.list_notification_rules()["NotificationRules"]]},
    }
    return kinds[name]()


def iam(client) -> dict:
    return {
        "roles": [r["RoleName"] for r in client.list_roles()["Roles"]],
        "policies": [p["Arn"] for p in client.list_policies(Scope="Local")["Policies"]],
        "OIDC providers": [p["Arn"] for p in client.list_open_id_connect_providers()["OpenIDConnectProviderList"]],
    }


def main(url: str, regions: list[str]) -> int:
    def client(service: str, region: str):
        config = Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 3})
        return boto3.client(service, endpoint_url=url, region_name=region, config=config, aws_access_key_id="emulator", aws_secret_access_key="emulator")

    found: dict[str, list[str]] = {f"iam {kind}": ids for kind, ids in iam(client("iam", "us-east-1")).items()}
    services = ["s3", "ec2", "elbv2", "ecs", "ecr", "logs", "cloudwatch", "events", "sns", "lambda", "codebuild", "codepipeline", "codedeploy", "kms", "codestar-connections", "codestar-notifications"]
    for region in regions:
        for service in services:
            for kind, ids in regional(client(service, region)).items():
                found.setdefault(f"{service} {kind}", []).extend(f"{region} {i}" for i in ids)
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sorted(set(sys.argv[2:]))))
