"""Deletes every object version and delete marker of a bucket in the emulator (the state bucket is versioned and
nothing uses force_destroy, so Terraform cannot delete it otherwise). Prints how many it deleted.

    python3 tools/emulator/empty_bucket.py http://127.0.0.1:PORT BUCKET REGION
"""

import sys

import boto3
from botocore.config import Config


def main(url: str, bucket: str, region: str) -> int:
    config = Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 3})
    s3 = boto3.client("s3", endpoint_url=url, region_name=region, config=config, aws_access_key_id="emulator", aws_secret_access_key="emulator")
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        entries = [{"Key": e["Key"], "VersionId": e["VersionId"]} for e in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        # DeleteObjects, one request per page (at most 1000 keys, as a page): in a fleet run, moto logged 204 for a
        # single-version DeleteObject whose answer the client then waited for until its read timeout, twice.
        for start in range(0, len(entries), 1000):
            answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": entries[start : start + 1000], "Quiet": True})
            if answer.get("Errors"):
                raise SystemExit(f"could not delete {answer['Errors'][0]}")
            deleted += len(entries[start : start + 1000])
    print(deleted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
