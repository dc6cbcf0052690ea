"""Input channels: the web chat (socket.io), Telegram and the generic callback channel.

Each is registered in ``credentials.yml`` by class path and reads its settings and
secrets from the environment, so the file in the repository holds no secrets and
works unchanged on a machine where nothing is configured.
"""
