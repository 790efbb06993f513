"""An optional virus check of every upload by ClamAV's daemon, clamd.

Off unless ``COACHLOOP_CLAMD_SOCKET`` (the path of clamd's local socket) or
``COACHLOOP_CLAMD_ADDRESS`` (``host:port`` of its TCP socket) is set. Then each upload is
streamed to clamd with its ``INSTREAM`` command (the file in chunks, each with its length,
ended by an empty one) and refused when clamd finds something. It fails closed: when clamd
cannot be reached, does not answer within ``COACHLOOP_CLAMD_TIMEOUT`` seconds, or answers
anything but "OK", the upload is refused and the person asked to try again later.

The file is never written anywhere for this: it is read from the upload as Django holds it.
"""

import logging
import socket
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_REPLY = 4096


class Unavailable(Exception):
    """clamd could not be asked, or gave no answer that can be trusted."""


def configured():
    return bool(settings.COACHLOOP_CLAMD_SOCKET or settings.COACHLOOP_CLAMD_ADDRESS)


def scan(binary, name):
    """Refuse (``ValidationError`` with the words to show) a file clamd finds a virus in, or
    any file when clamd is set up but cannot check it. Does nothing when no clamd is set."""
    if not configured():
        return
    try:
        reply = _instream(binary)
    except (OSError, Unavailable) as error:
        logger.error("Virus check of an upload failed: %s", error)
        raise ValidationError(
            _(
                "The file “%(name)s” could not be checked for viruses just now, so it has not "
                "been added. Try again later."
            )
            % {"name": name}
        ) from None
    finally:
        binary.seek(0)
    if reply.endswith(" FOUND"):
        logger.warning("Virus check refused an upload: %s", reply)
        raise ValidationError(
            _(
                "The virus check found something harmful in the file “%(name)s”, so it cannot "
                "be accepted. Check your computer for viruses, or choose another file."
            )
            % {"name": name}
        )
    if reply != "stream: OK":
        logger.error("Virus check of an upload gave no verdict: %s", reply)
        raise ValidationError(
            _(
                "The file “%(name)s” could not be checked for viruses just now, so it has not "
                "been added. Try again later."
            )
            % {"name": name}
        )


def _connect():
    timeout = settings.COACHLOOP_CLAMD_TIMEOUT
    if settings.COACHLOOP_CLAMD_SOCKET:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        try:
            connection.connect(settings.COACHLOOP_CLAMD_SOCKET)
        except OSError:
            connection.close()
            raise
        return connection
    host, _sep, port = settings.COACHLOOP_CLAMD_ADDRESS.rpartition(":")
    if not host or not port.isdigit():
        raise Unavailable(f"COACHLOOP_CLAMD_ADDRESS is not host:port: {port!r}")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def _instream(binary):
    """clamd's answer for the file, e.g. ``stream: OK`` or ``stream: Eicar-Signature FOUND``."""
    binary.seek(0)
    with _connect() as connection:
        connection.sendall(b"zINSTREAM\0")
        try:
            while chunk := binary.read(CHUNK):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
        except OSError:
            # clamd closes the connection when a file passes its StreamMaxLength, after
            # saying so: read what it said.
            pass
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < MAX_REPLY:
            part = connection.recv(MAX_REPLY)
            if not part:
                break
            reply += part
    if not reply.endswith(b"\0"):
        raise Unavailable(f"clamd's reply was cut short: {reply[:200]!r}")
    return reply[:-1].decode("utf-8", "replace").strip()
