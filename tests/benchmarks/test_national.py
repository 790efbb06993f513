"""The national benchmark (``make bench BENCH_ARGS="--national"``): one data set, its rollups
filled from empty, each dashboard timed, the results kept under ``national``."""

import json
from types import SimpleNamespace

import pytest

from benchmarks import bench, national, results
from benchmarks.generate import DEFAULT_SEED

pytestmark = pytest.mark.django_db


def _args(tmp_path, **more):
    return SimpleNamespace(
        scale=0.03,  # 3 schools, 150 teachers, 6,000 drop-ins: one trust
        seed=DEFAULT_SEED,
        fill_limit=None,
        fill_workers=1,
        generate_workers=1,
        runs=1,
        warmup=0,
        keep=False,
        output=tmp_path,
        command='make bench BENCH_ARGS="--national"',
        **more,
    )


def _here(monkeypatch):
    """The test database itself rather than a schema of its own (SQLite has none)."""
    monkeypatch.setattr(bench, "new_schema", lambda name: None)
    monkeypatch.setattr(bench, "drop_schemas", lambda names: None)
    return bench


def test_the_national_run_keeps_its_figures_under_national_and_in_its_own_section(
    tmp_path, monkeypatch
):
    (tmp_path / "results.json").write_text(json.dumps({"dashboards": [], "record_pdf": {}}))

    report = national.run(_args(tmp_path), bench=_here(monkeypatch))

    kept = json.loads((tmp_path / "results.json").read_text())
    assert kept["national"]["generate_s"] == report["generate_s"] > 0
    assert kept["national"]["fill_s"] == report["fill_s"] >= 0
    assert kept["national"]["fill_trusts"] == kept["national"]["trusts"] == 1
    assert {"dashboards", "record_pdf"} <= set(kept)  # the others' figures are kept
    assert [d["name"] for d in kept["national"]["dashboards"]] == ["school", "trust"]
    for d in kept["national"]["dashboards"]:
        assert d["ms"] > 0 and d["sql_ms"] > 0 and d["figures_match"], d["differences"]
    assert kept["national"]["rows"]["coaching.DropIn"] == 6000
    text = (tmp_path / "RESULTS.md").read_text()
    assert "<!-- national:start -->" in text and "## National scale" in text


def test_a_later_dashboards_run_keeps_the_national_figures(tmp_path):
    results.write_json(tmp_path, {"generate_s": 1}, key="national")

    results.write_json(tmp_path, {"dashboards": []})

    assert json.loads((tmp_path / "results.json").read_text())["national"] == {"generate_s": 1}


def test_a_limited_fill_takes_the_measured_trust_first_and_says_how_many():
    assert national.fill_order([5, 3, 9, 1], 9, limit=2) == [9, 1]
    assert national.fill_order([5, 3, 9, 1], 9) == [9, 1, 3, 5]


def test_school_and_trust_dashboards_must_be_within_a_fifth_of_their_raw_sql():
    assert bench.BARS["ratio_to_sql"] == 1.2
