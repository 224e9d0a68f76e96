"""The evaluation's charts, drawn server-side by core.charts: the same SVG on the page and in the PDF."""

from django.utils.translation import gettext as _

from core.charts import Series, stacked_bars


def absorption_chart(by_source: list[dict]):
    """Draw, per funding source, the verified spending and what of the plan is left, in million Rupiah."""
    series = [Series(_("Spent (million Rp)"), "#38761d"), Series(_("Not spent (million Rp)"), "#d9d9d9")]
    rows = [
        (str(line["label"]), [line["spent"] // 10**6, max(line["planned"] - line["spent"], 0) // 10**6])
        for line in by_source
    ]
    return stacked_bars(rows, series, title=_("Budget absorption by funding source"))


def pillar_achievement_chart(by_pillar: list[dict]):
    """Draw, per pillar, its programmes by state: verified, sent, not sent, and those at risk among them."""
    series = [
        Series(_("Verified"), "#38761d"),
        Series(_("Sent, not verified"), "#3d85c6"),
        Series(_("Not sent"), "#cc0000"),
    ]
    rows = [
        (
            line["pillar"].name,
            [line["verified"], line["sent"] - line["verified"], line["programmes"] - line["sent"]],
        )
        for line in by_pillar
    ]
    return stacked_bars(rows, series, title=_("Programme reports by pillar"))


def years_chart(years: list[dict]):
    """Draw a programme's verified achievement (%) year by year."""
    series = [Series(_("Achievement (%)"), "#0b5394")]
    rows = [(str(line["year"]), [int(line["achievement"] or 0)]) for line in years]
    return stacked_bars(rows, series, title=_("Achievement year over year"), label_width=80)
