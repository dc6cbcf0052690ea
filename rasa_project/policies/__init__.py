"""Dialogue policies of the assistant."""
