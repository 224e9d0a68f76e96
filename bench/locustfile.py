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


class PageUser(FastHttpUser):
    wait_time = constant(0)  # closed loop: each user sends its next request once the answer is in

    def on_start(self):
        if urlsplit(self.host).hostname != "127.0.0.1":
            raise RuntimeError("the benchmark only ever sends traffic to 127.0.0.1")

    @task
    def open_page(self):
        with self.client.get(PATH, headers=HEADERS, name=NAME, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
