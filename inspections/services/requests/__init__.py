"""有求必应: tickets (enterprise requests, grid reports, a service specialist's requests and 12345 work
orders) through their closed loop, used by every role that takes part: raising, triage and assignment,
signing and answering, callbacks, supervision, closing; the 12345 import and the rates."""
