"""The numbers a transfer row shows, worked out without Qt: sizes in binary units, a speed that
does not jump with every progress event, and the time left at that speed."""

from __future__ import annotations

UNITS = ("B", "KiB", "MiB", "GiB", "TiB")
RATE_WEIGHT = 0.3  # each new reading moves the shown speed 30 % of the way: steady at 4 readings a second


def human_size(count: float) -> str:
    """1536 -> '1.5 KiB'; one decimal below 10 units, none above (the digits that matter)."""
    value = float(max(0.0, count))
    unit = 0
    while value >= 1024 and unit < len(UNITS) - 1:
        value /= 1024
        unit += 1
    if unit == 0:
        return f"{int(value)} B"
    return f"{value:.1f} {UNITS[unit]}" if value < 10 else f"{value:.0f} {UNITS[unit]}"


def smooth_rate(shown: float, reading: float) -> float:
    """The speed to show after a new reading (bytes/s); the first reading is taken as it is."""
    if shown <= 0:
        return max(0.0, reading)
    return shown + RATE_WEIGHT * (max(0.0, reading) - shown)


def seconds_left(done: int, size: int, rate: float) -> float | None:
    """Seconds until `size` at `rate`, or None when the speed says nothing yet."""
    if rate <= 0 or size <= 0:
        return None
    return max(0, size - done) / rate


def progress_permille(done: int, size: int) -> int:
    """0..1000 for a progress bar (Qt's bars take int32; sizes do not fit); an empty file is complete."""
    if size <= 0:
        return 1000
    return max(0, min(1000, done * 1000 // size))
