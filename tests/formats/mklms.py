#!/usr/bin/env python3
"""Writes one class as a Moodle, a Canvas and a Blackboard export (zips named as each
system names its files; invented student names), and the same class as plain .txt
files, from the demo corpus's essays. Each student hands in one format (docx, odt,
pdf, html, md, ipynb, txt); two students also have an earlier attempt that must not
count by default (it copies another student's essay), and Blackboard adds a receipt
per attempt.

  mklms.py DEMO_SUBMISSIONS OUTDIR
writes OUTDIR/txt/<sid>.txt, OUTDIR/moodle.zip, canvas.zip, blackboard.zip and
OUTDIR/students.tsv (sid, name shown per system: moodle, canvas, blackboard).
"""
import io
import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkdocs  # noqa: E402

# demo student, invented name, username, format
CLASS = [("s39", "Ada Lovelace", "alovelace", "docx"), ("s29", "Brook Taylor", "btaylor", "pdf"),
         ("s12", "Carl Gauss", "cgauss", "odt"), ("s03", "Dora Maar", "dmaar", "html"),
         ("s31", "Emil Post", "epost", "md"), ("s25", "Fay Weldon", "fweldon", "txt"),
         ("s30", "Gus Grissom", "ggrissom", "docx"), ("s01", "Hal Clement", "hclement", "pdf"),
         ("s02", "Ida Noddack", "inoddack", "ipynb")]
# an earlier attempt: (student, text) -- Hal's copies Ida's essay, and half his own
EARLY = {"s01": ["s02", "s01"]}


def doc_bytes(fmt, text):
    tmp = io.BytesIO()
    path = f"/tmp/mklms-{os.getpid()}.{fmt}"
    mkdocs.WRITERS[fmt](path, text)
    with open(path, "rb") as f:
        data = f.read()
    os.unlink(path)
    tmp.write(data)
    return data


def main():
    demo, out = sys.argv[1], sys.argv[2]
    os.makedirs(f"{out}/txt", exist_ok=True)
    essays = {sid: open(f"{demo}/{sid}/essay.txt", encoding="utf-8").read() for sid, _, _, _ in CLASS}
    for sid, text in essays.items():
        mkdocs.txt(f"{out}/txt/{sid}.txt", text)
    files = {sid: (f"essay.{fmt}", doc_bytes(fmt, essays[sid])) for sid, _, _, fmt in CLASS}
    early = {}
    for sid, (other, own) in EARLY.items():
        fmt = dict((s, f) for s, _, _, f in CLASS)[sid]
        half = "\n\n".join(essays[own].split("\n\n")[:2])
        early[sid] = (f"essay.{fmt}", doc_bytes(fmt, essays[other] + "\n\n" + half))

    with zipfile.ZipFile(f"{out}/moodle.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for i, (sid, name, user, fmt) in enumerate(CLASS):
            fname, data = files[sid]
            z.writestr(f"{name}_{4100 + i}_assignsubmission_file_/{fname}", data)

    with zipfile.ZipFile(f"{out}/canvas.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for i, (sid, name, user, fmt) in enumerate(CLASS):
            first, last = name.lower().split()
            late = "_LATE" if sid == "s31" else ""
            fname, data = files[sid]
            if sid in early:  # the first upload, then the resubmission numbered -1
                efname, edata = early[sid]
                z.writestr(f"{last}{first}{late}_{900 + i}_{70000 + i}_{efname}", edata)
                stem, ext = os.path.splitext(fname)
                fname = f"{stem}-1{ext}"
            z.writestr(f"{last}{first}{late}_{900 + i}_{71000 + i}_{fname}", data)

    with zipfile.ZipFile(f"{out}/blackboard.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for i, (sid, name, user, fmt) in enumerate(CLASS):
            attempts = [("2026-11-20-09-15-0%d" % (i % 10), files[sid])]
            if sid in early:
                attempts.insert(0, ("2026-11-18-22-40-00", early[sid]))
            for stamp, (fname, data) in attempts:
                base = f"Essay 2_{user}_attempt_{stamp}"
                z.writestr(f"{base}.txt", f"Name: {name} ({user})\nAssignment: Essay 2\nDate Submitted: {stamp}\n"
                                          f"Current Grade: Needs Grading\n\nSubmission Field:\nThere is no student "
                                          f"submission text data for this assignment.\n\nComments:\nThere are no "
                                          f"student comments for this assignment.\n\nFiles:\n\tOriginal filename: "
                                          f"{fname}\n\tFilename: {base}_{fname}\n")
                z.writestr(f"{base}_{fname}", data)

    with open(f"{out}/students.tsv", "w") as f:
        for sid, name, user, fmt in CLASS:
            first, last = name.lower().split()
            f.write(f"{sid}\t{name}\t{last}{first}\t{name} ({user})\n")


if __name__ == "__main__":
    main()
