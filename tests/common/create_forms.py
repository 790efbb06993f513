"""Reading a page's form as a browser sends it, for the tests that post each create form."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": attrs.get("method", "get").lower(),
                "fields": [],
                "names": set(),
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            form["names"].add(name)
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            form["fields"].append(
                (name, attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
            )
        elif tag == "select" and name:
            form["names"].add(name)
            self._select = {
                "name": name,
                "first": None,
                "chosen": [],
                "multiple": "multiple" in attrs,
            }
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            form["names"].add(name)
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            select = self._select
            chosen = select["chosen"] or ([] if select["multiple"] else [select["first"] or ""])
            for value in chosen:
                self._form["fields"].append((select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None


def posted_form(page, path):
    """What a browser sends from the page's POST form to ``path`` that carries a form token,
    before anything is typed: ``{name: value or [values]}``."""
    parser = _Forms()
    parser.feed(page)
    for form in parser.forms:
        if (
            form["method"] == "post"
            and form["action"] in ("", path)
            and "form_token" in form["names"]
        ):
            data = {}
            for name, value in form["fields"]:
                if name in data:
                    data[name] = [
                        *([data[name]] if isinstance(data[name], str) else data[name]),
                        value,
                    ]
                else:
                    data[name] = value
            return data
    raise AssertionError(f"no form with a token posts to {path}")
