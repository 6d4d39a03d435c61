"""The compat harness's own logic (no database, no venv): flattening and
diffing observations, matching them against differences.toml, stale
entries, and that README.md's generated list is current."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("tomllib")  # the harness runs on Python >= 3.11

from compat import readme
from compat.diff import MISSING, Difference, diff, flatten
from compat.differences import (
    Comparison,
    DifferenceListError,
    load,
    unlisted_and_stale,
)
from compat.runner import DIFFERENCES, README

ENTRY = """
[[difference]]
id = "{id}"
originals = ["2.2.2"]
scenario = "urls"
paths = ["*.body"]
what = "w"
reason = "r"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "differences.toml"
    path.write_text(text)
    return path


def test_flatten_joins_keys_and_list_indexes():
    assert flatten({"a": {"b": [1, {"c": None}]}, "d": {}}) == {
        "a.b.0": 1,
        "a.b.1.c": None,
        "d": {},
    }


def test_diff_reports_each_differing_leaf_and_one_side_only_leaves():
    found = diff({"s": {"x": 1, "y": 2}}, {"s": {"x": 1, "y": 3, "z": 4}})
    assert found == [Difference("s", "y", 2, 3), Difference("s", "z", MISSING, 4)]


def test_a_crashed_scenario_is_one_difference():
    found = diff({"s": {"crashed": "ValueError: x"}}, {"s": {"x": 1}})
    assert found == [Difference("s", "crashed", "ValueError: x", None)]


def test_matching_entries_explain_differences_others_are_unlisted(tmp_path):
    entries = load(write(tmp_path, ENTRY.format(id="e1")))
    found = [
        Difference("urls", "page.body", "a", "b"),
        Difference("urls", "page.status", 1, 2),
    ]
    unlisted, stale = unlisted_and_stale(
        entries, [Comparison("2.2.2", "mariadb", found)]
    )
    assert unlisted == {("2.2.2", "mariadb"): [found[1]]}
    assert stale == []


def test_an_entry_that_matches_nothing_is_stale(tmp_path):
    entries = load(write(tmp_path, ENTRY.format(id="e1")))
    found = [Difference("urls", "page.status", 1, 2)]
    _, stale = unlisted_and_stale(entries, [Comparison("2.2.2", "postgres", found)])
    assert stale == ["e1: matches nothing on 2.2.2/postgres"]


def test_an_entry_for_another_original_neither_matches_nor_goes_stale(tmp_path):
    entries = load(write(tmp_path, ENTRY.format(id="e1")))
    found = [Difference("urls", "page.body", "a", "b")]
    unlisted, stale = unlisted_and_stale(entries, [Comparison("4.1", "mariadb", found)])
    assert unlisted == {("4.1", "mariadb"): found}
    assert stale == []


def test_match_tables_cover_several_scenarios(tmp_path):
    text = """
[[difference]]
id = "two"
originals = ["4.1"]
what = "w"
reason = "r"
[[difference.match]]
scenario = "a"
paths = ["x"]
[[difference.match]]
scenario = "b"
paths = ["y.*"]
"""
    (entry,) = load(write(tmp_path, text))
    assert entry.matches(Difference("b", "y.z", 1, 2))
    assert not entry.matches(Difference("a", "y.z", 1, 2))


COVERED = """
[[difference]]
id = "pinned"
originals = ["4.1"]
covered_by = ["tests/test_x.py::test_{name}"]
what = "w"
reason = "r"
"""


def test_a_difference_no_scenario_sees_names_its_tests_and_is_never_stale(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("def test_pins_it():\n    pass\n")
    (tmp_path / "compat").mkdir()
    listed = tmp_path / "compat" / "differences.toml"
    listed.write_text(COVERED.format(name="pins_it"))
    (entry,) = load(listed)
    assert entry.covered_by == ("tests/test_x.py::test_pins_it",)
    found = [Difference("urls", "page.body", "a", "b")]
    unlisted, stale = unlisted_and_stale([entry], [Comparison("4.1", "mariadb", found)])
    assert (unlisted, stale) == ({("4.1", "mariadb"): found}, [])
    listed.write_text(COVERED.format(name="gone"))
    with pytest.raises(
        DifferenceListError, match=r"no test tests/test_x\.py::test_gone"
    ):
        load(listed)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ENTRY.format(id="e") + ENTRY.format(id="e"), "ids listed twice: e"),
        (ENTRY.format(id="e").replace('what = "w"', ""), "lacks what"),
        (ENTRY.format(id="e").replace('"2.2.2"', '"3.0"'), "unknown original"),
        (
            ENTRY.format(id="e").replace('scenario = "urls"', ""),
            "give scenario and paths",
        ),
    ],
)
def test_a_malformed_list_is_a_one_line_error(tmp_path, text, message):
    with pytest.raises(DifferenceListError, match=message):
        load(write(tmp_path, text))


def test_the_repository_list_loads_and_the_readme_shows_it():
    entries = load(DIFFERENCES)
    assert entries, "compat/differences.toml lists no difference"
    assert readme.is_current(README, entries), "run `just compat-readme`"


def test_readme_update_writes_between_the_markers_only(tmp_path):
    entries = load(write(tmp_path, ENTRY.format(id="e1")))
    page = tmp_path / "README.md"
    page.write_text(f"intro\n{readme.START}\nold\n{readme.END}\noutro\n")
    assert readme.update(page, entries)
    assert not readme.update(page, entries)
    text = page.read_text()
    assert text.startswith("intro\n") and text.endswith(f"{readme.END}\noutro\n")
    assert "- **w** (vs. 2.2.2) r" in text
    assert readme.is_current(page, entries)
