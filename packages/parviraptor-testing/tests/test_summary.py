"""QueueSummary and JobReport: what they say (no database needed)."""

from __future__ import annotations

from parviraptor.test.summary import LISTED_JOBS, JobReport, QueueSummary


def _summary() -> QueueSummary:
    return QueueSummary(
        "shop.MailJob",
        {"PROCESSED": 2, "FAILED": 1, "NEW": 1},
        [JobReport(3, "FAILED", "smtp down", 1), JobReport(4, "NEW", "")],
        attempts=5,
    )


def test_counts_and_flags() -> None:
    summary = _summary()
    assert (summary.total, summary.processed, summary.count("NEW")) == (4, 2, 1)
    assert summary.count("IGNORED") == 0
    assert not summary.all_processed
    assert summary.failed == [JobReport(3, "FAILED", "smtp down", 1)]


def test_repr_names_counts_and_failed_jobs() -> None:
    assert repr(_summary()) == (
        "<QueueSummary shop.MailJob: PROCESSED=2, FAILED=1, NEW=1; "
        "failed: #3 FAILED (errors: 1): smtp down>"
    )
    assert repr(QueueSummary("a.B")) == "<QueueSummary a.B: no jobs>"


def test_describe_lists_each_unsuccessful_job() -> None:
    assert _summary().describe().splitlines() == [
        "shop.MailJob: 4 jobs (2 PROCESSED, 1 FAILED, 1 NEW)",
        "  #3 FAILED (errors: 1): smtp down",
        "  #4 NEW",
    ]


def test_describe_cuts_long_lists() -> None:
    jobs = [JobReport(pk, "FAILED", "x") for pk in range(LISTED_JOBS + 5)]
    lines = QueueSummary("a.B", {"FAILED": len(jobs)}, jobs).describe().splitlines()
    assert len(lines) == 1 + LISTED_JOBS + 1
    assert lines[-1] == "  ... and 5 more"
