"""The scenarios, in the order they run; each returns a JSON-able observation."""

from __future__ import annotations

from observe.scenarios import (
    api,
    commands,
    failing,
    helpers,
    killed,
    names,
    ordered,
    outcomes,
    schema,
    unmigrated,
    urls,
    variants,
)

#: Before ``migrate``: the database has no tables yet.
BEFORE_MIGRATE = {"unmigrated": unmigrated.observe}

SCENARIOS = {
    "schema": schema.observe,
    "names": names.observe,
    "model_api": api.observe_models,
    "worker_api": api.observe_worker,
    "outcomes": outcomes.observe,
    "fields_on_failure": failing.observe_fields,
    "worker_sleeps": failing.observe_sleeps,
    "backoff": failing.observe_backoff,
    "gated": outcomes.observe_gated,
    "fifo": ordered.observe_fifo,
    "fifo_deferred": ordered.observe_fifo_deferred,
    "keyed": ordered.observe_keyed,
    "direct_dependent_fields": ordered.observe_direct,
    "long_key": ordered.observe_long_key,
    "commands": commands.observe,
    "cleanup": commands.observe_cleanup,
    "killed_worker": killed.observe,
    "own_worker_script": killed.observe_own_worker,
    "urls": urls.observe,
    "test_helpers": helpers.observe,
    "settings_variants": variants.observe,
}
