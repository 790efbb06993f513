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


PORTFOLIO_PDF = "programmes.portfolio_pdf"


def build_portfolio_download(download):
    """The PDF of a prepared download (``common.downloads``): the portfolio, read for the
    person who asked for it as it is made, so a tutor who has since lost access gets nothing."""
    from coachloop.people.queries import viewer_for
    from coachloop.programmes.queries.portfolio import portfolio_for

    viewer = viewer_for(download.owner, only_trust_id=download.trust_id)
    if viewer is None:
        raise PermissionError("The person no longer works in the trust")
    found = portfolio_for(viewer, **download.arguments)
    return render_portfolio_pdf(found)
