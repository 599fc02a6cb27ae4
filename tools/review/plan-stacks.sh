#!/usr/bin/env bash
# Plans stacks in parallel: the pull request's plan job runs this with Terraform, jq and coreutils only
# (no npm, no node next to the AWS token); npm run bench:plan and the tests run it too.
#
#   bash plan-stacks.sh <jobs.tsv> <out-dir>
#
# <jobs.tsv>: one stack per line, `<stack>\t<working dir>\t<leader dir>`, written by tools/review/decide.ts:
# the leader is the first stack with the same required providers (itself for a leader). Writes per stack, for
# tools/review/plan-comment.ts: <stack>.json (terraform show -json), <stack>.txt (the plan) or <stack>.error (the end
# of its log); logs/<stack>.log (everything), logs/<stack>.result (`planned|failed|skipped <init ms> <plan ms>`)
# and logs/summary.txt (every result, also printed).
#
# Environment: PLAN_CONCURRENCY (plans at once; empty: the machine's cores), TERRAFORM (default terraform),
# TF_INIT_ARGS and TF_PLAN_ARGS (extra arguments, space-separated), TF_PLUGIN_CACHE_DIR (shared provider cache),
# GITHUB_TOKEN (GitHub-provider stacks are skipped, with a note, when it is empty).
#
# Provider plugins: Terraform documents its plugin cache as "not guaranteed to be concurrency safe" ("the
# provider installer's behavior in environments with multiple terraform init calls is undefined"), so no two
# inits here ever overlap (flock), while plans run in parallel. Since Terraform 1.4 an init takes a provider
# from the cache only when the working directory's lock file already records its checksum, and downloads it
# otherwise (hashicorp/terraform#32129); cdktf writes no lock file. So each leader initializes first, alone,
# and the other stacks copy its .terraform.lock.hcl before their own init: each provider is downloaded once
# per run, then linked from the cache.
#
# Plans run with -lock=false: a plan writes nothing, and the plan role cannot write to the state bucket (so it
# could neither take a lock nor break a deploy's). One stack's failure never stops the others.
set -uo pipefail

