"""Framework-free clinical logic: the public contract, triage and the decision table."""
