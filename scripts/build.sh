#!/usr/bin/env bash
# Builds the site from content/ into build/, installing what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/arkiv build "$@"
