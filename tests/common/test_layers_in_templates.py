"""Apps depend downward, in their templates and the names their code passes around too.

import-linter keeps Python imports in the order of the layers (its contract in pyproject.toml,
which these tests read too); it cannot see a template that links to a higher app's page
(``{% url 'rollout:...' %}``) or includes or extends a higher app's template, nor code that
builds a higher app's URL by name (``reverse("rollout:...")``) or renders its template. These
tests read every template and module of every app under ``src/coachloop`` and fail on each
such name. A lower page that shows something of a higher app asks ``common.navigation.offers``
for it; the site's own links come from the site's context processor (``site_urls``).

A page or template belongs to the app that declares it: a URL to the app whose ``urls.py``
names it (for the project's own routes, the app of the view), a template to the app whose
``templates/`` folder Django finds it in. Names of Django's and other libraries' pages and
templates belong to no app and may be used anywhere.
"""

import ast
import re
import tomllib
from pathlib import Path

from django.apps import apps
from django.template import TemplateDoesNotExist, engines
from django.template.base import FilterExpression
from django.template.defaulttags import URLNode
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.urls import URLResolver, get_resolver

import coachloop

SRC = Path(coachloop.__file__).parent


def _layers():
    """The layers, bottom up, each a list of its groups of apps, read from the import-linter
    contract in pyproject.toml (which lists them top down: ``"coachloop.site | coachloop.demo"``
    is two independent groups, ``"a : b"`` one group whose apps may use each other)."""
    with open(SRC.parents[1] / "pyproject.toml", "rb") as file:
        contracts = tomllib.load(file)["tool"]["importlinter"]["contracts"]
    (layers,) = [contract["layers"] for contract in contracts if contract["type"] == "layers"]
    return [
        [[app.strip().removeprefix("coachloop.") for app in group.split(":")] for group in layer]
        for layer in (layer.split("|") for layer in reversed(layers))
    ]


# An app may name its own pages and templates, its group's, and those of the layers below it.
PLACE = {
    app: (height, side)
    for height, layer in enumerate(_layers())
    for side, group in enumerate(layer)
    for app in group
}
LAYER = {app: height for app, (height, _side) in PLACE.items()}

URL_FUNCTIONS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}
TEMPLATE_NAME = re.compile(r"[\w-]+(/[\w.-]+)+\.(html|txt|ics|xml)(#[\w-]+)?")


def _may_name(app, owner):
    return owner is None or PLACE[owner] == PLACE[app] or LAYER[owner] < LAYER[app]


def _app_of(path_or_module):
    """The app of ours a file path or dotted module name is part of, or None."""
    text = str(path_or_module)
    if text.startswith(str(SRC)):
        parts = Path(text).relative_to(SRC).parts
    elif text.startswith("coachloop."):
        parts = text.split(".")[1:]
    else:
        return None
    return parts[0] if len(parts) > 1 and parts[0] in LAYER else None


def _url_owners():
    """Every URL name (``"rollout:team_assign"``, ``"home"``) and the app it belongs to."""
    owners = {}

    def walk(patterns, namespace, declared_by):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                urlconf = pattern.urlconf_name
                prefix = f"{pattern.namespace}:" if pattern.namespace else ""
                walk(pattern.url_patterns, namespace + prefix, getattr(urlconf, "__name__", ""))
            elif pattern.name:
                view = getattr(pattern.callback, "view_class", pattern.callback)
                owner = _app_of(declared_by) or _app_of(view.__module__)
                owners.setdefault(namespace + pattern.name, owner)

    walk(get_resolver().url_patterns, "", "")
    return owners


URL_OWNERS = _url_owners()
ENGINE = engines["django"].engine


def _template_owner(name):
    """The app whose template Django renders for ``name`` (a file or one of its partials)."""
    try:
        origin = ENGINE.get_template(name.split("#")[0]).origin
    except TemplateDoesNotExist:
        return None
    return _app_of(origin.name)


def _literal(expression: FilterExpression):
    return expression.var if isinstance(expression.var, str) else None


def _names_in_template(source):
    """(kind, name) for each URL a template names and each template it includes or extends,
    where the name is written in it rather than taken from a variable."""
    nodelist = ENGINE.from_string(source).nodelist
    names = [("url", _literal(node.view_name)) for node in nodelist.get_nodes_by_type(URLNode)]
    names += [("include", _literal(n.template)) for n in nodelist.get_nodes_by_type(IncludeNode)]
    names += [("extends", _literal(n.parent_name)) for n in nodelist.get_nodes_by_type(ExtendsNode)]
    return [(kind, name) for kind, name in names if name]


