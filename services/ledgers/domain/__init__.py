"""Aggregates of the ledgers service besides the directive (see services.ledgers.domainmodel)."""
