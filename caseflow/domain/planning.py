"""Planning rules of the meeting year, pure and configurable: the KG rhythm before the
board (R16) and the joint gathering in the years without the BEST conference (R20).
They warn; they never block a command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caseflow.domain.errors import Message
from caseflow.domain.localtime import local_date, local_text

#: How a day is written in a warning's parameters (the reader's zone, Norwegian order).
DAY = "%d.%m.%Y"

# -- R16: KG meets about two weeks before the board ---------------------------------------


@dataclass(frozen=True)
class PlanningRules:
    """R16: how far ahead of the board meeting KG should meet (days, inclusive), and the
    deadlines derived from a board meeting. Configurable; the defaults follow practice
    (the KG gap has been two to four weeks)."""

    kg_min_days: int = 10
    kg_max_days: int = 30
    advice_days_before_kg: int = 1
    papers_days_before_board: int = 7

    @classmethod
    def parse(cls, window: str | None = None, papers_days: str | None = None) -> PlanningRules:
        """From settings such as ``"10-30"`` (KG window) and ``"7"`` (papers)."""
        rules = cls()
        if window:
            low, _, high = window.partition("-")
            try:
                lo, hi = int(low), int(high or low)
            except ValueError:
                raise ValueError(f"KG window must look like '10-30', not {window!r}") from None
            if not 0 <= lo <= hi:
                raise ValueError(f"KG window must have 0 <= min <= max, not {window!r}")
            rules = cls(lo, hi, rules.advice_days_before_kg, rules.papers_days_before_board)
        if papers_days:
            rules = cls(
                rules.kg_min_days, rules.kg_max_days, rules.advice_days_before_kg, int(papers_days)
            )
        return rules


def kg_gap_warning(
    kg_start: datetime | None, board_start: datetime, rules: PlanningRules
) -> Message | None:
    """R16: a warning when the KG meeting preparing a board meeting is not within the
    window before it (or there is none)."""
    if kg_start is None:
        return Message(
            "no KG meeting prepares the board meeting of %(board)s "
            "(KG meets %(min)s–%(max)s days before)",
            {
                "board": local_text(board_start, DAY),
                "min": rules.kg_min_days,
                "max": rules.kg_max_days,
            },
            rule="R16",
        )
    gap = (local_date(board_start) - local_date(kg_start)).days
    if rules.kg_min_days <= gap <= rules.kg_max_days:
        return None
    return Message(
        "the KG meeting of %(kg)s is %(gap)s days before the board meeting of %(board)s; "
        "KG should meet about two weeks before (%(min)s–%(max)s days)",
        {
            "kg": local_text(kg_start, DAY),
            "gap": gap,
            "board": local_text(board_start, DAY),
            "min": rules.kg_min_days,
            "max": rules.kg_max_days,
        },
        rule="R16",
    )


# -- R20: the yearly plan ------------------------------------------------------------------


def parse_years(text: str | None) -> frozenset[int] | None:
    """Years from a setting such as ``"2025,2027"``; None when not set."""
    if not text or not text.strip():
        return None
    try:
        return frozenset(int(part) for part in text.replace(";", ",").split(",") if part.strip())
    except ValueError:
        raise ValueError(f"years must look like '2025,2027', not {text!r}") from None


def is_best_year(year: int, best_years: frozenset[int] | None = None) -> bool:
    """Whether the BEST conference is held in ``year``. The mandate says only that the
    joint gathering is held every other year, in the years without BEST; BEST was held in
    2021 (KG agenda 7.9.2021), so without configured years we assume odd years."""
    if best_years is not None:
        return year in best_years
    return year % 2 == 1
