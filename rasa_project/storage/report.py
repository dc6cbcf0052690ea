"""The operator report: how the assistant is used and how often it escalates."""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Dict, List, Optional

import sqlalchemy as sa

from rasa_project.storage import database
from rasa_project.storage.models import Assessment, Escalation, rasa_events


@dataclass
class OperatorReport:
    """Usage and safety figures over the whole database."""

    conversations: int = 0
    completed_assessments: int = 0
    recommendations: Dict[str, int] = field(default_factory=dict)
    assessment_triage_levels: Dict[str, int] = field(default_factory=dict)
    escalation_levels: Dict[str, int] = field(default_factory=dict)
    escalations_per_day: Dict[date, int] = field(default_factory=dict)
    escalations_not_notified: int = 0
    #: Escalation records of erased conversations, kept without the conversation id.
    escalations_deidentified: int = 0

    @property
    def escalations(self) -> int:
        """Total number of escalations."""
        return sum(self.escalations_per_day.values())


def build_report(database_url: Optional[str] = None) -> OperatorReport:
    """Compute the report from the database (decrypting the values it counts)."""
    report = OperatorReport()
    with database.session_scope(database_url) as session:
        if sa.inspect(session.get_bind()).has_table(rasa_events.name):
            report.conversations = session.execute(
                sa.select(sa.func.count(sa.distinct(rasa_events.c.sender_id)))
            ).scalar_one()
        recommendations: Counter = Counter()
        triage_levels: Counter = Counter()
        for recommendation, triage_level in session.query(Assessment.recommendation, Assessment.triage_level):
            report.completed_assessments += 1
            recommendations[str(recommendation)] += 1
            triage_levels[str(triage_level)] += 1
        levels: Counter = Counter()
        per_day: Counter = Counter()
        for level, created_at, notified_at, conversation_id in session.query(
            Escalation.level, Escalation.created_at, Escalation.notified_at, Escalation.conversation_id
        ):
            levels[str(level)] += 1
            per_day[created_at.date()] += 1
            report.escalations_not_notified += notified_at is None
            report.escalations_deidentified += conversation_id is None
    report.recommendations = dict(recommendations.most_common())
    report.assessment_triage_levels = dict(triage_levels.most_common())
    report.escalation_levels = dict(levels.most_common())
    report.escalations_per_day = dict(sorted(per_day.items()))
    return report


def render_text(report: OperatorReport) -> str:
    """Return the report as plain text for a terminal."""
    lines = [
        f"Conversations:           {report.conversations}",
        f"Completed assessments:   {report.completed_assessments}",
        f"Escalations:             {report.escalations}"
        f" ({report.escalations_not_notified} not delivered to the clinic webhook,"
        f" {report.escalations_deidentified} of erased conversations)",
        "",
        *_text_table("Recommendations", report.recommendations),
        *_text_table("Triage level of completed assessments", report.assessment_triage_levels),
        *_text_table("Escalations by level", report.escalation_levels),
        *_text_table(
            "Escalations per day (UTC)", {day.isoformat(): n for day, n in report.escalations_per_day.items()}
        ),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _text_table(title: str, counts: Dict[str, int]) -> List[str]:
    rows = [f"  {name:<28} {count:>6}" for name, count in counts.items()] or ["  (none)"]
    return [f"{title}:", *rows, ""]


def render_html(report: OperatorReport) -> str:
    """Return the report as a self-contained HTML page with inline charts."""
    sections = [
        _html_table("Recommendations", report.recommendations),
        _html_table("Triage level of completed assessments", report.assessment_triage_levels),
        _html_table("Escalations by level", report.escalation_levels),
        _html_table("Escalations per day (UTC)", {day.isoformat(): n for day, n in report.escalations_per_day.items()}),
    ]
    charts = [
        _chart_img(
            "Escalations per day (UTC)",
            [d.isoformat() for d in report.escalations_per_day],
            list(report.escalations_per_day.values()),
        ),
        _chart_img("Recommendations", list(report.recommendations), list(report.recommendations.values())),
    ]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Assistant report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}
table{{border-collapse:collapse;margin-bottom:1.5rem}}td,th{{border:1px solid #ccc;padding:.3rem .6rem}}
td.n{{text-align:right}}</style></head><body>
<h1>Assistant report</h1>
<ul>
<li>Conversations: {report.conversations}</li>
<li>Completed assessments: {report.completed_assessments}</li>
<li>Escalations: {report.escalations} ({report.escalations_not_notified} not delivered to the clinic webhook,
{report.escalations_deidentified} of erased conversations)</li>
</ul>
{"".join(charts)}
{"".join(sections)}
</body></html>
"""


def _html_table(title: str, counts: Dict[str, int]) -> str:
    rows = (
        "".join(
            f'<tr><td>{html.escape(str(name))}</td><td class="n">{count}</td></tr>' for name, count in counts.items()
        )
        or '<tr><td colspan="2">none</td></tr>'
    )
    return f"<h2>{html.escape(title)}</h2><table>{rows}</table>"


def _chart_img(title: str, labels: List[str], values: List[int]) -> str:
    if not values:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(8, 3.2), dpi=100)
    axes.bar(range(len(values)), values, color="#3b6ea5")
    axes.set_xticks(range(len(values)))
    axes.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    axes.set_title(title)
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(title)}" src="data:image/png;base64,{encoded}">'
