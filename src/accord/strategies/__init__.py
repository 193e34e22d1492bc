"""Negotiation strategies: negotiators built from offering, acceptance and
opponent-model parts, and the explicit registry (:mod:`accord.strategies.registry`)."""
