"""Deletes every object version and delete marker of a bucket in the emulator (the state bucket is versioned and
nothing uses force_destroy, so Terraform cannot delete it otherwise). Prints how many it deleted.

    python3 tools/emulator/empty_bucket.py http://127.0.0.1:PORT BUCKET
"""

import sys

import boto3


def main(url: str, bucket: str) -> int:
    s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="emulator", aws_secret_access_key="emulator")
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
            s3.delete_object(Bucket=bucket, Key=entry["Key"], VersionId=entry["VersionId"])
            deleted += 1
    print(deleted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
