"""The background delivery thread: one per process, polling every few seconds, woken at once by a new request."""

from __future__ import annotations

import logging
import threading

from kneeassess.outbox.config import DeliveryConfig
from kneeassess.outbox.delivery import DeliveryReport, deliver_due
from kneeassess.storage import LeadStore, StorageError

log = logging.getLogger("kneeassess.outbox")

POLL_S = 5.0


class DeliveryWorker(threading.Thread):
    """A daemon thread delivering due rows every ``interval`` seconds (sooner when woken) until stopped."""

    def __init__(self, store: LeadStore, interval: float = POLL_S, *, limit: int = 20,
                 config: DeliveryConfig | None = None) -> None:
        super().__init__(name="kneeassess-delivery", daemon=True)
        self.store = store
        self.interval = interval
        self.limit = limit
        self.config = config
        self.totals = DeliveryReport()
        self._stop_event = threading.Event()
        self._wake_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                while not self._stop_event.is_set():
                    report = deliver_due(self.store, limit=self.limit, config=self.config)
                    self.totals.add(report)
                    if report.claimed < self.limit:
                        break
            except StorageError as e:  # the database is away: try again at the next poll
                log.warning("delivery pass failed: %s", e)
            except Exception:  # keep the thread alive whatever happens; the rows stay in the outbox
                log.exception("delivery pass failed")
            self._wake_event.wait(self.interval)
            self._wake_event.clear()

    def wake(self) -> None:
        self._wake_event.set()

    def stop(self, timeout: float | None = 15) -> None:
        self._stop_event.set()
        self._wake_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)


# Process-level infrastructure, not user data: which delivery thread this process runs (at most one).
_worker_lock = threading.Lock()
_worker: DeliveryWorker | None = None


def start_worker(
    store: LeadStore, interval: float = POLL_S, *, config: DeliveryConfig | None = None
) -> DeliveryWorker:
    """Start this process's delivery thread, once; later calls return the running one (whatever their store)."""
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = DeliveryWorker(store, interval, config=config)
            _worker.start()
        return _worker


def stop_worker(timeout: float | None = 15) -> None:
    global _worker
    with _worker_lock:
        worker, _worker = _worker, None
    if worker is not None:
        worker.stop(timeout)


def nudge() -> None:
    """Wake this process's delivery thread (after a new request), if it runs."""
    worker = _worker
    if worker is not None:
        worker.wake()
