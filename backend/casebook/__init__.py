"""Casebook: a multi-tenant library of partnership cases and a planner for replicating them."""

__version__ = "0.1.0"
