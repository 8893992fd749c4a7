"""The one shape of a refused action: a reason key that the pages translate, with the values the message
needs. Each use case module names its own subclass, so callers can tell whose refusal it is; a lost race
(ChangedMeanwhile) is one kind across modules."""
from __future__ import annotations


class Refused(ValueError):
    def __init__(self, reason: str, **values):
        self.reason, self.values = reason, values
        super().__init__(reason)


class ChangedMeanwhile(Refused):
    """A decision made from what was read has lost a race: the hazard (reason 'hazard_changed_meanwhile',
    with `id`) or the visit ('visit_changed_meanwhile', with `inspection_id`) changed between the read and
    the write, e.g. a colleague decided the same re-inspection a moment earlier, or the visit was finished
    on another tablet. Nothing was written; the page says so, to reload and decide again."""
