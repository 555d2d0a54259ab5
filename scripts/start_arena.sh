#!/usr/bin/env bash
# The arena runs inside the supervisor (one loop, one writer per file): this starts the supervisor.
set -euo pipefail
exec npx --no-install hybrid-trader start --detach "$@"