jobs_file=${1:?usage: plan-stacks.sh <jobs.tsv> <out-dir>}
out=${2:?usage: plan-stacks.sh <jobs.tsv> <out-dir>}
# `terraform show -json` prints sensitive values (state, variables, a webhook secret) in plain text, and the plans
# are an artifact every repository reader can download: keep only what the comment reads, addresses, actions and
# the names of the top-level attributes that change, never a value.
redact='{resource_changes: [(.resource_changes // [])[] | {address, mode, type, action_reason,
    change: {actions: .change.actions, replace_paths: .change.replace_paths,
      changed_attributes: ((.change.before // {}) as $b | (.change.after // {}) as $a
        | [($b | keys[]), ($a | keys[])] | unique | map(select($b[.] != $a[.])))}}],
  resource_drift: [(.resource_drift // [])[] | {address, mode, type, change: {actions: .change.actions}}],
  output_changes: ((.output_changes // {}) | map_values({actions}))}'

concurrency=${PLAN_CONCURRENCY:-}
[ -n "$concurrency" ] || concurrency=$(nproc)
if ! [[ "$concurrency" =~ ^[1-9][0-9]*$ ]]; then
  echo "PLAN_CONCURRENCY must be a whole number of at least 1 (got \"$concurrency\")" >&2
  exit 2
fi
terraform=${TERRAFORM:-terraform}
read -r -a init_args <<< "${TF_INIT_ARGS:-}"
read -r -a plan_args <<< "${TF_PLAN_ARGS:-}"
export TF_IN_AUTOMATION=1 TF_INPUT=0
mkdir -p "$out/logs"
if [ -n "${TF_PLUGIN_CACHE_DIR:-}" ]; then mkdir -p "$TF_PLUGIN_CACHE_DIR"; fi
init_lock="$out/logs/.init.lock"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# init (one at a time), after taking the leader's lock file; prints the milliseconds it took, fails with init.
init_stack() {
  local dir=$1 leader=$2 log=$3 start
  start=$(now_ms)
  if [ "$leader" != "$dir" ] && [ -f "$leader/.terraform.lock.hcl" ]; then cp "$leader/.terraform.lock.hcl" "$dir/.terraform.lock.hcl"; fi
  echo "\$ terraform init" >> "$log"
  flock "$init_lock" "$terraform" -chdir="$dir" init -input=false -no-color "${init_args[@]}" >> "$log" 2>&1 || return 1
  echo $(( $(now_ms) - start ))
}

plan_stack() {
  local stack=$1 dir=$2 leader=$3 initialized=$4 log="$out/logs/$1.log" init_ms=0 start
  if [ -z "${GITHUB_TOKEN:-}" ] && jq -e '.provider.github' "$dir/cdk.tf.json" > /dev/null 2>&1; then
    echo "Skipped: set the INFRA_GITHUB_PLAN_TOKEN secret to plan the GitHub stack." > "$out/$stack.txt"
    # The same notice deploy.yml gives without its token: in the log and, on Actions, in the job summary.
    echo "::notice::Skipped $stack: set the INFRA_GITHUB_PLAN_TOKEN secret to plan the GitHub stack."
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
      echo "Skipped $stack: set the INFRA_GITHUB_PLAN_TOKEN secret to plan the GitHub stack." >> "$GITHUB_STEP_SUMMARY"
    fi
    echo "skipped 0 0" > "$out/logs/$stack.result"
    return
  fi
  if [ "$initialized" = "no" ]; then
    init_ms=$(init_stack "$dir" "$leader" "$log") || { fail "$stack" "$log" "init" 0; return; }
  else
    init_ms=$initialized
  fi
  start=$(now_ms)
  echo "\$ terraform plan" >> "$log"
  if "$terraform" -chdir="$dir" plan -input=false -no-color -lock=false -out=tfplan "${plan_args[@]}" > "$out/logs/$stack.plan" 2>> "$log" \
    && "$terraform" -chdir="$dir" show -json tfplan | jq -c "$redact" > "$out/$stack.json" 2>> "$log"; then
    cat "$out/logs/$stack.plan" >> "$log"
    # The plan as text, without the per-resource refresh and read lines.
    grep -v -E ': (Refreshing state\.\.\.|Reading\.\.\.|Read complete after)' "$out/logs/$stack.plan" > "$out/$stack.txt"
    rm -f "$out/logs/$stack.plan"
    echo "planned $init_ms $(( $(now_ms) - start ))" > "$out/logs/$stack.result"
  else
    cat "$out/logs/$stack.plan" >> "$log"
    rm -f "$out/logs/$stack.plan" "$out/$stack.json"
    fail "$stack" "$log" "plan" "$init_ms"
  fi
}

fail() {
  local stack=$1 log=$2 step=$3 init_ms=$4
  echo "terraform $step failed" >> "$log"
  tail -c 20000 "$log" > "$out/$stack.error"
  echo "failed $init_ms 0" > "$out/logs/$stack.result"
}

# Leaders first, one at a time: the others need their lock files.
declare -A leader_init
while IFS=$'\t' read -r stack dir leader; do
  [ -n "$stack" ] && [ "$leader" = "$dir" ] || continue
  if [ -z "${GITHUB_TOKEN:-}" ] && jq -e '.provider.github' "$dir/cdk.tf.json" > /dev/null 2>&1; then continue; fi
  : > "$out/logs/$stack.log"
  leader_init[$stack]=$(init_stack "$dir" "$dir" "$out/logs/$stack.log" < /dev/null) || leader_init[$stack]=failed
done < "$jobs_file"

running=0
while IFS=$'\t' read -r stack dir leader; do
  [ -n "$stack" ] || continue
  initialized=${leader_init[$stack]:-no}
  if [ "$initialized" = "failed" ]; then
    fail "$stack" "$out/logs/$stack.log" "init" 0
    continue
  fi
  # A leader's log already holds its init.
  if [ "$initialized" = "no" ]; then : > "$out/logs/$stack.log"; fi
  plan_stack "$stack" "$dir" "$leader" "$initialized" < /dev/null &
  running=$((running + 1))
  if [ "$running" -ge "$concurrency" ]; then
    wait -n
    running=$((running - 1))
  fi
done < "$jobs_file"
wait

# One line per stack, `<stack> <status> <init ms> <plan ms>`, in the job log and beside the logs.
for result in "$out"/logs/*.result; do
  [ -e "$result" ] || continue
  name=$(basename "$result" .result)
  echo "$name $(cat "$result")"
done | tee "$out/logs/summary.txt"
