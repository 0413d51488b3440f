"""Reference months as integer day numbers (days since 1970-01-01, as polars Date)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

EPOCH = dt.date(1970, 1, 1)


def parse_month(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"month must be YYYY-MM, got {text!r}")
    return int(m.group(1)), int(m.group(2))


def day_number(d: dt.date) -> int:
    return (d - EPOCH).days


def to_date(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


@dataclass(frozen=True)
class Calendar:
    labels: list[str]  # 'YYYY-MM', one per reference month
    start: np.ndarray  # int64 day of the first day of each month, plus the month after the last

    @property
    def n(self) -> int:
        return len(self.labels)

    def end(self, m: int) -> int:
        """Last day of month m."""
        return int(self.start[m + 1]) - 1

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Month index of each day: -1 for any day before the first month, n after the last."""
        return np.searchsorted(self.start, days, side="right") - 1


def build_calendar(debut: str, fin: str) -> Calendar:
    y, m = parse_month(debut)
    y2, m2 = parse_month(fin)
    if (y2, m2) < (y, m):
        raise ValueError(f"fin {fin} is before debut {debut}")
    labels, starts = [], []
    while (y, m) <= (y2, m2):
        labels.append(f"{y:04d}-{m:02d}")
        starts.append(day_number(dt.date(y, m, 1)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    starts.append(day_number(dt.date(y, m, 1)))
    return Calendar(labels=labels, start=np.array(starts, dtype=np.int64))
