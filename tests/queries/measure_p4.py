"""Temporary: in-process CPU and bytes per page at 1x and 10x (not committed)."""
import time, statistics
import pytest
from django.urls import reverse, resolve
from tests.queries.test_query_counts import _build, DEMO, TEN_TIMES
from tests.queries import pages_programmes_marking, pages_programmes_staff, pages_team
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import User

pytestmark = [pytest.mark.django_db]
WANT = {"coaching:lead_home", "programmes:marking", "programmes:assignment", "programmes:cohort",
        "programmes:release", "rollout:team_coaches", "programmes:programme", "programmes:moderation"}

def _pages():
    with scopes_disabled():
        lead = User.objects.get(email="lead@riverside.example.org")
        slug = lead.memberships.filter(role="coaching_lead").first().school.slug
        found = [(lead, reverse("coaching:lead_home", args=[slug]))]
        for m in (pages_programmes_marking, pages_programmes_staff, pages_team):
            found += [p for p in m.pages() if resolve(p[1]).view_name in WANT]
    return found

def _measure(client, settings):
    settings.DEBUG = False
    out = {}
    from collections import Counter
    seen = Counter()
    for user, url, *_ in _pages():
        client.force_login(user)
        client.get(url)
        ts = []
        for _ in range(5):
            t = time.process_time(); r = client.get(url); ts.append(time.process_time() - t)
        assert r.status_code == 200, url
        name = resolve(url).view_name; seen[name] += 1
        out[f"{name} #{seen[name]}"] = (statistics.median(ts) * 1000, len(r.content))
    return out

def test_measure(client, settings):
    import os
    if os.environ.get("ONLY10"):
        _build(TEN_TIMES); b = _measure(client, settings)
        for k in b: print(f"{k:40s} cpu {b[k][0]:7.1f} bytes {b[k][1]}")
        return
    _build(DEMO)
    a = _measure(client, settings)
    _build(TEN_TIMES)
    b = _measure(client, settings)
    for k in a:
        print(f"{k:80s} cpu {a[k][0]:7.1f} -> {b[k][0]:7.1f} ms ({b[k][0]/a[k][0]:.2f}x)  bytes {a[k][1]:7d} -> {b[k][1]:7d} ({b[k][1]/a[k][1]:.2f}x)")
