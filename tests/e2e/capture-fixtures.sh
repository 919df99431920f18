#!/usr/bin/env bash
# Captures the transcript fixtures in fixtures/ from real Claude Code turns. Run by hand, only
# when they must be renewed (e.g. after changing the pinned Claude Code version); the tests
# (tests/claude_code/transcripts.rs) only check their shape and never write them.
#
#   capture-fixtures.sh [HOOK_BIN]
#
# HOOK_BIN: the action-claim-followthrough binary to install in the project, as the tests do
# (default: target/debug/action-claim-followthrough; run `cargo build` first).
#
# Each fixture is one turn: the fake model says a promise and calls Bash (replies-*.jsonl),
# Claude Code runs the command (allowed with --allowedTools Bash), and the model ends the turn.
# The transcript is kept verbatim except for the temp paths: the project becomes /PROJECT, the
# HOME /HOME, anything else in the temp dir /TMP (and the project's path slug under
# ~/.claude/projects, e.g. -tmp-x-project, becomes -PROJECT).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
hook=$(realpath "${1:-$repo/target/debug/action-claim-followthrough}")
[[ -x $hook ]] || { echo "capture-fixtures: $hook is not an executable (cargo build?)" >&2; exit 2; }
export CLAUDE_BIN=${CLAUDE_BIN:-$("$here/install-claude-code.sh")}

root=$(mktemp -d "${TMPDIR:-/tmp}/capture-fixtures.XXXXXX")
trap 'rm -rf "$root"' EXIT
root=$(cd "$root" && pwd -P)

# capture NAME REPLIES: one turn in a fresh project and HOME; fixtures/transcript-NAME.jsonl
capture() {
  local name=$1 replies=$here/fixtures/$2 run=$root/$1
  local project=$run/project home=$run/home
  mkdir -p "$project/.claude" "$project/.instar/hooks/instar" "$home/.config" "$run/tmp"
  echo '{"actionClaim":{"enabled":true}}' >"$project/.instar/config.json"
  install -m 755 "$hook" "$project/.instar/hooks/instar/action-claim-followthrough"
  # The registration the e2e tests use (README, "By hand").
  install -m 644 "$here/stop-hook-settings.json" "$project/.claude/settings.json"
  env -u INSTAR_CONVERSATION_ID -u INSTAR_TELEGRAM_TOPIC TMPDIR="$run/tmp" \
    XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
    "$here/claude-turn" --project "$project" --home "$home" --replies "$replies" --timeout 120 \
    -- --output-format json --allowedTools Bash >"$run/result.json"
  python3 - "$run/result.json" "$home" "$project" "$root" "$here/fixtures/transcript-$name.jsonl" <<'EOF'
import glob, json, re, sys
result, home, project, root, out = sys.argv[1:]
session = json.load(open(result))["session_id"]
[src] = glob.glob(f"{home}/.claude/projects/*/{session}.jsonl")
slug = lambda p: re.sub(r"[^A-Za-z0-9]", "-", p)
body = open(src, encoding="utf-8").read()
for old, new in [(home, "/HOME"), (project, "/PROJECT"), (root, "/TMP"),
                 (slug(project), slug("/PROJECT")), (slug(root), slug("/TMP"))]:
    body = body.replace(old, new)
left = [p for p in (root, slug(root)) if p in body]
if left:
    sys.exit(f"capture-fixtures: {out}: still contains {left}")
for n, line in enumerate(body.splitlines(), 1):
    json.loads(line)  # still one JSON value per line
open(out, "w", encoding="utf-8").write(body)
print(f"capture-fixtures: wrote {out} ({len(body.splitlines())} lines, session {session})")
EOF
}

capture bash-tool-use replies-bash-tool-use.jsonl
capture bash-failure replies-bash-failure.jsonl
