#!/usr/bin/env bash
# The offline Terraform tests' provider on a machine that does not have it (a GitHub-hosted runner): the AWS
# provider at the version the tests pin (tools/offline-terraform.ts, OFFLINE_AWS_PROVIDER_VERSION),
# downloaded once with `terraform providers mirror` and unpacked into the same layout as /opt/tf-plugins here.
# Usage: .ci/mirror-aws-provider.sh <plugin dir> <version>; then TF_PLUGIN_DIR=<plugin dir> for the tests.
set -euo pipefail
dir="$1"
version="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '{"terraform":{"required_providers":{"aws":{"source":"hashicorp/aws","version":"%s"}}}}\n' "$version" > "$work/main.tf.json"
terraform -chdir="$work" providers mirror -platform=linux_amd64 "$work/mirror"
target="$dir/registry.terraform.io/hashicorp/aws/$version/linux_amd64"
mkdir -p "$target"
unzip -o -q "$work/mirror/registry.terraform.io/hashicorp/aws/terraform-provider-aws_${version}_linux_amd64.zip" -d "$target"
echo "AWS provider $version mirrored in $dir"
