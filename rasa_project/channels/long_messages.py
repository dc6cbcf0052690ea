"""Long messages take turns, and only a share of the server's time.

Reading a message costs time in proportion to its length (about 30 µs per
character: the red-flag detector, the fact extractor and the featurizers), and the
Rasa server reads every message on one event loop without pausing. A 5,000-character
message holds the loop for about 150 ms, a 20,000-character one longer, while a
normal turn needs about 20 ms; one client sending such messages back to back took
most of the server's time and multiplied everyone else's latency by four.

So every channel passes a message longer than :data:`LONG_MESSAGE_CHARS` through
:data:`LONG_MESSAGES` first: long messages are read one at a time, and after one has
taken ``t`` seconds the next starts no sooner than ``t * (1 / share - 1)`` seconds
later, which keeps long messages to at most :data:`LONG_MESSAGE_SHARE` of the
server's time however many arrive. Short messages, what people normally send, never
wait for them. A long message waits at most a few turns' time when the server is
otherwise idle, and is still always answered.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator, Optional

#: Messages longer than this take turns; shorter ones cost about a normal turn.
LONG_MESSAGE_CHARS = 1_000
#: The largest share of the server's time long messages may take together.
LONG_MESSAGE_SHARE = 0.25


class LongMessageGate:
    """Admits long messages one at a time, within a share of the time (see the module docstring)."""

    def __init__(self, threshold_chars: int = LONG_MESSAGE_CHARS, share: float = LONG_MESSAGE_SHARE) -> None:
        """Create the gate; ``share`` must be in (0, 1]."""
        if not 0 < share <= 1:
            raise ValueError("share must be in (0, 1]")
        self.threshold_chars = threshold_chars
        self.share = share
        self._lock: Optional[asyncio.Lock] = None
        self._next_start = 0.0

    @asynccontextmanager
    async def admit(self, chars: int) -> AsyncIterator[None]:
        """Wait until a message of ``chars`` characters may be read, and account for its time."""
        if chars <= self.threshold_chars:
            yield
            return
        if self._lock is None:
            # Created here, inside the server's running event loop.
            self._lock = asyncio.Lock()
        async with self._lock:
            delay = self._next_start - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            started = time.monotonic()
            try:
                yield
            finally:
                finished = time.monotonic()
                self._next_start = finished + (finished - started) * (1 / self.share - 1)


#: The gate every channel of this process shares.
LONG_MESSAGES = LongMessageGate()
