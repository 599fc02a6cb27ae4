"""A stand-in for the two services moto 5.2.1 does not emulate at all, as far as the stacks use them:

- CodeStar Connections (AWS JSON 1.0, X-Amz-Target CodeStar_connections_20191201.<Operation>): CreateConnection,
  GetConnection, DeleteConnection, ListConnections, ListTagsForResource, TagResource, UntagResource.
  A new connection is PENDING, as in AWS, until someone completes the handshake (the stand-in never does).
- CodeStar Notifications (REST-JSON): CreateNotificationRule, DescribeNotificationRule, UpdateNotificationRule,
  DeleteNotificationRule, ListNotificationRules, DeleteTarget, Subscribe, Unsubscribe, ListTagsForResource, TagResource, UntagResource.

Shapes, paths and error codes follow the services' API models (botocore's codestar-connections 2019-12-01 and
codestar-notifications 2019-10-15, which __tests__/tools/emulator/test_codestar_standin.py parses the answers with).
It keeps what it is given and nothing else: no validation of event type ids or target addresses.
"""

import json
import secrets
import threading
import time
import uuid
from typing import Any, Callable
from urllib.parse import parse_qs, unquote

from werkzeug.wrappers import Request, Response

SERVICES = ("codestar-connections", "codestar-notifications")


class ServiceError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def account_id() -> str:
    from moto.core import DEFAULT_ACCOUNT_ID

    return DEFAULT_ACCOUNT_ID


def signing_scope(environ: dict) -> tuple[str, str]:
    """(service, region) of a SigV4 Authorization header's credential scope; empty strings when unsigned."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    try:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        return scope[3], scope[2]
    except IndexError:
        return "", ""


class Store:
    """Everything the stand-in holds, per region; one lock, as requests arrive on several threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connections: dict[str, dict[str, Any]] = {}
        self.connection_tags: dict[str, list[dict[str, str]]] = {}
        self.rules: dict[str, dict[str, Any]] = {}


STORE = Store()


def _connection(arn: str) -> dict[str, Any]:
    if arn not in STORE.connections:
        raise ServiceError("ResourceNotFoundException", f"Connection {arn} does not exist")
    return STORE.connections[arn]


def connections_call(action: str, body: dict[str, Any], region: str) -> dict[str, Any]:
    if action == "CreateConnection":
        name = body.get("ConnectionName", "")
        if any(c["ConnectionName"] == name for c in STORE.connections.values()):
            raise ServiceError("ResourceUnavailableException", f"Connection name {name} already exists")
        arn = f"arn:aws:codestar-connections:{region}:{account_id()}:connection/{uuid.uuid4()}"
        STORE.connections[arn] = {
            "ConnectionName": name,
            "ConnectionArn": arn,
            "ProviderType": body.get("ProviderType", "GitHub"),
            "OwnerAccountId": account_id(),
            "ConnectionStatus": "PENDING",
            **({"HostArn": body["HostArn"]} if body.get("HostArn") else {}),
        }
        STORE.connection_tags[arn] = list(body.get("Tags", []))
        return {"ConnectionArn": arn, "Tags": STORE.connection_tags[arn]}
    if action == "GetConnection":
        return {"Connection": _connection(body.get("ConnectionArn", ""))}
    if action == "DeleteConnection":
        arn = body.get("ConnectionArn", "")
        _connection(arn)
        del STORE.connections[arn]
        STORE.connection_tags.pop(arn, None)
        return {}
    if action == "ListConnections":
        wanted = body.get("ProviderTypeFilter")
        return {"Connections": [c for c in STORE.connections.values() if not wanted or c["ProviderType"] == wanted]}
    if action in ("ListTagsForResource", "TagResource", "UntagResource"):
        arn = body.get("ResourceArn", "")
        _connection(arn)
        tags = STORE.connection_tags.setdefault(arn, [])
        if action == "TagResource":
            new = {t["Key"]: t["Value"] for t in body.get("Tags", [])}
            tags[:] = [t for t in tags if t["Key"] not in new] + [{"Key": k, "Value": v} for k, v in new.items()]
        if action == "UntagResource":
            tags[:] = [t for t in tags if t["Key"] not in body.get("TagKeys", [])]
        return {"Tags": tags} if action == "ListTagsForResource" else {}
    raise ServiceError("UnknownOperationException", f"the emulator's CodeStar Connections stand-in has no {action}")


def _rule(arn: str) -> dict[str, Any]:
    if arn not in STORE.rules:
        raise ServiceError("ResourceNotFoundException", f"Notification rule {arn} does not exist", 404)
    return STORE.rules[arn]


def _targets(targets: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"TargetAddress": t["TargetAddress"], "TargetType": t.get("TargetType", "SNS"), "TargetStatus": "ACTIVE"} for t in targets]


