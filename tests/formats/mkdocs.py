#!/usr/bin/env python3
"""Writes the documents the format tests read: .docx and .odt (zipfile), .html, .md,
.ipynb, and .pdf written by hand (one Helvetica text object per line), from plain text
whose paragraphs are separated by blank lines; and the damaged ones (zip bomb,
encrypted, corrupt, entity expansion, malformed XML, a scan-like PDF).

  mkdocs.py FORMAT OUT TEXTFILE     FORMAT: docx odt html md ipynb pdf txt
  mkdocs.py bad KIND OUT            KIND: see bad() below
  mkdocs.py -                       the commands above, one per line on stdin
  mkdocs.py features DIR            f.docx f.odt f.html f.ipynb f.md and each one's
                                    expected text (f.docx.expected, ...)
Standard library only.
"""
import json
import sys
import zipfile
import zlib
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def paragraphs(text):
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def docx_bytes_xml(body, footnotes=None):
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>')
    files = {"word/document.xml": doc}
    if footnotes is not None:
        files["word/footnotes.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            f'<w:footnote w:id="1"><w:p><w:r><w:t>{escape(footnotes)}</w:t></w:r></w:p></w:footnote>'
            '</w:footnotes>')
    return files


def write_docx(out, files):
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
          '</Types>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        for name, data in files.items():
            z.writestr(name, data)


def docx(out, text):
    """Each paragraph split into two runs (as Word does at formatting changes)."""
    body = ""
    for p in paragraphs(text):
        half = p.find(" ", len(p) // 2)
        a, b = (p, "") if half < 0 else (p[:half], p[half:])
        body += (f'<w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>{escape(a)}</w:t></w:r>'
                 f'<w:r><w:t xml:space="preserve">{escape(b)}</w:t></w:r></w:p>')
    write_docx(out, docx_bytes_xml(body))


def odt(out, text):
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs(text))
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    write_odt(out, content)


def write_odt(out, content, manifest_extra=""):
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}'
                '</manifest:file-entry></manifest:manifest>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)


# The same markup around every essay: what the boilerplate test relies on.
HTML_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Essay submission &ndash; ENG 101</title>
<style>body { font-family: Georgia, serif; max-width: 40em; margin: auto } p { line-height: 1.5 }</style>
<script>window.analytics = { track: function (event, properties) { return event + properties; } };</script>
</head>
<body>
<nav class="menu"><ul><li><a href="/home">Home</a></li><li><a href="/courses">Courses</a></li></ul></nav>
<article class="essay">
"""
HTML_TAIL = """</article>
<script>document.querySelectorAll("p").forEach(function (p) { p.className = "para"; });</script>
</body></html>
"""


def html(out, text):
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs(text))
    with open(out, "w", encoding="utf-8") as f:
        f.write(HTML_HEAD + body + HTML_TAIL)


def md(out, text):
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Essay\n\n" + "\n\n".join(paragraphs(text)) + "\n")


def txt(out, text):
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n\n".join(paragraphs(text)) + "\n")


def ipynb(out, text):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": [p + "\n"]} for p in paragraphs(text)]
    cells.insert(1, {"cell_type": "code", "execution_count": 1, "metadata": {},
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": ["OUTPUT_NOT_TEXT\n"]}],
                     "source": ["print('code cell kept')\n"]})
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, f, indent=1)


def wrap(p, width=88):
    lines, cur = [], ""
    for w in p.split():
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def pdf_escape(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1", "replace")


def pdf_file(pages, trailer_extra=b"", extra_objs=()):
    """pages: a list of content streams (bytes). Objects: 1 catalog, 2 pages, 3 font,
    then page/content pairs, then extra_objs."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for content in pages:
        page_no = len(objs) + 1
        kids.append(f"{page_no} 0 R".encode())
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                    f"/Contents {page_no + 1} 0 R >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)
    objs.extend(extra_objs)
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objs) + 1) + trailer_extra + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf_pages(text, per_page=54):
    lines = []
    for p in paragraphs(text):
        lines += wrap(p) + [""]
    pages = []
    for i in range(0, len(lines), per_page):
        s = b"BT /F1 10 Tf 12 TL 56 740 Td\n"
        for ln in lines[i:i + per_page]:
            s += b"(" + pdf_escape(ln) + b") Tj T*\n"
        pages.append(s + b"ET")
    return pages


def pdf(out, text):
    with open(out, "wb") as f:
        f.write(pdf_file(pdf_pages(text)))


