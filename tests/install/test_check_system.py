"""scripts/check-system, which `make install` runs first: it says exactly which packages to
add, and stops, rather than failing half-way through an install."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "check-system"


def run_check(tmp_path, *arguments, node_version="v18.19.1", python="python3", uv=True):
    """Run the check with a PATH of our making: the real tools, except the ones we fake."""
    bin_dir = Path(tempfile.mkdtemp(dir=tmp_path))
    for tool in ("sh", "awk", "sed", "grep", "head", "dirname", "id", "ldconfig", "git", "make"):
        found = shutil.which(tool) or shutil.which(tool, path="/sbin:/usr/sbin")
        if found:
            (bin_dir / tool).symlink_to(found)
    (bin_dir / "python3").symlink_to(os.path.realpath(sys.executable))  # 3.11 or newer
    for name, body in (("node", f"echo {node_version}"), ("npm", "echo 9.2.0")):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    if uv:
        (bin_dir / "uv").write_text("#!/bin/sh\n")
        (bin_dir / "uv").chmod(0o755)
    environment = {"PATH": str(bin_dir), "PYTHON": python, "HOME": str(tmp_path)}
    return subprocess.run(
        [str(bin_dir / "sh"), str(SCRIPT), *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_system_with_everything_passes_quietly(tmp_path):
    result = run_check(tmp_path)
    assert (result.returncode, result.stderr) == (0, "")


def test_missing_python_names_python3_and_python3_venv_in_one_apt_line(tmp_path):
    result = run_check(tmp_path, python="python-not-here", uv=False)
    assert result.returncode == 1
    assert "Python 3.11 or newer (python-not-here) is not installed" in result.stderr
    assert "apt install python3 python3-venv" in result.stderr


def test_a_node_older_than_package_json_allows_is_refused_with_the_version_wanted(tmp_path):
    result = run_check(tmp_path, node_version="v16.20.2")
    assert result.returncode == 1
    assert "Node.js 18.19.0 or newer is needed; node is 16.20.2" in result.stderr


def test_the_server_check_does_not_ask_for_node(tmp_path):
    assert run_check(tmp_path, node_version="v12.0.0").returncode == 1
    result = run_check(tmp_path, "--server", node_version="v12.0.0")
    assert (result.returncode, result.stderr) == (0, "")


def test_as_root_the_line_has_no_sudo_and_names_make_install_system(tmp_path):
    result = run_check(tmp_path, python="python-not-here", uv=False)
    sudo = "" if os.geteuid() == 0 else "sudo "
    assert f"    {sudo}apt install python3" in result.stderr
    assert "make install-system" in result.stderr


def test_only_the_bench_check_asks_for_wrk(tmp_path):
    assert run_check(tmp_path).returncode == 0  # make install does not need wrk
    result = run_check(tmp_path, "--bench")
    assert result.returncode == 1
    assert "make bench-pages" in result.stderr and "apt install wrk" in result.stderr
