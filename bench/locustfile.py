"""One page under load: BENCH_PATH opened again and again by logged-in users (session cookie BENCH_SESSION).

Run by bench/run.py, one locust run per page, only ever against 127.0.0.1.
"""

import os
from urllib.parse import urlsplit

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

PATH = os.environ["BENCH_PATH"]
NAME = os.environ.get("BENCH_NAME", PATH)
SESSION = os.environ.get("BENCH_SESSION", "")
HEADERS = {"Cookie": f"sessionid={SESSION}"} if SESSION else {}
# Every RECONNECT-th request closes its keep-alive connection. A connection stays on the gunicorn worker that
# accepted it; were they kept for the whole run, a run whose users happened to sit mostly on one of the two
# workers measured a fraction of the throughput of a balanced one (the same page: 0.37 of the floor in one
# pass, 0.7 in the next). Reconnecting now and then spreads them as many real users would be spread.
RECONNECT = 25
CLOSING = HEADERS | {"Connection": "close"}


class PageUser(FastHttpUser):
    wait_time = constant(0)  # closed loop: each user sends its next request once the answer is in
    sent = 0

    def on_start(self):
        if urlsplit(self.host).hostname != "127.0.0.1":
            raise RuntimeError("the benchmark only ever sends traffic to 127.0.0.1")

    @task
    def open_page(self):
        self.sent += 1
        headers = CLOSING if self.sent % RECONNECT == 0 else HEADERS
        with self.client.get(PATH, headers=headers, name=NAME, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
