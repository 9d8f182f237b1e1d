"""Test doubles shared by the tests: the in-memory history store (it passes the same
contract tests as the SQLite store, tests/integration/test_store_contract.py)."""

from mobes.adapters.store_memory import MemoryStore

__all__ = ["MemoryStore"]
