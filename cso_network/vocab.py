"""Controlled vocabularies: countries, fields, practices and the 14 UN risk factors.

(Skeleton: constants only. Parsers are being added.)
"""

from __future__ import annotations

from dataclasses import dataclass

#: The programme's region, in display order.
REGION: tuple[str, ...] = ("BA", "ME", "MK", "RS", "HR", "SI", "AL", "XK")

#: The programme's five fields of work (canonical labels, display order).
FIELDS: tuple[str, ...] = (
    "human rights",
    "social work",
    "law",
    "peacebuilding",
    "transitional justice",
)

#: What the seminars taught and CSOs do (canonical labels, display order).
PRACTICES: tuple[str, ...] = (
    "atrocity risk analysis",
    "early warning and response",
    "monitoring and reporting",
    "advocacy",
    "countering hate speech",
    "social media and technology",
    "community organizing",
    "dialogue and reconciliation",
    "victim and survivor support",
    "legal aid",
    "documentation and memory",
    "education and youth",
)


@dataclass(frozen=True)
class RiskFactor:
    """One risk factor of the UN Framework of Analysis for Atrocity Crimes (2014)."""

    number: int
    title: str
    scope: str


RISK_FACTORS: dict[int, RiskFactor] = {
    rf.number: rf
    for rf in (
        RiskFactor(1, "Situations of armed conflict or other forms of instability", "common"),
        RiskFactor(2, "Record of serious violations of international human rights and humanitarian law", "common"),
        RiskFactor(3, "Weakness of State structures", "common"),
        RiskFactor(4, "Motives or incentives", "common"),
        RiskFactor(5, "Capacity to commit atrocity crimes", "common"),
        RiskFactor(6, "Absence of mitigating factors", "common"),
        RiskFactor(7, "Enabling circumstances or preparatory action", "common"),
        RiskFactor(8, "Triggering factors", "common"),
        RiskFactor(9, "Intergroup tensions or patterns of discrimination against protected groups", "genocide"),
        RiskFactor(10, "Signs of an intent to destroy in whole or in part a protected group", "genocide"),
        RiskFactor(11, "Signs of a widespread or systematic attack against any civilian population", "crimes against humanity"),
        RiskFactor(12, "Signs of a plan or policy to attack any civilian population", "crimes against humanity"),
        RiskFactor(13, "Serious threats to those protected under international humanitarian law", "war crimes"),
        RiskFactor(14, "Serious threats to humanitarian or peacekeeping operations", "war crimes"),
    )
}
