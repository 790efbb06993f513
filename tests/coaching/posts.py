"""What the drop-in form posts, for tests that post it."""

import uuid

from django.utils import timezone


def dropin_post(**overrides):
    data = {
        "uuid": str(uuid.uuid4()),
        "visited_on": timezone.localdate().isoformat(),
        "class_or_group": "7B",
        "minutes": "15",
        "strengths": "Calm, warm start.",
        "noticed": "",
        "evidence": "",
        "followup": "emerging",
    }
    data.update(overrides)
    return data
