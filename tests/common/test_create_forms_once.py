"""Every create form creates once however often it is sent (``common.submissions``).

The guard: every view that calls a service which makes a row (by its name: ``…_create``,
``…_add``, ``…_record`` and the like) is wrapped in ``@creates_once``, or is listed below with
the reason it needs not be. The behaviour: the token is claimed with the write, a second POST
goes to the first result, a form with errors keeps its token; and every wrapped view's page
renders the token (tests/common/test_create_forms_twice.py posts each one twice).
"""

import ast
import re
from pathlib import Path

import coachloop

SRC = Path(coachloop.__file__).parent

# A service whose name ends so makes something new.
CREATING = re.compile(
    r"_(create|add|record|start|write|propose|submit|log|plan|schedule|import|grant|give|"
    r"assign|set|agree|bring|hand_over|erase)$"
)

# Views that call such a service but need no token, and why.
NOT_CREATE_FORMS = {
    # Drop-ins carry their own one-use key (the draft's uuid), for the offline script too.
    "coaching.views.dropins.dropin_new": "a drop-in's own uuid",
    # A helper, not a view: the views that call it (rollout's team_assign, coaching's
    # relationship_start) are wrapped; wrapped itself, it broke them.
    "coaching.views.relationships.assign_coach": "a helper of wrapped views",
    # These set a state or a choice on a row that exists: sent twice, the same state.
    "coaching.views.learning.goal_status": "sets a goal's status",
    "coaching.views.steps.step_status": "sets a step's status",
    "coaching.views.steps.step_agree": "marks a step agreed",
    "coaching.views.reviews.review_share": "sets whether a review is shared",
    "coaching.views.relationships.earlier_consent": "sets the teacher's consent",
    "rollout.views.emails.email_preferences": "sets a person's preferences",
    "rollout.views.time.session_detail": "sets who attended",
    "programmes.views.partnership.goal_agree": "marks a goal agreed",
    "programmes.views.marking.submission_moderate": "sets a submission's moderated mark",
    "programmes.views.markers.marker_replace": "sets who marks a slot (sent again: refused)",
    "programmes.views.staff.sample_add": "puts a submission in the moderation sample",
}


def _view_modules():
    yield from sorted(SRC.glob("*/views.py")) + sorted(SRC.glob("*/views/*.py"))
    yield from sorted(SRC.glob("*/*_views.py"))  # people's data_views, and the like


def _service_names(tree):
    """The names a views module gives to service modules and service functions."""
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        from_services = ".services" in f"{node.module}."
        for alias in node.names:
            if from_services or "services" in alias.name:
                names.add(alias.asname or alias.name)
    return names


def _creating_calls(function, services, helpers):
    """The creating services a function calls, itself or through the module's own helpers."""
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in services and CREATING.search(func.attr):
                yield func.attr
        elif isinstance(func, ast.Name):
            if func.id in services and CREATING.search(func.id):
                yield func.id
            yield from helpers.get(func.id, ())


def _decorated_once(function):
    return any(
        (isinstance(d, ast.Name) and d.id == "creates_once")
        or (isinstance(d, ast.Attribute) and d.attr == "creates_once")
        for d in function.decorator_list
    )


def views_that_create():
    """``{dotted view name: (services it calls, wrapped?)}`` for every module-level view."""
    found = {}
    for path in _view_modules():
        tree = ast.parse(path.read_text())
        services = _service_names(tree)
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        helpers = {}  # the module's private functions that create, called by its views
        for _round in range(3):
            for node in functions:
                if node.name.startswith("_"):
                    helpers[node.name] = set(_creating_calls(node, services, helpers))
        for node in functions:
            calls = sorted(set(_creating_calls(node, services, helpers)))
            if calls and not node.name.startswith("_"):
                found[f"{module}.{node.name}"] = (calls, _decorated_once(node))
    return found


def test_every_view_that_creates_takes_a_one_use_token():
    missing = {
        name: calls
        for name, (calls, wrapped) in views_that_create().items()
        if not wrapped and name not in NOT_CREATE_FORMS
    }
    assert missing == {}


def test_every_post_form_of_the_products_pages_carries_a_token():
    """A create form's page must send the token its view claims; the product's own POST forms
    all carry one (a view that does not create ignores it)."""
    lacking = []
    for app in ("coaching", "programmes", "rollout", "rosters"):
        for path in (SRC / app / "templates").rglob("*.html"):
            text = path.read_text()
            if text.count("{% csrf_token %}") != text.count("{% csrf_token %}{% form_token %}"):
                lacking.append(str(path.relative_to(SRC)))
    assert lacking == []
