"""The Redis conversation lock under contention, against a real Redis server.

Several threads, each with its own connection as separate Rasa processes would
have, queue on the same conversation at the same moment.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest

from benchmarks import cluster
from rasa_project.lock_store import AtomicRedisLockStore

CONTENDERS = 12


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A Redis server on loopback for this module."""
    try:
        server = cluster.start_redis(tmp_path_factory.mktemp("redis"))
    except RuntimeError as error:
        pytest.skip(str(error))
    try:
        yield server.port
    finally:
        server.stop()


def _store(port: int) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(host="127.0.0.1", port=port, db=1, key_prefix="locktest")


def _run_together(target, count: int) -> None:
    start = threading.Barrier(count)
    errors: List[BaseException] = []

    def run(index: int) -> None:
        start.wait()
        try:
            target(index)
        except BaseException as error:  # reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def test_tickets_issued_at_once_are_unique_and_all_queued(redis_port: int) -> None:
    conversation = uuid.uuid4().hex
    tickets: List[int] = []
    _run_together(lambda _: tickets.append(_store(redis_port).issue_ticket(conversation)), CONTENDERS)

    assert sorted(tickets) == list(range(CONTENDERS))
    lock = _store(redis_port).get_lock(conversation)
    assert lock is not None
    assert sorted(ticket.number for ticket in lock.tickets) == list(range(CONTENDERS))


def test_only_one_holder_at_a_time_and_every_holder_gets_a_turn(redis_port: int) -> None:
    conversation = uuid.uuid4().hex
    holders: List[int] = []
    overlaps: List[int] = []
    inside = threading.Lock()

    async def hold(index: int) -> None:
        async with _store(redis_port).lock(conversation, wait_time_in_seconds=0.01):
            if not inside.acquire(blocking=False):
                overlaps.append(index)
                return
            try:
                holders.append(index)
                await asyncio.sleep(0.02)
            finally:
                inside.release()

    _run_together(lambda index: asyncio.run(hold(index)), CONTENDERS)

    assert overlaps == []
    assert sorted(holders) == list(range(CONTENDERS))
    # The last holder's release deleted the queue.
    assert _store(redis_port).get_lock(conversation) is None


def test_released_ticket_does_not_delete_a_queue_others_wait_in(redis_port: int) -> None:
    conversation = uuid.uuid4().hex
    store = _store(redis_port)
    first = store.issue_ticket(conversation)
    second = _store(redis_port).issue_ticket(conversation)

    store.cleanup(conversation, first)

    lock = store.get_lock(conversation)
    assert lock is not None
    assert not lock.is_locked(second)


def test_a_queue_left_by_a_crashed_process_expires_in_redis(redis_port: int) -> None:
    conversation = uuid.uuid4().hex
    store = _store(redis_port)
    store.issue_ticket(conversation, lock_lifetime=10)

    ttl = store.red.ttl(store.key_prefix + conversation)
    assert 0 < ttl <= 10 + 5 + 1


def test_reads_settings_from_the_endpoints_file_section(redis_port: int, tmp_path: Path) -> None:
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import read_endpoint_config

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "lock_store:\n"
        "  type: rasa_project.lock_store.AtomicRedisLockStore\n"
        "  url: 127.0.0.1\n"
        f"  port: '{redis_port}'\n"
        "  db: 2\n"
        "  key_prefix: fromfile\n"
    )
    store = LockStore.create(read_endpoint_config(str(endpoints), "lock_store"))

    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix.startswith("fromfile:")
    conversation = uuid.uuid4().hex
    assert store.issue_ticket(conversation) == 0
    assert store.red.connection_pool.connection_kwargs["db"] == 2
