"""Input channels: the web chat (socket.io), REST, Telegram and the generic callback channel.

Each is registered in ``credentials.yml`` by class path and reads its settings and
secrets from the environment, so the file in the repository holds no secrets and
works unchanged on a machine where nothing is configured. Each keeps its
conversations in its own namespace (:mod:`.conversation_ids`), prepares every
message's text the same way (:mod:`.message_limits`) and refuses malformed requests
with a 4xx and a short JSON error (:mod:`.http_requests`).
"""
