#!/usr/bin/env bash
# Starts the supervisor (deployer + paper trader + arena) in the background for the workspace
# $HYBRID_TRADER_ROOT (default: the current directory). Extra arguments go to `hybrid-trader start`,
# e.g. scripts/start_automation.sh --study demo --data market.csv
set -euo pipefail
exec npx --no-install hybrid-trader start --detach "$@"