def _owner(kind, name):
    return URL_OWNERS.get(name) if kind == "url" else _template_owner(name)


def _names_in_module(source):
    """(kind, name) for each URL or template a module names: a URL passed to ``reverse``,
    ``redirect`` and the like or written with its namespace anywhere, a template anywhere."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            function = getattr(node.func, "id", getattr(node.func, "attr", None))
            first = node.args[0]
            if function in URL_FUNCTIONS and isinstance(first, ast.Constant):
                names.append(("url", first.value))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if ":" in node.value and node.value in URL_OWNERS:
                names.append(("url", node.value))
            elif TEMPLATE_NAME.fullmatch(node.value):
                names.append(("template", node.value))
    return sorted({(kind, name) for kind, name in names if isinstance(name, str)})


def _files(pattern):
    for app in LAYER:
        for path in sorted((SRC / app).rglob(pattern)):
            if path.is_file():
                yield app, path


def _templates():
    for app, path in _files("*"):
        if "templates" in path.relative_to(SRC / app).parts:
            yield app, path


def _wrong_way(app, names):
    """The names among ``names`` that ``app`` may not use, each with the app it belongs to."""
    owners = [(kind, name, _owner(kind, name)) for kind, name in names]
    return [(kind, name, owner) for kind, name, owner in owners if not _may_name(app, owner)]


def _listed(wrong):
    return "names of a higher app's pages or templates:\n" + "\n".join(
        f"{path}: {kind} {name!r} of {owner}"
        for path, found in wrong.items()
        for kind, name, owner in found
    )


def test_every_app_of_ours_has_its_place_in_the_layers():
    ours = {
        config.name.removeprefix("coachloop.")
        for config in apps.get_app_configs()
        if config.name.startswith("coachloop.")
    }
    assert ours == set(LAYER)


def test_each_page_and_template_belongs_to_the_app_that_declares_it():
    assert URL_OWNERS["rollout:team_assign"] == "rollout"
    assert URL_OWNERS["coaching:lead_home"] == "coaching"
    assert URL_OWNERS["privacy"] == "site"
    assert URL_OWNERS["password_reset"] == "people"
    assert URL_OWNERS["login"] == "people"
    assert URL_OWNERS["account_reauthenticate"] is None
    assert _template_owner("programmes/offered.html#teacher-home") == "programmes"
    assert _template_owner("common/base.html") == "common"
    assert _template_owner("admin/base_site.html") is None


def test_the_check_reads_names_wherever_a_template_writes_them():
    source = (
        '{% extends "coaching/lead_home.html" %}{% load partials %}{% block content %}'
        "{% for x in xs %}{% if x %}{% url 'insights:school' x %}{% endif %}{% endfor %}"
        '{% partialdef part %}{% include "rollout/team_nav.html" %}{% endpartialdef %}'
        "{% include offer.template %}{% url view_name %}{% endblock %}"
    )
    assert sorted(_wrong_way("policy", _names_in_template(source))) == [
        ("extends", "coaching/lead_home.html", "coaching"),
        ("include", "rollout/team_nav.html", "rollout"),
        ("url", "insights:school", "insights"),
    ]
    assert _wrong_way("site", _names_in_template(source)) == []


def test_the_check_reads_the_names_a_module_passes_around():
    source = (
        'redirect("rollout:team_coaches", school.slug)\n'
        'url = reverse_lazy("privacy")\n'
        'place = "insights:school"\n'
        'render(request, "programmes/offered.html#coach-home", {})\n'
        'reverse("coaching:lead_home")\n'
    )
    assert sorted(_wrong_way("coaching", _names_in_module(source))) == [
        ("template", "programmes/offered.html#coach-home", "programmes"),
        ("url", "insights:school", "insights"),
        ("url", "privacy", "site"),
        ("url", "rollout:team_coaches", "rollout"),
    ]


def test_apps_on_one_layer_may_not_name_each_other():
    names = [("url", "programmes:home"), ("url", "insights:trust"), ("url", "rollout:emails")]
    assert _wrong_way("insights", names) == [("url", "programmes:home", "programmes")]


def test_no_template_names_a_page_or_template_of_an_app_above_its_own():
    wrong = {
        str(path.relative_to(SRC)): found
        for app, path in _templates()
        if (found := _wrong_way(app, _names_in_template(path.read_text())))
    }
    assert not wrong, _listed(wrong)


def test_no_module_names_a_page_or_template_of_an_app_above_its_own():
    wrong = {
        str(path.relative_to(SRC)): found
        for app, path in _files("*.py")
        if (found := _wrong_way(app, _names_in_module(path.read_text())))
    }
    assert not wrong, _listed(wrong)
