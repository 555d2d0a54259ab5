#!/usr/bin/env bash
# Stops the supervisor of the workspace: it finishes its current bar, writes its state and exits.
set -euo pipefail
exec npx --no-install hybrid-trader stop "$@"
