"""Every npm package Coachloop installs runs on the oldest Node.js package.json promises
(18.19: what Debian 12 and Ubuntu 24.04 ship), so `make demo` and `make test` work with the
distribution's own Node. Upgrading a package to one that needs a newer Node fails here."""

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def parse(version):
    parts = [int(part) for part in re.findall(r"\d+", version)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def satisfies(version, comparator):
    """Whether a version meets one npm comparator (>=, >, <=, <, ^, ~, =, x-ranges)."""
    match = re.fullmatch(r"(>=|<=|>|<|\^|~|=)?\s*v?([\dx*.]+)", comparator.strip())
    if match is None:
        raise ValueError(f"unread npm range: {comparator!r}")
    operator, wanted = match.group(1) or "=", match.group(2)
    fixed = [part for part in wanted.split(".") if part not in ("x", "*")]
    floor = parse(".".join(fixed) or "0")
    if operator == ">=":
        return version >= floor
    if operator == ">":
        return version > floor
    if operator == "<=":
        return version <= floor
    if operator == "<":
        return version < floor
    if operator == "^":
        return version >= floor and version[0] == floor[0]
    if operator == "~":
        return version >= floor and version[:2] == floor[:2]
    return version[: len(fixed)] == floor[: len(fixed)]  # 18, 18.x, =18.19.0


def allows(version, engines):
    return any(
        all(satisfies(version, part) for part in re.split(r"\s+(?=[<>=^~])", alternative.strip()))
        for alternative in engines.split("||")
        if alternative.strip() not in ("", "*")
    ) or engines.strip() in ("", "*")


def test_the_range_reader_reads_the_forms_npm_packages_use():
    node_18 = parse("18.19.0")
    assert allows(node_18, ">= 14.16.0")
    assert allows(node_18, "^18 || >=20")
    assert allows(node_18, "^12.20.0 || ^14.13.1 || >=16.0.0")
    assert allows(node_18, ">=18.0.0 <19")
    assert not allows(node_18, ">=20.19.0")
    assert not allows(node_18, "^20.19.0 || ^22.12.0 || >=23")


def test_every_locked_npm_package_runs_on_the_oldest_node_we_promise():
    package = json.loads((REPO / "package.json").read_text())
    oldest = parse(re.fullmatch(r">=\s*([\d.]+)", package["engines"]["node"]).group(1))
    assert oldest <= parse("18.19.0"), "Debian 12 and Ubuntu 24.04 ship Node 18.19"
    lock = json.loads((REPO / "package-lock.json").read_text())
    too_new = {
        name: details["engines"]["node"]
        for name, details in lock["packages"].items()
        if name and isinstance(details.get("engines"), dict) and "node" in details["engines"]
        if not allows(oldest, details["engines"]["node"])
    }
    assert too_new == {}
