"""Links for the rows of a long list, each route reversed once per page rather than per row.

``reverse()`` resolves a route's pattern every time (about 45 microseconds); a page of rows
linking each row to two or three routes spends more on that than on the rest of the row. A
``RowLink`` reverses its route once, the first time a row needs it, with a stand-in for the
row's id, and fills in each row's id with a string format.
"""

from django.urls import reverse

STAND_IN = 987654321  # an id no route's other parts contain


class RowLink:
    """``RowLink("app:name", "tail")(pk)`` is ``reverse("app:name", args=[pk, "tail"])``, and
    ``RowLink("app:name", before=["slug"])(pk)`` is ``reverse("app:name", args=["slug", pk])``.

    The arguments before the row's id and after it are the same for every row.
    """

    def __init__(self, viewname, *after, before=()):
        self.viewname = viewname
        self.before = tuple(before)
        self.after = after
        self._format = None

    def __call__(self, pk):
        if self._format is None:
            url = reverse(self.viewname, args=[*self.before, STAND_IN, *self.after])
            before, rest = url.split(str(STAND_IN))
            self._format = before.replace("%", "%%") + "%d" + rest.replace("%", "%%")
        return self._format % pk
