"""A create form sent twice with the same token makes one row and sends the second to what the
first made ("That was already saved"); a form with errors does not use up its token."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import Goal
from coachloop.common import submissions
from coachloop.common.models import FormSubmission
from coachloop.common.tenancy import scopes_disabled

pytestmark = pytest.mark.django_db

SIGN_OUT = '<form method="post" action="/accounts/logout/"'  # the header's, on every page
TOKEN = re.compile(r'name="form_token" value="([A-Za-z0-9_-]{22})"')


def token_on(response):
    return TOKEN.search(response.content.decode()).group(1)


def goal(**overrides):
    data = {
        "title": "Every pupil answers in full sentences",
        "pupils": "Year 9 set 2",
        "evidence_kinds": ["pupil_work"],
        "review_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "relationship": "",
    }
    return data | overrides


def goals_of(person):
    with scopes_disabled():
        return Goal.objects.filter(teacher=person).count()


@pytest.fixture
def teacher(client, world):
    client.force_login(world.own.teacher)
    return world.own.teacher


def test_the_same_form_sent_twice_sets_one_goal_and_goes_to_it_again(client, teacher):
    url = reverse("coaching:goal_new")
    token = token_on(client.get(url))
    first = client.post(url, goal(form_token=token))
    second = client.post(url, goal(form_token=token))
    assert goals_of(teacher) == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert "That was already saved." in [str(m) for m in get_messages(second.wsgi_request)]


def test_a_form_with_errors_keeps_its_token_for_the_corrected_form(client, teacher):
    url = reverse("coaching:goal_new")
    token = token_on(client.get(url))
    shown_again = client.post(url, goal(title="", form_token=token))
    assert shown_again.status_code == 200
    assert token_on(shown_again) == token
    assert not FormSubmission.objects.exists()
    assert client.post(url, goal(form_token=token)).status_code == 302
    assert goals_of(teacher) == 1


def test_each_new_page_gives_a_new_token(client, teacher):
    url = reverse("coaching:goal_new")
    assert token_on(client.get(url)) != token_on(client.get(url))
    client.post(url, goal(form_token=token_on(client.get(url))))
    client.post(url, goal(form_token=token_on(client.get(url))))
    assert goals_of(teacher) == 2


def test_a_token_of_the_wrong_shape_is_a_bad_request_and_saves_nothing(client, teacher):
    response = client.post(reverse("coaching:goal_new"), goal(form_token="x" * 200))
    assert response.status_code == 400
    assert goals_of(teacher) == 0


def test_someone_elses_used_token_is_a_bad_request_not_their_page(client, world, teacher):
    url = reverse("coaching:goal_new")
    token = token_on(client.get(url))
    client.post(url, goal(form_token=token))
    client.force_login(world.own.coach)
    response = client.post(reverse("coaching:reflection_new"), {"form_token": token})
    assert response.status_code == 400


def test_a_form_sent_without_a_token_is_handled_as_before(client, teacher):
    client.post(reverse("coaching:goal_new"), goal())
    client.post(reverse("coaching:goal_new"), goal())
    assert goals_of(teacher) == 2
    assert not FormSubmission.objects.exists()


def _wrapped_routes():
    """Every route whose view is wrapped in ``@creates_once``, with its permission-matrix row."""
    from django.urls import get_resolver

    from coachloop.common.submissions import CREATES_ONCE
    from tests.access.test_permission_matrix import EVERY_ROW, all_routes

    routes = sorted(all_routes())  # imports every view, so every wrapped view is listed
    wrapped = set(CREATES_ONCE.values())
    resolver = get_resolver()
    found = []
    for route in routes:
        if route.startswith("admin:"):
            continue
        namespace, _sep, name = route.rpartition(":")
        patterns = resolver
        for part in namespace.split(":") if namespace else ():  # "api:v1" is nested
            patterns = patterns.namespace_dict[part][1]
        callback = next(
            (p.callback for p in _patterns(patterns) if getattr(p, "name", None) == name), None
        )
        if _unwrap_to_wrapped(callback, wrapped):
            found.append((route, EVERY_ROW[route]))
    return found


def _patterns(resolver, *, into_namespaces=False):
    from django.urls import URLPattern, URLResolver

    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLPattern):
            yield pattern
        elif isinstance(pattern, URLResolver) and (into_namespaces or not pattern.namespace):
            yield from _patterns(pattern, into_namespaces=into_namespaces)


def _unwrap_to_wrapped(view, wrapped):
    while view is not None:
        if view in wrapped:
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def test_every_create_page_renders_a_one_use_token():
    """Each wrapped view's page (as the first persona the permission matrix lets in) gives its
    form a token, so a double click cannot make two."""
    from tests.world import build_world

    routes = _wrapped_routes()
    assert len(routes) >= 40  # every create form of the product (see test_create_forms_once)
    from django.test import Client

    world = build_world()
    without = []
    for route, (method, kwargs_for, expected, *_query) in routes:
        if method != "get":
            continue
        persona = next((p for p, code in expected["own"].items() if code == 200), None)
        if persona is None:
            continue
        client = Client()
        client.force_login(world.people[persona])
        url = reverse(route, kwargs=kwargs_for(world.own) if kwargs_for else None)
        response = client.get(url)
        page = response.content.decode().replace(SIGN_OUT, "")
        if 'method="post"' in page and not TOKEN.search(page):
            without.append(route)
    assert without == []
    assert {"coaching:goal_new", "programmes:submission", "rollout:team_training"} <= {
        route for route, _row in routes
    }


def test_the_daily_job_forgets_tokens_older_than_a_week_and_keeps_newer_ones(client, teacher):
    url = reverse("coaching:goal_new")
    client.post(url, goal(form_token=token_on(client.get(url))))
    client.post(url, goal(form_token=token_on(client.get(url))))
    old, new = FormSubmission.objects.order_by("pk")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - submissions.KEPT_FOR - dt.timedelta(minutes=1)
    )
    assert submissions.forget_old_tokens() == 1
    assert list(FormSubmission.objects.all()) == [new]


def test_only_views_are_wrapped_never_a_helper_they_call():
    """A wrapped helper called by a view that is not (an "assign a coach" form's helper) read
    its own answer, True, as the view's response: a server error on every such form."""
    from django.urls import get_resolver

    from coachloop.common.submissions import CREATES_ONCE
    from tests.access.test_permission_matrix import all_routes

    all_routes()  # imports every view, so every wrapped one is listed
    reached = set()
    for pattern in _patterns(get_resolver(), into_namespaces=True):
        view = pattern.callback
        while view is not None:
            reached.add(view)
            view = getattr(view, "__wrapped__", None)
    assert {name for name, wrapper in CREATES_ONCE.items() if wrapper not in reached} == set()
