"""An email backend for tests that run the worker as a separate process (whose mail no test
outbox can see): each message takes ``COACHLOOP_TEST_MAIL_DELAY`` seconds, then is written
to its own file in ``COACHLOOP_TEST_MAIL_DIR``."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["COACHLOOP_TEST_MAIL_DIR"])
        for message in messages:
            time.sleep(float(os.environ.get("COACHLOOP_TEST_MAIL_DELAY", "0")))
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)


def recipients(folder):
    """Whom the messages written to ``folder`` went to, one entry per message."""
    return sorted(
        line.split(":", 1)[1].strip()
        for path in Path(folder).glob("*.eml")
        for line in path.read_text().splitlines()
        if line.startswith("To:")
    )
