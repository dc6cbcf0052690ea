"""Messaging channels beyond the web widget: Telegram and the generic callback channel.

Both are registered in ``credentials.yml`` by class path and read their settings and
secrets from the environment, so the file in the repository holds no secrets and
works unchanged on a machine where nothing is configured.
"""
