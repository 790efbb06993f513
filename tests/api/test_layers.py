"""Resources call the pages' queries and services, never a model (survey 2.1-2): no manager,
no ModelSerializer, no generic view's queryset in api/resources/."""

from pathlib import Path

import coachloop.api.resources as resources

FORBIDDEN = (".objects", "ModelSerializer", "queryset =", "get_object(", "GenericAPIView")


def test_no_resource_reads_a_model_itself():
    found = [
        f"{path.name}: {word}"
        for path in sorted(Path(resources.__file__).parent.glob("*.py"))
        for word in FORBIDDEN
        if word in path.read_text()
    ]
    assert not found, f"Resources must go through queries and services: {found}"
