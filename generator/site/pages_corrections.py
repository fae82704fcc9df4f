"""The 更正与变更 page (every correction of a published fact) and the 办理职责 page (who may record what)."""

from __future__ import annotations

from ..derive import Portal
from ..duties.model import Rules
from ..history.register import register_of
from .pages_bulletins import published
from .spec import PageSpec


def corrections_page(portal: Portal) -> PageSpec:
    """Every correction, newest first, with before, after, reason and date."""
    return PageSpec("corrections/", "portal/corrections.html", "更正与变更", {
        "register": register_of(portal), "history": portal.history is not None and portal.history.available,
        "bulletin_months": {b.month for b in published(portal)},
    }, description="已公开内容的每一项更正：更正前后的内容、原因和日期")


def rules_page(portal: Portal) -> PageSpec:
    """The duties file as a page: the six systems, who may record what, and the common rules."""
    data = portal.records.rules
    return PageSpec("about/rules/", "portal/rules.html", data["title"] if data else "办理职责",
                    {"rules": Rules.from_dict(data) if data else None},
                    description="谁可以登记什么：按六项制度分工的办理职责")
