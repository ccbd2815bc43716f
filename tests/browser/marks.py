"""The HTML report's marks as a browser shows them: each file of a --by-dir submission named
where it starts (a block above its text), the text that is not evidence (a template sentence,
a quotation) greyed with a note, and a histogram of every compared pair's score, with the
threshold marked. The corpus (tests/cli/html_browser.sh): alice and bob share a paragraph,
each has essay.txt and notes.txt, all three hold the template sentence.
Usage: marks.py REPORT.html N_PAIR SCREENSHOT.png"""
import re
import sys

from webdriver import Browser

report, pair, shot = sys.argv[1], sys.argv[2], sys.argv[3]

PANES = """
return [].map.call(document.querySelectorAll('#view pre.text'), function (pre) {
  var parts = [].map.call(pre.querySelectorAll('.part'), function (p) {
    var after = '', n = p.nextSibling;  // the text right after the file's name
    while (n && after.length < 20) { after += n.textContent; n = n.nextSibling; }
    return {name: p.textContent, display: getComputedStyle(p).display, after: after.trim()};
  });
  var grey = [].map.call(pre.querySelectorAll('.excl'), function (e) {
    return {text: e.textContent, color: getComputedStyle(e).color, title: e.title};
  });
  return {side: pre.dataset.side, parts: parts, grey: grey, text: pre.textContent,
          note: pre.parentNode.querySelector('.excl-note') ? pre.parentNode.querySelector('.excl-note').textContent : ''};
});"""

with Browser() as b:
    b.get("file://" + report + "#pair-" + pair)
    panes = b.run(PANES)
    assert len(panes) == 2, panes
    for p in panes:
        names = [x["name"] for x in p["parts"]]
        assert names == ["essay.txt", "notes.txt"], (p["side"], names)
        assert all(x["display"] == "block" for x in p["parts"]), p["parts"]
        # each name stands right before its file's first words
        assert p["parts"][1]["after"].startswith("Notes by"), p["parts"]
        assert p["text"].index("notes.txt") > p["text"].index("This whole paragraph"), "file order"
        greyed = " ".join(g["text"] for g in p["grey"])
        assert "Summarise a scientific" in greyed, ("template sentence not greyed", p["side"], p["grey"])
        assert "every student who reads this sentence" in greyed, ("quotation not greyed", p["side"], p["grey"])
        assert "This whole paragraph" not in greyed, "the copied paragraph greyed"
        assert all(g["color"] == "rgb(136, 136, 136)" and "not evidence" in g["title"] for g in p["grey"]), p["grey"]
        assert "template, quoted or reference text" in p["note"], p["note"]
    # the copied paragraph is still a passage with its label
    assert b.run("return document.querySelectorAll('#view a.hl[data-label]').length;") == 2
    b.screenshot(shot)
    # the histogram: every compared pair, more than the reported ones, and the threshold
    summary = b.run("return document.querySelector('dd.summary').textContent;")
    compared = int(re.search(r"(\d+) pairs compared", summary).group(1))
    reported = b.run("return document.querySelectorAll('table.pairs tbody tr').length;")
    hist = b.run("var s = document.querySelector('svg.histogram');"
                 "return {pairs: parseInt(s.dataset.pairs), bars: [].map.call(s.querySelectorAll('rect'),"
                 " function (r) { return parseInt(r.dataset.count); }),"
                 " threshold: s.querySelector('line.threshold') ? s.querySelector('line.threshold').getAttribute('x1') : null,"
                 " label: [].map.call(s.querySelectorAll('text'), function (t) { return t.textContent; }).join(' ')};")
    assert compared == 3 and reported == 1, (compared, reported)
    assert hist["pairs"] == compared and sum(hist["bars"]) == compared and len(hist["bars"]) == 20, hist
    assert hist["threshold"] is not None and "threshold" in hist["label"], hist
print(f"browser: {report}: files named in both panes, template and quotation greyed with a note, "
      f"histogram of all {compared} compared pairs with the threshold")
