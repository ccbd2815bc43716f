"""How long a doppel HTML report takes to open in headless Chromium, and to open one pair
view in it: the median of --reps page loads (navigation start to the load event, read from
the page's Navigation Timing) and of --reps pair openings (from setting #pair-N to the view
laid out). Usage: html_open.py REPORT.html [--reps N]"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "browser"))
from webdriver import Browser  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("report")
ap.add_argument("--reps", type=int, default=5)
args = ap.parse_args()
url = "file://" + os.path.abspath(args.report)
loads, opens = [], []
with Browser() as b:
    for rep in range(args.reps):
        b.get(url + "?rep=%d" % rep)
        loads.append(b.run("var t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd - t.startTime;"))
        n = b.run("return document.querySelectorAll('table.pairs tbody tr').length;")
        opens.append(b.run("var t0 = performance.now(); location.hash = '#pair-' + arguments[0];"
                           "window.dispatchEvent(new HashChangeEvent('hashchange'));"
                           "document.getElementById('view').getBoundingClientRect();"
                           "return performance.now() - t0;", max(1, n // 2)))
size = os.path.getsize(args.report)
print(f"{args.report}: {size / 1e6:.1f} MB, {n} pairs; load {statistics.median(loads):.0f} ms, "
      f"one pair view {statistics.median(opens):.1f} ms (medians of {args.reps})")
