"""The clinic page that hosts the web chat widget (its socket.io channel is in ``channels``)."""
