"""The web chat: the socket.io channel the widget talks to and the page server."""
