"""Dates as official documents write them."""

from datetime import date


def official_date(value: date | None) -> str:
    """2026-12-02 → 2026年12月2日: GB/T 9704-2012 7.3.5.1 writes the date of issue (成文日期), like every date in
    the text, in Arabic numerals, the year in full, month and day without a leading zero."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
