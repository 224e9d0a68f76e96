"""The masterplan document's chapter "Integrasi SPBE dan Satu Data": applications and datasets per programme,
the SPBE domain coverage matrix and the gaps. Registered with masterplan.sections in SpbeConfig.ready(), since
the masterplan (a layer below) never imports this app."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from masterplan.books import Book
from masterplan.pages import PageLink
from masterplan.sections import Section

from .selectors import coverage

ANCHOR = "integrasi-spbe-satu-data"
TITLE = "Integrasi SPBE dan Satu Data"


def integration_section(masterplan) -> Section | None:
    """Return the chapter of Buku II for the masterplan's PDF, or None when the masterplan has no programme."""
    report = coverage(masterplan)
    if not report.rows:
        return None
    html = render_to_string("spbe/pdf/integration_section.html", {"coverage": report})
    return Section(anchor=ANCHOR, title=TITLE, html=html, book=Book.MASTERPLAN)


def integration_page_link(user, masterplan) -> PageLink:
    """Return the link from the masterplan's page to this chapter on the web."""
    return PageLink(
        label=gettext("SPBE and Satu Data integration"),
        url=reverse("spbe:masterplan_chapter", args=[masterplan.pk]),
        name="spbe-chapter-link",
    )
