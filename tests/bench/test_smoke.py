"""Smoke test of the benchmark (issue 9): generate tiny data sets into the test database and run every benchmark
once. Asserts that each completes and that query counts do not grow with the data; never asserts timings."""

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="the generator loads with PostgreSQL COPY"),
]

# Query counts that may grow with the data on purpose: the reminder job inserts in chunks of 2,000 rows, the
# roll-up refresh computes each office and year.
GROWS_WITH_DATA = {"jobs"}


def _run(scale):
    from bench.generate import generate
    from bench.run import Bench

    summary = generate(scale, log=lambda *_: None)
    results = Bench(runs=1, warmup=1, log=lambda *_: None, in_test=True).run()
    return summary, {f"{r.group}: {r.name}": r for r in results}


@pytest.mark.django_db
def test_generate_and_benchmark_at_two_small_scales():
    small_summary, small = _run(0.001)
    counts = small_summary["counts"]
    assert counts["findings.Finding"] >= 2000
    assert counts["rectification.Task"] >= counts["findings.Finding"]
    assert counts["referrals.Lead"] >= 20

    errors = {name: r.note for name, r in small.items() if r.met == "error"}
    assert not errors, errors
    measured = {name for name, r in small.items() if r.queries is not None}
    assert any(name.startswith("findings: API") for name in measured)
    assert any(name.startswith("dashboard:") for name in measured)
    assert any(name.startswith("duplicates:") for name in measured)

    bigger_summary, bigger = _run(0.002)
    assert bigger_summary["counts"]["findings.Finding"] > counts["findings.Finding"]
    errors = {name: r.note for name, r in bigger.items() if r.met == "error"}
    assert not errors, errors
    grew = {
        name: (small[name].queries, bigger[name].queries)
        for name in measured
        if name in bigger and small[name].group not in GROWS_WITH_DATA and bigger[name].queries != small[name].queries
    }
    assert not grew, f"query counts changed with the data: {grew}"
