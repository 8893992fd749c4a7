"""Inspect Once (综合查一次): one announced joint safety inspection per enterprise.

Layers point one way: ui/ and cli -> services -> domain (pure rules) and store (the only SQL).
"""
__version__ = "0.1.0"
