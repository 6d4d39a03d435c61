# Tasks of the parviraptor monorepo; `just --list` explains them.

set shell := ["bash", "-euo", "pipefail", "-c"]
set positional-arguments := true

packages := "parviraptor-core parviraptor-worker parviraptor-web parviraptor-testing"
# What `just build` builds: the four, and `parviraptor`, which holds no code
# and depends on them (what `pip install -U parviraptor` upgrades to).
distributions := packages + " parviraptor"

# List the recipes
default:
    @{{ just_executable() }} --justfile {{ justfile() }} --list

# Lint: ruff check and ruff format --check over the whole repository
lint:
    ruff check .
    ruff format --check .

# Format the code and apply ruff's safe fixes
fmt:
    ruff check --fix .
    ruff format .

# Build the wheels of the four packages and of `parviraptor` into ./dist (replacing what is there)
build:
    rm -rf dist
    for p in {{ distributions }}; do (cd "packages/$p" && hatch build -t wheel ../../dist); done
    ls -l dist

# Build the sdists and wheels of the four packages and of `parviraptor` into ./dist, for a release
build-release:
    rm -rf dist
    for p in {{ distributions }}; do (cd "packages/$p" && hatch build -t sdist -t wheel ../../dist); done
    ls -l dist

# Run tox with every local CPython 3.10-3.13 (pyenv) on PATH, e.g. `just tox -l`
tox *args:
    #!/usr/bin/env bash
    set -euo pipefail
    extra=""
    for dir in /root/.pyenv/versions/3.1[0-3]*/bin; do
        if [ -d "$dir" ]; then extra="$extra$dir:"; fi
    done
    PATH="$extra$PATH" exec tox "$@"

# Lint, build the wheels, then run every cell of the tox matrix, 2 in parallel
test *args: lint build
    #!/usr/bin/env bash
    set -uo pipefail
    {{ just_executable() }} --justfile {{ justfile() }} tox run-parallel -p 2 --parallel-no-spinner "$@"
    status=$?
    devtools/tox_summary.sh
    exit $status

# Build the wheels and run one tox cell, e.g. `just test-cell django52-mysql8 -- -k fifo`
test-cell ENV *args: build
    {{ just_executable() }} --justfile {{ justfile() }} tox -e "$@"

# Build the wheels and run the example shop's suite without parviraptor-web (SQLite) and with all four (PostgreSQL)
example *args: build
    {{ just_executable() }} --justfile {{ justfile() }} tox -e example-noweb-sqlite,example-web-postgres -- "$@"

# Create .venv with editable installs of the four packages and the test tools
dev:
    python3 -m venv .venv
    .venv/bin/python -m pip install --upgrade pip
    .venv/bin/python -m pip install {{ replace_regex(packages, '(\S+)', '-e packages/$1') }} pytest pytest-django pytest-timeout mysqlclient "psycopg[binary]" ruff
    @echo "activate with: source .venv/bin/activate"

# Start MariaDB and PostgreSQL unless they are running
services:
    devtools/start-services.sh

# Benchmark the worker against the database's own commit rate, e.g. `just bench --db postgres`
bench *args:
    {{ if path_exists(".venv/bin/python") == "true" { ".venv/bin/python" } else { "python3" } }} -m bench.run "$@"

# The test helpers' drain rate next to the original 4.1's, both on one database, e.g. `just bench-helpers --db postgres`
bench-helpers *args:
    {{ if path_exists(".venv/bin/python") == "true" { ".venv/bin/python" } else { "python3" } }} compat/bench_helpers.py "$@"

# The chaos run: 8 workers under kill -9, SIGTERM, dropped connections and a DB restart; e.g. `just chaos --db postgres`
chaos *args:
    {{ if path_exists(".venv/bin/python") == "true" { ".venv/bin/python" } else { "python3" } }} -m chaos --jobs 50000 --keys 400 --deadline 3600 "$@"

# The demo: 20,000 jobs of the example shop through live workers, with progress and a summary (SQLite; `--db mysql` for the local MariaDB, `--help` for more)
demo *args:
    python3 -m demo "$@"

# Serve the dashboard on the demo's database at http://127.0.0.1:8000/ (staff login demo / demo; `--db mysql`, `--port N`)
demo-web *args:
    python3 -m demo web "$@"

# The differential check against the original parviraptor 2.2.2 and 4.1 (their venvs are cached in .compat-venvs/), e.g. `just compat --db mariadb`
compat *args: build
    python3 -m compat run "$@"

# Write the README's list of intended differences from compat/differences.toml
compat-readme:
    python3 -m compat readme

# The upgrade path: MariaDB and PostgreSQL databases of a 2.2.2 project with jobs in every status, upgraded to ours (compat/upgrade/README.md), e.g. `just compat-upgrade --db mysql`
compat-upgrade *args: build
    python3 -m compat.upgrade "$@"
