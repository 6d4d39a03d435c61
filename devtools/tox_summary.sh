#!/usr/bin/env bash
# Print each tox cell's pytest closing line ("<cell>: N passed, ..."), which
# run-parallel hides for cells that passed. Reads the logs tox 4 keeps.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for log_dir in .tox/*/log; do
    env=$(basename "$(dirname "$log_dir")")
    log=$(ls -t "$log_dir"/*-commands\[*\].log 2>/dev/null | head -n 1)
    [ -n "$log" ] || continue
    line=$(grep -E '^=*.* (passed|failed|error|no tests ran).* in [0-9.]+s' "$log" | tail -n 1 | sed -E 's/^=+ //; s/ =+$//')
    [ -n "$line" ] && printf '%s: %s\n' "$env" "$line"
done
