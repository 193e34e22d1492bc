"""Negotiation protocols: how offers move between the parties.

Alternating offers (bilateral and stacked multilateral), single-text mediation and
shuttle diplomacy, each a function from a :class:`~accord.protocols.session.Session`
to a :class:`~accord.protocols.trace.ProtocolRun`; see :mod:`accord.protocols.registry`.
The public entry point is :func:`accord.simulation.simulate`.
"""
