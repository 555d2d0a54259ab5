#!/usr/bin/env bash
# The arena's members and candidate, then its leaderboard.
set -euo pipefail
npx --no-install hybrid-trader arena status "$@"
exec npx --no-install hybrid-trader arena leaderboard "$@"