def notifications_call(path: str, body: dict[str, Any], query: dict[str, list[str]], region: str) -> dict[str, Any]:
    now = time.time()
    if path == "/createNotificationRule":
        if any(r["Name"] == body.get("Name") for r in STORE.rules.values()):
            raise ServiceError("ResourceAlreadyExistsException", f"A notification rule named {body.get('Name')} already exists", 409)
        arn = f"arn:aws:codestar-notifications:{region}:{account_id()}:notificationrule/{secrets.token_hex(20)}"
        STORE.rules[arn] = {
            "Arn": arn,
            "Name": body.get("Name"),
            "EventTypes": [{"EventTypeId": e} for e in body.get("EventTypeIds", [])],
            "Resource": body.get("Resource"),
            "Targets": _targets(body.get("Targets", [])),
            "DetailType": body.get("DetailType"),
            "CreatedBy": f"arn:aws:iam::{account_id()}:root",
            "Status": body.get("Status") or "ENABLED",
            "CreatedTimestamp": now,
            "LastModifiedTimestamp": now,
            "Tags": dict(body.get("Tags") or {}),
        }
        return {"Arn": arn}
    if path == "/describeNotificationRule":
        return dict(_rule(body.get("Arn", "")))
    if path == "/updateNotificationRule":
        rule = _rule(body.get("Arn", ""))
        for key in ("Name", "Status", "DetailType"):
            if body.get(key) is not None:
                rule[key] = body[key]
        if body.get("EventTypeIds") is not None:
            rule["EventTypes"] = [{"EventTypeId": e} for e in body["EventTypeIds"]]
        if body.get("Targets") is not None:
            rule["Targets"] = _targets(body["Targets"])
        rule["LastModifiedTimestamp"] = now
        return {}
    if path == "/deleteNotificationRule":
        STORE.rules.pop(body.get("Arn", ""), None)
        return {"Arn": body.get("Arn")}
    if path == "/deleteTarget":
        address = body.get("TargetAddress")
        subscribed = [r for r in STORE.rules.values() if any(t["TargetAddress"] == address for t in r["Targets"])]
        if subscribed and not body.get("ForceUnsubscribeAll"):
            raise ServiceError("ValidationException", "The target cannot be deleted because it is subscribed to one or more notification rules.")
        for rule in subscribed:
            rule["Targets"] = [t for t in rule["Targets"] if t["TargetAddress"] != address]
        return {}
    if path == "/subscribe":
        rule = _rule(body.get("Arn", ""))
        target = body.get("Target", {})
        rule["Targets"] = [t for t in rule["Targets"] if t["TargetAddress"] != target.get("TargetAddress")] + _targets([target])
        return {"Arn": rule["Arn"]}
    if path == "/unsubscribe":
        rule = _rule(body.get("Arn", ""))
        rule["Targets"] = [t for t in rule["Targets"] if t["TargetAddress"] != body.get("TargetAddress")]
        return {"Arn": rule["Arn"]}
    if path == "/listNotificationRules":
        return {"NotificationRules": [{"Id": arn.rsplit("/", 1)[-1], "Arn": arn} for arn in STORE.rules]}
    if path == "/listTagsForResource":
        return {"Tags": _rule(body.get("Arn", ""))["Tags"]}
    if path == "/tagResource":
        rule = _rule(body.get("Arn", ""))
        rule["Tags"].update(body.get("Tags", {}))
        return {"Tags": rule["Tags"]}
    if path.startswith("/untagResource/"):
        rule = _rule(unquote(path[len("/untagResource/") :]))
        for key in query.get("tagKeys", []):
            rule["Tags"].pop(key, None)
        return {}
    raise ServiceError("UnknownOperationException", f"the emulator's CodeStar Notifications stand-in has no {path}", 404)


def application(environ: dict, start_response: Callable) -> Any:
    request = Request(environ)
    service, region = signing_scope(environ)
    try:
        body = json.loads(request.get_data() or b"{}")
        with STORE.lock:
            if service == "codestar-connections":
                action = request.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
                result = connections_call(action, body, region)
            else:
                result = notifications_call(request.path, body, parse_qs(request.query_string.decode()), region)
        response = Response(json.dumps(result), 200, content_type="application/json")
    except ServiceError as error:
        if service == "codestar-connections":
            payload = {"__type": error.code, "message": error.message}
            response = Response(json.dumps(payload), error.status, content_type="application/x-amz-json-1.0")
        else:
            response = Response(json.dumps({"message": error.message}), error.status, content_type="application/json")
            response.headers["x-amzn-ErrorType"] = error.code
    return response(environ, start_response)


def dispatch(moto_app: Callable) -> Callable:
    """Sends requests signed for the two CodeStar services to the stand-in, everything else to moto."""

    def app(environ: dict, start_response: Callable) -> Any:
        if signing_scope(environ)[0] in SERVICES:
            return application(environ, start_response)
        return moto_app(environ, start_response)

    return app
