"""No template under src/ carries code the Content-Security-Policy would refuse: an inline
<script> with a body, an on...= handler, a javascript: address, htmx's hx-on or js: values,
a style attribute or a <style> element. Scripts and styles are files under static/.

The PDF templates are exempt: WeasyPrint reads them on the server, no browser ever does."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PDF_ONLY = "_pdf.html"  # rendered to PDF by WeasyPrint, never served as a page
DJANGO_COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)
DJANGO_TAGS = re.compile(r"\{%.*?%\}", re.DOTALL)  # a space, so `{% if %}onclick=` is seen
DJANGO_VARIABLES = re.compile(r"\{\{.*?\}\}", re.DOTALL)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data"}
EVAL_ATTRIBUTES = {"hx-vals", "hx-headers", "data-hx-vals", "data-hx-headers"}


class InlineCode(HTMLParser):
    """Finds, in one template's text, what a strict policy would refuse to run or apply."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._script_body = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if re.fullmatch(r"on[a-z]+", name):
                self.found.append(f"<{tag} {name}=...>: an inline event handler")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}=...>: htmx's inline handler needs eval")
            elif name == "style":
                self.found.append(f"<{tag} style=...>: an inline style")
            elif name in URL_ATTRIBUTES and value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>: script in an address")
            elif name in EVAL_ATTRIBUTES and value.startswith(("js:", "javascript:")):
                self.found.append(f"<{tag} {name}=js:...>: htmx would need eval")
        if tag == "style":
            self.found.append("<style>: an inline stylesheet")
        if tag == "script":
            self._script_body = []

    def handle_data(self, data):
        if self._script_body is not None:
            self._script_body.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_body is not None:
            if "".join(self._script_body).strip():
                self.found.append("<script>...</script>: an inline script")
            self._script_body = None


def inline_code(text):
    parser = InlineCode()
    text = DJANGO_COMMENTS.sub("", text)
    parser.feed(DJANGO_VARIABLES.sub("value", DJANGO_TAGS.sub(" ", text)))
    parser.close()
    return parser.found


def page_templates():
    return sorted(
        path for path in SRC.rglob("templates/**/*.html") if not path.name.endswith(PDF_ONLY)
    )


def test_no_page_template_holds_inline_script_or_style():
    templates = page_templates()
    assert len(templates) > 100
    found = {
        str(path.relative_to(SRC)): problems
        for path in templates
        if (problems := inline_code(path.read_text(encoding="utf-8")))
    }
    assert not found, found


@pytest.mark.parametrize(
    "snippet, problem",
    [
        ("<script>document.body.className += ' js-enabled';</script>", "an inline script"),
        ('<button onclick="go()">Go</button>', "an inline event handler"),
        ('<form {% if x %}onsubmit="go()"{% endif %}>', "an inline event handler"),
        ('<a href="javascript:go()">Go</a>', "script in an address"),
        ('<p style="color: red">Red</p>', "an inline style"),
        ("<style>p { color: red }</style>", "an inline stylesheet"),
        ('<button hx-on:click="go()">Go</button>', "htmx's inline handler needs eval"),
        ("<div hx-vals='js:{a: go()}'></div>", "htmx would need eval"),
    ],
)
def test_each_kind_of_inline_code_is_caught(snippet, problem):
    assert [problem in found for found in inline_code(snippet)] == [True]


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'coachloop/js-enabled.js' %}\"></script>",
        '<script type="module" src="/static/coachloop/init-govuk.js"></script>',
        '<body hx-headers=\'{"X-CSRFToken": "{{ csrf_token }}"}\'>',
        "{% blocktranslate with one=name %}This ends it for {{ one }}.{% endblocktranslate %}",
        "{# a <style> mentioned in a comment #}<p>Text</p>",
        '<a href="{{ url }}"{% if current %} aria-current="page"{% endif %}>Home</a>',
    ],
)
def test_scripts_from_files_and_ordinary_markup_pass(snippet):
    assert inline_code(snippet) == []
