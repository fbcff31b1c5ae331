#!/usr/bin/env bash
# Creates .venv and installs the project into it. Usage: scripts/setup.sh [extra]
# where extra is "test" for the test tools. Safe to run again: pip skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
spec="."
[ "${1:-}" = "test" ] && spec=".[test]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --editable "$spec"
