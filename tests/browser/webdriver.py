"""A minimal W3C WebDriver client (standard library only) for headless Chromium driven by
chromedriver: enough to open a page, run script in it, click, type and take screenshots.
Used by the HTML report's browser test and its opening-time benchmark."""
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

ENTER = "\ue007"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self, width=1280, height=1000):
        self.driver = shutil.which("chromedriver")
        self.chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not self.driver or not self.chromium:
            raise FileNotFoundError("chromium and chromedriver are needed")
        self.port = _free_port()
        self.profile = tempfile.mkdtemp(prefix="doppel-chromium-")
        self.proc = subprocess.Popen([self.driver, f"--port={self.port}"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        for _ in range(100):  # until it listens
            try:
                self._call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--window-size={width},{height}", f"--user-data-dir={self.profile}"]
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": self.chromium, "args": args}}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())["value"]

    def _s(self, method, path, body=None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def get(self, url):
        self._s("POST", "/url", {"url": url})

    def run(self, script, *args):
        """Runs script (a function body) with args; returns its value."""
        return self._s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        found = self._s("POST", "/element", {"using": "css selector", "value": css})
        return next(iter(found.values()))

    def click(self, element):
        self._s("POST", f"/element/{element}/click", {})

    def keys(self, element, text):
        self._s("POST", f"/element/{element}/value", {"text": text})

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self._s("GET", "/screenshot")))

    def close(self):
        try:
            self._call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
