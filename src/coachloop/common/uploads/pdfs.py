"""Refusing a PDF with active content: anything that runs, opens, sends or carries other files
when the PDF is opened in a reader.

The PDF is parsed with pypdf, and every object in it is looked at: those the document's
catalogue reaches and every object its cross-reference tables list (an object no page uses can
still be run by a reader), including objects packed in object streams. Names are compared as
pypdf decodes them, so ``/J#61vaScript`` is ``/JavaScript``. A PDF pypdf cannot read, or that
needs a password to open, cannot be checked and is refused.

Links to web addresses (``/URI``) and links within the document are passive and allowed; an
``/OpenAction`` that only says which page to open at is allowed too.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# A name found anywhere (as a key or a value) -> what to call it.
ACTIVE = {
    "/JS": gettext_lazy("JavaScript"),
    "/JavaScript": gettext_lazy("JavaScript"),
    "/AA": gettext_lazy("actions that run when something happens in the document"),
    "/Launch": gettext_lazy("an action that starts another program"),
    "/EmbeddedFile": gettext_lazy("other files inside it"),
    "/EmbeddedFiles": gettext_lazy("other files inside it"),
    "/RichMedia": gettext_lazy("embedded media or Flash"),
    "/XFA": gettext_lazy("an XFA form"),
    "/SubmitForm": gettext_lazy("a form that sends what is typed into it elsewhere"),
    "/ImportData": gettext_lazy("a form that imports data"),
}
OPEN_ACTION = gettext_lazy("an action that runs when it is opened")
MAX_OBJECTS = 500_000  # more than any document a teacher writes


def looks_like_pdf(binary):
    """Whether ``binary`` starts as a PDF (readers accept the header anywhere in the first KB)."""
    binary.seek(0)
    head = binary.read(1024)
    binary.seek(0)
    return b"%PDF-" in head


def check_pdf(binary, name):
    """Refuse (``ValidationError`` with the words to show) a PDF with active content, or one
    that cannot be read to be checked. ``binary`` is read from its start and left there."""
    binary.seek(0)
    try:
        found = _active_content(binary, name)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — whatever pypdf raises, the file could not be checked
        raise ValidationError(
            _(
                "The file “%(name)s” could not be read as a PDF, so it cannot be checked or "
                "accepted. Open it and save it again as a PDF, or choose the file you meant."
            )
            % {"name": name}
        ) from None
    finally:
        binary.seek(0)
    if found:
        raise ValidationError(
            _(
                "The PDF “%(name)s” contains active content (%(what)s), which a PDF reader "
                "could run when it is opened, so it cannot be accepted. Print it to a new PDF "
                "(choose “Save as PDF” or “Microsoft Print to PDF” as the printer) and add that "
                "instead."
            )
            % {"name": name, "what": _(" and ").join(str(what) for what in found)}
        )


def _active_content(binary, name):
    reader = PdfReader(binary, strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise ValidationError(
            _(
                "The PDF “%(name)s” is protected with a password, so it cannot be checked or "
                "accepted. Save a copy without the password and add that."
            )
            % {"name": name}
        )
    found = []
    pending = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending += [IndirectObject(number, generation, reader) for number in numbers]
    pending += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen = set()
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                _note(found, ACTIVE.get(key))
                if key == "/OpenAction" and isinstance(_resolved(value), DictionaryObject):
                    _note(found, OPEN_ACTION)
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending += list(item)
        elif isinstance(item, NameObject):
            _note(found, ACTIVE.get(item))
    return found


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _note(found, what):
    if what is not None and what not in found:
        found.append(what)
