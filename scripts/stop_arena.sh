#!/usr/bin/env bash
# The arena runs inside the supervisor: this stops the supervisor.
set -euo pipefail
exec npx --no-install hybrid-trader stop "$@"
