"""The systemd units and the nginx example in deploy/ name commands and paths that exist: a
renamed management command, a moved WSGI module or a lost socket path fails here, not on a
school's server at six in the morning."""

import configparser
import importlib
import shlex
import tomllib
from pathlib import Path

import pytest
from django.core.management import get_commands

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SERVER_CHECKOUT = "/srv/coachloop"  # where docs/operating.md installs a release
UNITS = sorted((DEPLOY / "systemd").glob("coachloop-*.*"))
SERVICES = [unit for unit in UNITS if unit.suffix == ".service"]


def read_unit(path):
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read(path)
    return parser


def exec_start(path):
    return shlex.split(read_unit(path)["Service"]["ExecStart"])


def in_checkout(path):
    """A path under /srv/coachloop, as the same path in this repository."""
    return REPO / Path(path).relative_to(SERVER_CHECKOUT)


def test_there_are_units_for_the_web_server_the_worker_and_the_daily_work():
    names = {unit.name for unit in UNITS}
    assert {
        "coachloop-web.service",
        "coachloop-worker.service",
        "coachloop-daily.service",
        "coachloop-daily.timer",
    } <= names


@pytest.mark.parametrize("service", SERVICES, ids=lambda path: path.name)
def test_each_service_runs_from_the_checkout_with_the_environment_file(service):
    section = read_unit(service)["Service"]
    assert section["WorkingDirectory"] == SERVER_CHECKOUT
    assert (in_checkout(section["WorkingDirectory"]) / "manage.py").is_file()
    assert section["EnvironmentFile"] == "/etc/coachloop/coachloop.env"
    assert section["User"] == "coachloop"
    assert exec_start(service)[0].startswith(f"{SERVER_CHECKOUT}/.venv/bin/")


@pytest.mark.parametrize(
    "service",
    [service for service in SERVICES if "manage.py" in exec_start(service)],
    ids=lambda path: path.name,
)
def test_each_management_command_a_service_runs_is_a_real_command(service):
    argv = exec_start(service)
    command = argv[argv.index("manage.py") + 1]
    assert command in get_commands(), f"{service.name} runs `manage.py {command}`"


def test_the_web_server_is_gunicorn_from_the_production_group_serving_the_wsgi_application():
    argv = exec_start(DEPLOY / "systemd" / "coachloop-web.service")
    assert argv[0] == f"{SERVER_CHECKOUT}/.venv/bin/gunicorn"
    with open(REPO / "pyproject.toml", "rb") as file:
        prod = tomllib.load(file)["dependency-groups"]["prod"]
    assert any(requirement.startswith("gunicorn") for requirement in prod)
    module, _, attribute = argv[-1].partition(":")
    assert callable(getattr(importlib.import_module(module), attribute))


def test_nginx_passes_to_the_socket_gunicorn_binds_and_serves_what_collectstatic_writes():
    argv = exec_start(DEPLOY / "systemd" / "coachloop-web.service")
    bind = argv[argv.index("--bind") + 1]
    nginx = (DEPLOY / "nginx" / "coachloop.conf").read_text()
    assert f"server {bind} " in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "client_max_body_size" in nginx
    environment = (DEPLOY / "coachloop.env.example").read_text()
    static_root = next(
        line.split("=", 1)[1]
        for line in environment.splitlines()
        if line.startswith("COACHLOOP_STATIC_ROOT=")
    )
    assert f"alias {static_root}/;" in nginx


@pytest.mark.parametrize(
    "timer", [unit for unit in UNITS if unit.suffix == ".timer"], ids=lambda path: path.name
)
def test_each_timer_starts_a_service_that_exists(timer):
    started = read_unit(timer)["Timer"]["Unit"]
    assert (DEPLOY / "systemd" / started).is_file()
    assert read_unit(DEPLOY / "systemd" / started)["Service"]["Type"] == "oneshot"


def test_the_example_environment_file_names_only_settings_the_operating_guide_lists():
    guide = (REPO / "docs" / "operating.md").read_text()
    for line in (DEPLOY / "coachloop.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            assert f"`{line.split('=', 1)[0]}`" in guide, line


def test_the_worker_first_queues_again_what_it_left_running_under_the_id_it_runs_with():
    section = read_unit(DEPLOY / "systemd" / "coachloop-worker.service")["Service"]
    before = shlex.split(section["ExecStartPre"])
    worker = exec_start(DEPLOY / "systemd" / "coachloop-worker.service")
    assert before[before.index("manage.py") + 1] == "recover_tasks"
    assert "recover_tasks" in get_commands()
    assert worker[worker.index("manage.py") + 1] == "db_worker"
    recovered_id = before[before.index("--worker") + 1]
    assert worker[worker.index("--worker-id") + 1] == recovered_id
