"""The one shape of a refused action: a reason key that the pages translate (`error_<reason>` in
ui/messages.yaml, rendered by inspections.messages), with the values the message needs. A value may itself
be a refusal (the cause), which is rendered in its place.

Every refusal is of one of four kinds, which say how a caller should take it:

- `NotFound`: nothing to see, whether it does not exist or this user may not see it (the same answer for
  both, so ids reveal nothing). Also a `LookupError`.
- `NotAllowed`: the user may see the object but not do this to it (not on the visit's team, no recent
  password for a download).
- `BadInput`: what was given is refused (a blank name, a weak password, a deadline too far off).
- `Conflict`: the object's state does not allow it at this point (a hazard's status, a lost race).

Each use-case module names its own subclass of the right kind, so callers can tell whose refusal it is."""
from __future__ import annotations


class Refused(ValueError):
    def __init__(self, reason: str, **values):
        self.reason, self.values = reason, values
        super().__init__(reason)


class NotFound(Refused, LookupError):
    """No such object, or not one this user may see: the same answer for both (reason 'not_found').
    `what` is what was looked for (an id), kept as the exception's text for logs; it is not shown."""

    def __init__(self, what: object = None, reason: str = "not_found", **values):
        super().__init__(reason, **values)
        self.what = what
        self.args = (what,) if what is not None else ()


class NotAllowed(Refused):
    """An object the user may see, and an act on it they may not do."""


class BadInput(Refused):
    """What the user gave is refused; nothing was written."""


class Conflict(Refused):
    """The object's state does not allow the act now; nothing was written."""


class ChangedMeanwhile(Conflict):
    """A decision made from what was read has lost a race: the hazard (reason 'hazard_changed_meanwhile',
    with `id`) or the visit ('visit_changed_meanwhile', with `inspection_id`) changed between the read and
    the write, e.g. a colleague decided the same re-inspection a moment earlier, or the visit was finished
    on another tablet. Nothing was written; the page says so, to reload and decide again."""


KINDS = (NotFound, NotAllowed, BadInput, Conflict)
