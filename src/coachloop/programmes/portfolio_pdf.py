"""A module portfolio as a PDF, made with WeasyPrint from a Django template, with the same
locked-down URL fetcher as the teacher's record (``coaching.portability.pdf``): nothing is
fetched but Coachloop's own static files, whatever an item's text contains."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.portability.pdf import html_to_pdf


def portfolio_html(portfolio, *, exported_at=None):
    """The portfolio as the HTML page the PDF is printed from."""
    exported_at = exported_at or timezone.now()
    return render_to_string(
        "programmes/students/portfolio_pdf.html",
        {
            "portfolio": portfolio,
            "teacher": portfolio.enrolment.teacher,
            "exported_on": timezone.localtime(exported_at).date(),
            "title": _("Portfolio for %(module)s: %(name)s")
            % {"module": portfolio.module, "name": portfolio.enrolment.teacher.full_name},
        },
    )


def render_portfolio_pdf(portfolio, *, exported_at=None):
    """The portfolio as PDF bytes (tagged, PDF/UA-1)."""
    return html_to_pdf(portfolio_html(portfolio, exported_at=exported_at))