def bad(kind, out):
    if kind == "bomb":  # document.xml inflating 16 MiB from ~16 KiB
        files = docx_bytes_xml("<w:p><w:r><w:t>bomb</w:t></w:r></w:p>" + " " * (16 << 20))
        write_docx(out, files)
    elif kind == "laughs":  # billion laughs in document.xml
        ents = '<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
        doc = (f'<?xml version="1.0"?><!DOCTYPE w:document [{ents}]>'
               f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
        write_docx(out, {"word/document.xml": doc})
    elif kind == "malformed":  # a closing tag missing
        doc = (f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>unclosed'
               f'</w:r></w:p></w:body></w:document>')
        write_docx(out, {"word/document.xml": doc})
    elif kind == "corrupt-zip":  # a docx cut in half
        write_docx(out, docx_bytes_xml("<w:p><w:r><w:t>" + "cut short " * 400 + "</w:t></w:r></w:p>"))
        data = open(out, "rb").read()
        open(out, "wb").write(data[: len(data) // 2])
    elif kind == "encrypted-zip":  # the traditional-encryption flag set on every entry
        write_docx(out, docx_bytes_xml("<w:p><w:r><w:t>secret</w:t></w:r></w:p>"))
        data = bytearray(open(out, "rb").read())
        for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            i = data.find(sig)
            while i >= 0:
                data[i + flag_at] |= 1
                i = data.find(sig, i + 4)
        open(out, "wb").write(bytes(data))
    elif kind == "encrypted-odt":
        content = ('<?xml version="1.0"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
        write_odt(out, content, '<manifest:encryption-data manifest:checksum-type="SHA1"/>')
    elif kind == "corrupt-pdf":
        open(out, "wb").write(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nthis is not a PDF any more\n")
    elif kind == "encrypted-pdf":  # a standard security handler whose user password is not empty
        enc = (b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>")
        pages = pdf_pages("secret text")
        n = 3 + 2 * len(pages) + 1
        with open(out, "wb") as f:
            f.write(pdf_file(pages, b"/Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> "
                             b"<00112233445566778899aabbccddeeff>] " % n, [enc]))
    elif kind == "scan-pdf":  # a page of drawing only, as a scanned image has no text
        with open(out, "wb") as f:
            f.write(pdf_file([b"0.5 g 56 56 500 680 re f"]))
    else:
        sys.exit(f"mkdocs.py: unknown bad kind {kind}")


def features(out):
    """One file per format exercising what extraction keeps and drops; the expected text
    of each is written beside it as NAME.expected."""
    def put(name, data, expected):
        open(f"{out}/{name}", "wb" if isinstance(data, bytes) else "w").write(data)
        open(f"{out}/{name}.expected", "w", encoding="utf-8").write(expected)

    body = ('<w:p><w:r><w:t>Title</w:t></w:r></w:p>'
            '<w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r><w:del w:id="1" w:author="T"><w:r>'
            '<w:delText>deleted </w:delText></w:r></w:del><w:ins w:id="2" w:author="T"><w:r><w:t>inserted </w:t>'
            '</w:r></w:ins><w:r><w:t>text</w:t><w:tab/><w:t>after tab</w:t><w:br/><w:t>after break</w:t>'
            '<w:commentReference w:id="0"/></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            '<w:r><w:t>&amp; caf\u00e9</w:t></w:r></w:p>'
            '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell one</w:t></w:r></w:p></w:tc>'
            '<w:tc><w:p><w:r><w:t>cell two</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    files = docx_bytes_xml(body, footnotes="A footnote.")
    files["word/comments.xml"] = (f'<w:comments xmlns:w="{W}"><w:comment w:id="0"><w:p><w:r><w:t>COMMENT'
                                  '</w:t></w:r></w:p></w:comment></w:comments>')
    write_docx(f"{out}/f.docx", files)
    open(f"{out}/f.docx.expected", "w", encoding="utf-8").write(
        "Title\n\nKept inserted text\tafter tab\nafter break& caf\u00e9\n\ncell one\n\ncell two\n\n"
        "A footnote.\n\n")

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:text>'
               '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>DELETED</text:p>'
               '</text:deletion></text:changed-region></text:tracked-changes>'
               '<text:h text:outline-level="1">Heading</text:h>'
               '<text:p>One<text:s text:c="3"/>two<text:tab/>three<text:line-break/>four'
               '<text:change text:change-id="c1"/><office:annotation><dc:creator>T</dc:creator>'
               '<text:p>COMMENT</text:p></office:annotation>'
               '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
               '<text:note-body><text:p>The note.</text:p></text:note-body></text:note> end.</text:p>'
               '<text:list><text:list-item><text:p>item <text:span>one</text:span></text:p></text:list-item></text:list>'
               '</office:text></office:body></office:document-content>')
    write_odt(f"{out}/f.odt", content)
    open(f"{out}/f.odt.expected", "w", encoding="utf-8").write(
        "Heading\n\nOne   two\tthree\nfour end.\n\nitem one\n\nThe note.\n\n")

    html_doc = ('<!DOCTYPE html>\r\n<html><head><title>TITLE</title><style>p{color:red}</style></head>\r\n'
                '<body><h1>Head&shy;ing</h1><!-- COMMENT --><p>Fish &amp; chips &eacute;t\u00e9 &#8212; '
                'done</p><script>var SCRIPT = 1;</script><div>x<br>y</div></body></html>\r\n')
    put("f.html", html_doc.encode("utf-8"),
        "Head\u00ading\n\nFish & chips \u00e9t\u00e9 \u2014 done\n\nx\ny\n\n")

    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Notes\n", "Some text."]},
                    {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "x = 1",
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": "OUTPUT"}]},
                    {"cell_type": "raw", "metadata": {}, "source": "RAW"}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    put("f.ipynb", json.dumps(nb), "# Notes\nSome text.\n\nx = 1")
    md_doc = "Intro text.\n\n```python\ncode()\n```\n\n~~~~\nmore ``` code\n~~~~\nOutro.\n"
    put("f.md", md_doc, "Intro text.\n\n         \n      \n   \n\n    \n             \n    \nOutro.\n")


WRITERS = {"docx": docx, "odt": odt, "html": html, "md": md, "ipynb": ipynb, "pdf": pdf, "txt": txt}

def run(args):
    if len(args) == 2 and args[0] == "features":
        features(args[1])
    elif len(args) == 3 and args[0] == "bad":
        bad(args[1], args[2])
    elif len(args) == 3 and args[0] in WRITERS:
        WRITERS[args[0]](args[1], open(args[2], encoding="utf-8").read())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    if sys.argv[1:] == ["-"]:  # one command per line on stdin (one interpreter start)
        for line in sys.stdin:
            if line.split():
                run(line.split())
    else:
        run(sys.argv[1:])
