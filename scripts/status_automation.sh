#!/usr/bin/env bash
# Deployed model, equity, positions, arena, candidate, heartbeat age and any problem with state files.
set -euo pipefail
exec npx --no-install hybrid-trader status "$@"
