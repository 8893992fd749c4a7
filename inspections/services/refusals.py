"""The one shape of a refused action: a reason key that the pages translate, with the values the message
needs. Each use case module names its own subclass, so callers can tell whose refusal it is."""
from __future__ import annotations


class Refused(ValueError):
    def __init__(self, reason: str, **values):
        self.reason, self.values = reason, values
        super().__init__(reason)
