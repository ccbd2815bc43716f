"""The HTML report as a browser shows it (headless Chromium through chromedriver):
a pair view opens at its first passage; clicking a passage in one pane scrolls the other
pane to its counterpart; the legend and the kind/score labels are there; Enter on a
legend entry does what a click does; the pairs table filters by score and name and sorts.
Usage: report.py REPORT.html N_PAIR SCREENSHOT.png"""
import sys

from webdriver import ENTER, Browser

report, pair, shot = sys.argv[1], sys.argv[2], sys.argv[3]

# Where each passage's highlight lies in its pane: visible or not, in pane pixels.
WHERE = """
var out = {};
document.querySelectorAll('#view pre.text').forEach(function (pre) {
  var r = pre.getBoundingClientRect();
  pre.querySelectorAll('a.hl').forEach(function (a) {
    var q = a.getClientRects()[0];
    out[pre.dataset.side + a.dataset.passage] = q.top >= r.top - 1 && q.top < r.bottom - 10;
  });
});
return out;"""

with Browser() as b:
    b.get("file://" + report + "#pair-" + pair)
    n = b.run("return document.querySelectorAll('#view a.hl').length;")
    assert n >= 4, f"pair {pair}: {n} highlights, the test corpus plants two passages"
    # opened at the first passage: the first highlight of pane a and its counterpart in b shown
    first = b.run("return document.querySelector('#view pre[data-side=a] a.hl').dataset.passage;")
    where = b.run(WHERE)
    assert where["a" + first] and where["b" + first], ("not opened at the first passage", where)
    other = "1" if first == "0" else "0"
    assert not where["b" + other], ("both passages visible at once: the test cannot tell scrolling", where)
    # labels (kind and score, drawn from data-label) and the legend
    label = b.run("return getComputedStyle(document.querySelector('#view a.hl'), '::before').content;")
    assert "verbatim" in label and "1.00" in label, label
    legend = b.run("return [].map.call(document.querySelectorAll('#view .legend button'), function (e) "
                   "{ return e.textContent; });")
    assert len(legend) == 2 and all("verbatim" in t for t in legend), legend
    # a click on the other passage in pane a scrolls pane b to its counterpart
    b.click(b.find(f"#view pre[data-side=a] a.hl[data-passage='{other}']"))
    where = b.run(WHERE)
    assert where["b" + other] and not where["b" + first], ("pane b did not follow the click", where)
    assert b.run(f"return document.querySelector(\"#view pre[data-side=b] a.hl[data-passage='{other}']\")"
                 ".classList.contains('active');")
    # the keyboard: Enter on the first legend entry brings both panes back to it
    b.keys(b.find(f"#view .legend button[data-passage='{first}']"), ENTER)
    where = b.run(WHERE)
    assert where["a" + first] and where["b" + first], ("Enter on the legend did not scroll", where)
    b.screenshot(shot)
    # the pairs table: filtered by the score slider and by name, sorted by a column
    total = b.run("return document.querySelectorAll('table.pairs tbody tr').length;")
    scores = b.run("return [].map.call(document.querySelectorAll('table.pairs tbody tr'), function (r) "
                   "{ return parseFloat(r.dataset.score); });")
    cut = (max(scores) + min(scores)) / 2
    shown = b.run("var s = document.getElementById('min-score'); s.value = arguments[0];"
                  "s.dispatchEvent(new Event('input'));"
                  "return document.querySelectorAll('table.pairs tbody tr:not([hidden])').length;", cut)
    assert shown == sum(x >= float("%.2f" % cut) for x in scores) and 0 < shown < total, (shown, total, scores)
    shown = b.run("var s = document.getElementById('min-score'); s.value = 0; s.dispatchEvent(new Event('input'));"
                  "var t = document.getElementById('name-filter'); t.value = 'zz-none'; t.dispatchEvent(new Event('input'));"
                  "return document.querySelectorAll('table.pairs tbody tr:not([hidden])').length;")
    assert shown == 0, shown
    b.run("var t = document.getElementById('name-filter'); t.value = ''; t.dispatchEvent(new Event('input'));")
    b.click(b.find("table.pairs th button[data-key='score']"))
    scores = b.run("return [].map.call(document.querySelectorAll('table.pairs tbody tr'), function (r) "
                   "{ return parseFloat(r.dataset.score); });")
    assert scores == sorted(scores), scores
print(f"browser: pair {pair} opens at its first passage, a click and Enter scroll both panes, labels and legend shown")
