"""Restricted case numbers that the lookup page can recognise without the site publishing them.

A restricted case (privacy, litigation) gets no page, but its petitioner holds its number and should learn that
it was received and is being handled, not "not found". A plain list of the numbers would publish, for every
restricted case, the day it was received (the number begins with it) and let anyone tally restricted cases day
by day. So the site publishes only a slow, salted, shortened digest of each number (PBKDF2-SHA256, 4 bytes, sorted):
a browser that has a number can check it; a list of digests gives no dates, and finding the numbers behind them
means trying each day's 33 million possible numbers at 10,000 hash rounds each. How many cases are restricted is
public anyway (every figure counts them).
"""

from __future__ import annotations

import hashlib
import json

ITERATIONS = 10_000
DIGEST_BYTES = 4  # a typing error matches a restricted number with odds of (restricted cases) in 4 billion
FILE = "restricted.json"  # in the search index folder; read by the lookup page


def salt(case_id_prefix: str, jurisdiction: str) -> str:
    """The site's own salt: the same for every build of one portal, different between portals."""
    return f"huiyin-restricted:{case_id_prefix}:{jurisdiction}"


def digest(case_id: str, site_salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", case_id.encode("utf-8"), site_salt.encode("utf-8"), ITERATIONS,
                               DIGEST_BYTES).hex()


def restricted_file(case_ids: list[str], site_salt: str) -> bytes:
    """The lookup page's file: the salt, the rounds and the sorted digests (no order, no dates)."""
    data = {"salt": site_salt, "iterations": ITERATIONS, "bytes": DIGEST_BYTES,
            "digests": sorted({digest(i, site_salt) for i in case_ids})}
    return json.dumps(data, separators=(",", ":")).encode("utf-8")
