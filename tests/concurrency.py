"""Run calls at the same moment in threads, each on its own database connection (PostgreSQL races)."""

import threading
import time

from django.db import connection
from django.utils import translation


def race(*calls, stagger: float = 0.0, timeout: float = 60):
    """Run the calls in threads from one barrier (call i starts i × stagger s later); return outcomes in order.

    An outcome is the call's result or the exception it raised; messages are in English.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            with translation.override("en"):
                barrier.wait(timeout=10)
                time.sleep(index * stagger)
                outcomes[index] = call()
        except Exception as error:  # noqa: BLE001  (the outcome under test)
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
        assert not thread.is_alive(), "a thread is still waiting: deadlock?"
    return outcomes
