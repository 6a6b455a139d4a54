"""The build's date: what "today" is for a page that needs it (events: upcoming or past; the date a
new short link is first published). SOURCE_DATE_EPOCH wins over the clock, as the
reproducible-builds convention asks; the date is China's."""
from __future__ import annotations

import datetime as dt
import os

CHINA = dt.timezone(dt.timedelta(hours=8))


def today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), CHINA).date()
    return dt.datetime.now(CHINA).date()
