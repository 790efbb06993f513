"""Every model that holds a person is answered for by some app's personal-data contributor
(``common.personal_data``): what it exports in a subject-access download and what erasure
does to it. A model added later with a person in it fails here until an app says."""

from django.apps import apps
from django.conf import settings

from coachloop.common.personal_data import contributors


def _covered():
    return {label for _app, c in contributors() for label in c.covers}


def _holding_a_person():
    """Models with a link to the user model, and then models with a link to those (a drop-in
    holds a person through its relationship), apart from the trust and school they belong to."""
    user = apps.get_model(settings.AUTH_USER_MODEL)
    holding = set()
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            label = model._meta.label
            if label in holding:
                continue
            for f in model._meta.get_fields():
                if not f.concrete or not f.is_relation or f.related_model is None:
                    continue
                if f.related_model is user or f.related_model._meta.label in holding:
                    holding.add(label)
                    grew = True
                    break
    return holding


def test_every_model_that_holds_a_person_is_answered_for_by_a_contributor():
    missing = _holding_a_person() - _covered()
    assert not missing, f"No personal-data contributor covers: {sorted(missing)}"


def test_every_model_a_contributor_names_exists():
    for label in _covered():
        assert apps.get_model(label) is not None


def test_each_app_that_holds_people_contributes():
    assert [label for label, _c in contributors()] == [
        "people",
        "coaching",
        "rollout",
        "rosters",
        "programmes",
        "api",
    ]
