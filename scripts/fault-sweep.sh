#!/usr/bin/env bash
# The full deterministic fault-injection sweep: a crash or torn write at every durable operation of a replay
# (and of a short train), each followed by a restart compared with the uninterrupted run. Prints the figures.
# Takes long (one crashed and one resumed run per point); `npm test` runs a seeded sample of the same test.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
HYBRID_TRADER_FAULT_SWEEP=full npx vitest run test/fault-injection.e2e.test.ts "$@"
