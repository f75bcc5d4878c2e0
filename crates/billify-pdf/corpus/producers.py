#!/usr/bin/env python3
"""Prints generate.py's invoices through the PDF writers real invoicing software uses.

The other generators print through Chromium (Skia), LibreOffice, ReportLab and pdfLaTeX. Real
invoicing tools use other writers, which put text on the page very differently:

* ``fpdf_ttf``: fpdf2 with DejaVu embedded as a TrueType subset (Identity-H CID font with a
  ToUnicode CMap), drawn cell by cell, like FPDF/TCPDF behind Dolibarr, InvoicePlane and many
  WooCommerce plugins;
* ``fpdf_core``: fpdf2 with the core fonts (Helvetica, Times, Courier; WinAnsi, no font file);
* ``weasyprint``: HTML to PDF by WeasyPrint, as many Python/Django invoicing apps do (its own
  layout engine, HarfBuzz shaping, subset fonts with ligatures);
* ``xhtml2pdf``: HTML with tables to PDF by xhtml2pdf (ReportLab underneath, its own HTML
  layout), as Odoo-era and Django apps do;
* ``jspdf``: jsPDF in node, core fonts or DejaVu embedded (Identity-H, hex strings); a third of
  the pages place every glyph on its own (one ``Td``/``Tj`` per character), a third every word
  on its own (spaces made by positioning), as JavaScript front ends that lay text out
  themselves do;
* ``pdfmake``: pdfmake in node (pdfkit underneath: TJ arrays with kerning, subset fonts with
  their own encoding), its tables and columns, as Invoice Ninja-style front ends do;
* ``nocmap``: fpdf2 or WeasyPrint pages with every ``/ToUnicode`` CMap dropped, as older
  writers and print drivers leave them out;
* ``fpdi``: fpdf2 pages imported as form XObjects over a letterhead band, as FPDI-style tools
  do to stamp or append to an invoice;
* ``turned``: fpdf2 or WeasyPrint pages stored landscape and turned back by ``/Rotate 90``;
* ``typst``: the page as Typst markup (grids, tables), compiled by Typst's own PDF writer.

Each invoice is ``generate.make_invoice``'s model (families, languages, parties, amounts,
labels, ground truth) from its own seed; ``manifest.json`` has generate.py's format, and even
instances are the tuning half, odd ones held out.

Usage: ``python3 producers.py OUT [--count N] [--producers a,b] [--node-modules DIR]``
(``--count`` is per producer, default 16: two per family). Needs ``pip install fpdf2 weasyprint
xhtml2pdf pypdf typst`` and, for ``jspdf`` and ``pdfmake``, ``npm install jspdf pdfmake`` in a scratch
folder named by ``--node-modules`` (default ``/tmp/node-pdf6/node_modules``) and node 18+.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as g  # noqa: E402

FAMILIES = g.FAMILIES
PRODUCERS = ["fpdf_ttf", "fpdf_core", "weasyprint", "xhtml2pdf", "jspdf", "pdfmake", "nocmap", "fpdi", "turned", "typst"]
DEJAVU = "/usr/share/fonts/truetype/dejavu/"


def latin(s):
    """Core fonts speak WinAnsi: keep text to it."""
    return s.replace("\u202f", " ").replace("₹", "Rs.").replace("\u2011", "-")


# ---------------------------------------------------------------------------------------------
# Drawing operations (points from the top left), shared by fpdf2 and jsPDF.


def ops_of(page, rng, w, h):
    """The page as a list of text and rule operations: (kind, x, y, text, bold, size, align)."""
    ops = []
    fs = rng.choice([8.5, 9, 9.5, 10])
    lh = fs * 1.4
    m = rng.choice([36, 42, 50])

    def t(x, y, s, bold=False, size=None, align="left"):
        ops.append(["text", round(x, 2), round(y, 2), s, bold, size or fs, align])

    def rule(x1, y1, x2):
        ops.append(["rule", round(x1, 2), round(y1, 2), round(x2, 2), False, 0, ""])

    y = m + 12
    if page["seller_place"] in ("left", "right"):
        x = m if page["seller_place"] == "left" else w - m - 190
        for i, s in enumerate(page["seller_lines"]):
            t(x, y + i * lh, s, i == 0, fs + 2 if i == 0 else fs)
        top = y
        y += max(len(page["seller_lines"]) * lh, 30) + 16
        if len(page["title"]) > 20:
            t(m, y, page["title"], True, 13)
            y += 26
        elif page["seller_place"] == "left":
            t(w - m, top + 4, page["title"], True, 16, "right")
        else:
            t(m, top + 4, page["title"], True, 16)
    else:
        t(m, y + 6, page["brand"] or "", True, 20)
        t(w - m, y + 6, page["title"], True, 16, "right")
        y += 44
    by = y
    if page.get("sender_line"):
        t(m, by, page["sender_line"], False, 6.5)
        by += lh
    if page["buyer_label"]:
        t(m, by, page["buyer_label"], True)
        by += lh
    for s in page["buyer_lines"]:
        t(m, by, s)
        by += lh
    if page.get("ship_to"):
        sy = y
        t(m + 165, sy, "Ship To", True)
        for s in page["ship_to"]:
            sy += lh
            t(m + 165, sy, s)
    if page["meta_style"] == "columns":
        my = by + lh
        n = len(page["meta"])
        colw = (w - 2 * m) / max(n, 1)
        for i, (k, v) in enumerate(page["meta"]):
            t(m + i * colw, my, k, True, fs - 1)
            t(m + i * colw, my + lh, v)
        y = my + 2 * lh + 12
    else:
        my = y
        lx = w - m - (200 if page.get("ship_to") else 230)
        for k, v in page["meta"]:
            t(lx, my, k + ":")
            t(lx + (100 if page.get("ship_to") else 115), my, v)
            my += lh
        y = max(by, my) + 14
    # The first column left-aligned, the others right-aligned 85 pt apart (wide enough for
    # "Taxable Value" in DejaVu Sans Bold).
    ncols = len(page["lines_header"])
    xs = [m] + [w - m - 85 * (ncols - 1 - i) for i in range(1, ncols)]
    for i, hd in enumerate(page["lines_header"]):
        t(xs[i], y, hd, True, None, "right" if i > 0 else "left")
    rule(m, y + 4, w - m)
    y += lh + 2
    pages = [ops]
    for r in page["lines"]:
        if y > h - 120:
            ops = []
            pages.append(ops)
            y = m + 12
        for i, cell in enumerate(r):
            t(xs[i], y, cell, False, None, "right" if i > 0 else "left")
        y += lh
    y += 8
    for k, v in page["totals"]:
        if y > h - 80:
            ops = []
            pages.append(ops)
            y = m + 12
        t(w - m - 120, y, k, False, None, "right")
        t(w - m, y, v, False, None, "right")
        y += lh
    if page.get("breakdown_table"):
        y += 6
        for r in page["breakdown_table"]:
            for i, cell in enumerate(r):
                t(m + i * 90, y, cell)
            y += lh
    y += 10
    for n in page["notes"]:
        t(m, y, n)
        y += lh
    for f in page["footer"]:
        t(w / 2, h - 30, f, False, 6.5, "center")
    return pages


def page_size(page):
    return (612.0, 792.0) if page["family"] == "us" else (595.28, 841.89)


# ---------------------------------------------------------------------------------------------
# fpdf2.


def render_fpdf(page, out, rng, ttf):
    from fpdf import FPDF

    w, h = page_size(page)
    pdf = FPDF(unit="pt", format=(w, h))
    pdf.set_auto_page_break(False)
    pdf.set_compression(True)
    if ttf:
        fam = rng.choice(["DejaVuSans", "DejaVuSerif", "DejaVuSansCondensed"])
        pdf.add_font("F", "", DEJAVU + fam + ".ttf")
        pdf.add_font("F", "B", DEJAVU + fam + "-Bold.ttf")
        name = "F"
    else:
        name = rng.choice(["Helvetica", "Times", "Courier"])
    cell_mode = rng.random() < 0.5
    # TCPDF-style text scaling (Tz) and tracked bold labels (Tc) on some pages.
    stretch = rng.choice([100, 100, 96, 90])
    tracking = rng.choice([0, 0, 0.6])
    mark = rng.random() < 0.3 and {"nl": "KOPIE", "fr": "DUPLICATA", "de": "KOPIE", "en": "COPY"}[page["lang"]]
    for ops in ops_of(page, rng, w, h):
        pdf.add_page()
        if mark:
            # A diagonal watermark behind the page, as invoicing tools print on copies.
            pdf.set_font(name, "B", 72)
            pdf.set_text_color(225, 225, 225)
            with pdf.rotation(35, w / 2, h / 2):
                pdf.text(w / 2 - pdf.get_string_width(mark) / 2, h / 2, mark)
            pdf.set_text_color(0, 0, 0)
        pdf.set_stretching(stretch)
        for kind, x, y, s, bold, size, align in ops:
            if kind == "rule":
                pdf.line(x, y, s, y)
                continue
            if not ttf:
                # fpdf2's core fonts take Latin-1 only (PHP's FPDF users write EUR the same way).
                s = latin(s).replace("€", "EUR").replace("•", "·").encode("latin-1", "replace").decode("latin-1")
            pdf.set_font(name, "B" if bold else "", size)
            pdf.set_char_spacing(tracking if bold else 0)
            sw = pdf.get_string_width(s)
            left = x - sw if align == "right" else x - sw / 2 if align == "center" else x
            if cell_mode:
                # Cells (FPDF's Cell()/MultiCell() idiom): text placed in a box with padding.
                pdf.set_xy(left - pdf.c_margin, y - size * 0.8)
                pdf.cell(sw + 2 * pdf.c_margin, size, s)
            else:
                pdf.text(left, y, s)
    pdf.output(out)


# ---------------------------------------------------------------------------------------------
# HTML producers.


def render_weasyprint(page, out, rng):
    from weasyprint import HTML

    HTML(string=g.to_html(page, rng)).write_pdf(out)


XCSS = """
@page { size: %(size)s; margin: 1.4cm; @frame footer { -pdf-frame-content: footer; bottom: 0.6cm; margin-left: 1.4cm; margin-right: 1.4cm; height: 1cm; } }
body { font-family: %(font)s; font-size: %(fs)spt; }
h1 { font-size: 17pt; margin: 0; }
td, th { vertical-align: top; padding: 2px; }
th { text-align: left; border-bottom: 1px solid #999; }
.n { text-align: right; }
.b { font-weight: bold; }
.small { font-size: 7pt; }
#footer { text-align: center; font-size: 7pt; color: #555; }
"""


def xhtml(page, rng):
    e = g.esc
    css = XCSS % dict(size="letter" if page["family"] == "us" else "a4", font=rng.choice(["Helvetica", "Times", "DejaVu"]),
                      fs=rng.choice(["9", "9.5", "10"]))
    if css.count("DejaVu"):
        css = ("@font-face { font-family: DejaVu; src: url(%sDejaVuSans.ttf); }\n"
               "@font-face { font-family: DejaVu; src: url(%sDejaVuSans-Bold.ttf); font-weight: bold; }\n" % (DEJAVU, DEJAVU)) + css
    seller = "<br/>".join((f"<b>{e(x)}</b>" if i == 0 else e(x)) for i, x in enumerate(page["seller_lines"]))
    title = f"<h1>{e(page['title'])}</h1>"
    if page["seller_place"] == "left":
        head = f"<table><tr><td>{seller}</td><td class='n'>{title}</td></tr></table>"
    elif page["seller_place"] == "right":
        head = f"<table><tr><td>{title}</td><td>{seller}</td></tr></table>"
    else:
        head = f"<table><tr><td><span style='font-size:18pt' class='b'>{e(page['brand'] or '')}</span></td><td class='n'>{title}</td></tr></table>"
    buyer = ""
    if page.get("sender_line"):
        buyer += f"<span class='small'><u>{e(page['sender_line'])}</u></span><br/>"
    if page["buyer_label"]:
        buyer += f"<b>{e(page['buyer_label'])}</b><br/>"
    buyer += "<br/>".join(e(x) for x in page["buyer_lines"])
    if page.get("ship_to"):
        buyer = f"<table><tr><td>{buyer}</td><td><b>Ship To</b><br/>" + "<br/>".join(e(x) for x in page["ship_to"]) + "</td></tr></table>"
    if page["meta_style"] == "columns":
        meta = "<table><tr>" + "".join(f"<th>{e(k)}</th>" for k, _ in page["meta"]) + "</tr><tr>" + "".join(
            f"<td>{e(v)}</td>" for _, v in page["meta"]) + "</tr></table>"
        top = f"<div>{buyer}</div><br/>{meta}"
    else:
        meta = "<table>" + "".join(f"<tr><td>{e(k)}:</td><td>{e(v)}</td></tr>" for k, v in page["meta"]) + "</table>"
        top = f"<table><tr><td width='55%'>{buyer}</td><td>{meta}</td></tr></table>"
    hdr = page["lines_header"]
    lines = "<table repeat='1'><tr>" + "".join(f"<th class='{'n' if i else ''}'>{e(x)}</th>" for i, x in enumerate(hdr)) + "</tr>" + "".join(
        "<tr>" + "".join(f"<td class='{'n' if i else ''}'>{e(c)}</td>" for i, c in enumerate(r)) + "</tr>" for r in page["lines"]) + "</table>"
    totals = "<table><tr><td width='50%'></td><td><table>" + "".join(
        f"<tr><td>{e(k)}</td><td class='n'>{e(v)}</td></tr>" for k, v in page["totals"]) + "</table></td></tr></table>"
    bd = ""
    if page.get("breakdown_table"):
        t = page["breakdown_table"]
        bd = "<table>" + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in t) + "</table>"
    notes = "".join(f"<p>{e(n)}</p>" for n in page["notes"])
    footer = "<div id='footer'>" + "<br/>".join(e(f) for f in page["footer"]) + "</div>"
    doc = f"<html><head><meta charset='utf-8'/><style>{css}</style></head><body>{footer}{head}<br/>{top}<br/>{lines}{totals}{bd}{notes}</body></html>"
    # The standard fonts have no rupee sign: xhtml2pdf would drop it (templates write "Rs.").
    return doc if "DejaVu" in css else latin(doc)


def render_xhtml2pdf(page, out, rng):
    from xhtml2pdf import pisa

    with open(out, "wb") as f:
        res = pisa.CreatePDF(xhtml(page, rng), dest=f, encoding="utf-8")
    if res.err:
        raise RuntimeError(f"xhtml2pdf failed on {out}")


# ---------------------------------------------------------------------------------------------
# Typst (its own PDF writer: shaped text as TJ arrays with per-glyph adjustments).


def tq(x):
    """A Typst string literal shown as text: `#"…"`."""
    return '#"' + str(x).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_typst(page, out, rng, tmp):
    import typst

    stack = lambda xs, first_bold=False: "[" + " \\\n".join(  # noqa: E731
        (f"*{tq(x)}*" if first_bold and i == 0 else tq(x)) for i, x in enumerate(xs)) + "]"
    paper = "us-letter" if page["family"] == "us" else "a4"
    font = rng.choice(["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Serif"])
    footer = " ".join(page["footer"])
    src = [f'#set page(paper: "{paper}", margin: (x: 1.6cm, top: 1.5cm, bottom: 2cm), '
           f'footer: align(center, text(size: 6.5pt)[{tq(footer)}]))',
           f'#set text(font: "{font}", size: {rng.choice(["9pt", "9.5pt", "10pt"])})']
    title = f"text(size: 16pt, weight: \"bold\")[{tq(page['title'])}]"
    seller = stack(page["seller_lines"], True)
    if page["seller_place"] == "left":
        src.append(f"#grid(columns: (1fr, 1fr), {seller}, align(right, {title}))")
    elif page["seller_place"] == "right":
        src.append(f"#grid(columns: (1fr, 1fr), {title}, {seller})")
    else:
        src.append(f"#grid(columns: (1fr, 1fr), text(size: 20pt, weight: \"bold\")[{tq(page['brand'] or '')}], align(right, {title}))")
    src.append("#v(12pt)")
    buyer = []
    if page.get("sender_line"):
        buyer.append(f"#text(size: 6.5pt)[#underline[{tq(page['sender_line'])}]]")
    if page["buyer_label"]:
        buyer.append(f"*{tq(page['buyer_label'])}*")
    buyer += [tq(x) for x in page["buyer_lines"]]
    buyer_block = "[" + " \\\n".join(buyer) + "]"
    if page.get("ship_to"):
        buyer_block = f"grid(columns: (1fr, 1fr), {buyer_block}, {stack(['Ship To'] + page['ship_to'], True)})"
    if page["meta_style"] == "columns":
        n = len(page["meta"])
        cells = ", ".join(f"text(size: 8pt, weight: \"bold\")[{tq(k)}]" for k, _ in page["meta"])
        vals = ", ".join(f"[{tq(v)}]" for _, v in page["meta"])
        src.append(f"#{buyer_block}" if buyer_block.startswith("grid") else f"#block{buyer_block}")
        src.append(f"#v(10pt)\n#table(columns: {n}, stroke: none, inset: (x: 0pt, right: 14pt, y: 2pt), {cells}, {vals})")
    else:
        meta = ", ".join(f"[{tq(k + ':')}], [{tq(v)}]" for k, v in page["meta"])
        src.append(f"#grid(columns: (1fr, auto), {buyer_block}, table(columns: 2, stroke: none, inset: (x: 0pt, right: 10pt, y: 2pt), {meta}))")
    hdr = page["lines_header"]
    n = len(hdr)
    aligns = "(" + ", ".join(["left"] + ["right"] * (n - 1)) + ")"
    head = ", ".join(f"[*{tq(x)}*]" for x in hdr)
    rows = ", ".join(f"[{tq(c)}]" for r in page["lines"] for c in r)
    stroke = rng.choice(["none", "(bottom: 0.4pt + gray)"])
    src.append(f"#v(14pt)\n#table(columns: (1fr,{' auto,' * (n - 1)}), align: {aligns}, stroke: {stroke}, "
               f"table.header({head}), {rows})")
    tot = ", ".join(f"[{tq(k)}], [{tq(v)}]" for k, v in page["totals"])
    src.append(f"#align(right, table(columns: 2, stroke: none, align: (left, right), {tot}))")
    if page.get("breakdown_table"):
        t = page["breakdown_table"]
        src.append(f"#table(columns: {len(t[0])}, stroke: none, " + ", ".join(f"[{tq(c)}]" for r in t for c in r) + ")")
    for note in page["notes"]:
        src.append(f"#par[{tq(note)}]")
    path = os.path.join(tmp, "page.typ")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(src) + "\n")
    typst.compile(path, output=out)


# ---------------------------------------------------------------------------------------------
# Node writers: one node process renders every job of a run.

NODE = r"""
const fs = require('fs');
const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { jsPDF } = require('jspdf');
const pdfmake = require('pdfmake');
const D = '/usr/share/fonts/truetype/dejavu/';
pdfmake.setFonts({
  DejaVu: { normal: D + 'DejaVuSans.ttf', bold: D + 'DejaVuSans-Bold.ttf', italics: D + 'DejaVuSans-Oblique.ttf', bolditalics: D + 'DejaVuSans-BoldOblique.ttf' },
  Serif: { normal: D + 'DejaVuSerif.ttf', bold: D + 'DejaVuSerif-Bold.ttf', italics: D + 'DejaVuSerif-Italic.ttf', bolditalics: D + 'DejaVuSerif-BoldItalic.ttf' },
});
pdfmake.setLocalAccessPolicy(() => true);

function jspdfJob(j) {
  const doc = new jsPDF({ unit: 'pt', format: [j.w, j.h], compress: true });
  let name = j.font;
  if (j.ttf) {
    for (const [style, file] of [['normal', 'DejaVuSans.ttf'], ['bold', 'DejaVuSans-Bold.ttf']]) {
      doc.addFileToVFS(file, fs.readFileSync(D + file).toString('base64'));
      doc.addFont(file, 'DejaVu', style);
    }
    name = 'DejaVu';
  }
  j.pages.forEach((ops, p) => {
    if (p > 0) doc.addPage();
    for (const [kind, x, y, s, bold, size, align] of ops) {
      if (kind === 'rule') { doc.line(x, y, s, y); continue; }
      doc.setFont(name, bold ? 'bold' : 'normal');
      doc.setFontSize(size);
      // jsPDF measures with kerning but draws without: measure what is drawn, glyph by glyph.
      const W = (t) => [...t].reduce((a, c) => a + doc.getTextWidth(c), 0);
      const sw = W(s);
      let left = align === 'right' ? x - sw : align === 'center' ? x - sw / 2 : x;
      if (j.mode === 'glyph') {
        // Every glyph on its own, advanced by its own width (text laid out by the front end).
        for (const ch of s) { if (ch !== ' ') doc.text(ch, left, y); left += W(ch); }
      } else if (j.mode === 'word') {
        // Every word on its own: the spaces are made by positioning, not by space glyphs.
        const sp = W(' ');
        for (const word of s.split(' ')) { if (word) doc.text(word, left, y); left += W(word) + sp; }
      } else if (j.mode === 'spaced') {
        // Letter-spaced text (Tc), as templates with tracked headings and labels set it.
        const cs = bold ? 0.5 : 0.25;
        const wide = sw + cs * (s.length - 1);
        left = align === 'right' ? x - wide : align === 'center' ? x - wide / 2 : x;
        doc.text(s, left, y, { charSpace: cs });
      } else {
        doc.text(s, left, y);
      }
    }
  });
  fs.writeFileSync(j.out, Buffer.from(doc.output('arraybuffer')));
}

(async () => {
  for (const j of jobs) {
    if (j.kind === 'jspdf') jspdfJob(j);
    else await pdfmake.createPdf(j.doc).write(j.out);
  }
})().catch((e) => { console.error(e); process.exit(1); });
"""


def jspdf_job(page, out, rng):
    w, h = page_size(page)
    ttf = rng.random() < 0.4
    mode = rng.choice(["glyph", "word", "spaced", "line"])
    pages = ops_of(page, rng, w, h)
    if not ttf:
        pages = [[[k, x, y, latin(s) if k == "text" else s, b, z, a] for k, x, y, s, b, z, a in ops] for ops in pages]
    return dict(kind="jspdf", out=out, w=w, h=h, ttf=ttf, font=rng.choice(["helvetica", "times", "courier"]), mode=mode, pages=pages)


def pdfmake_job(page, out, rng):
    size = "LETTER" if page["family"] == "us" else "A4"
    seller = [{"text": x, "bold": i == 0, "fontSize": 11 if i == 0 else None} for i, x in enumerate(page["seller_lines"])]
    title = {"text": page["title"], "fontSize": 16, "bold": True}
    if page["seller_place"] == "left":
        head = {"columns": [{"stack": seller}, {"stack": [title], "alignment": "right"}]}
    elif page["seller_place"] == "right":
        head = {"columns": [{"stack": [title]}, {"stack": seller, "width": 200}]}
    else:
        head = {"columns": [{"text": page["brand"] or "", "fontSize": 20, "bold": True}, {"stack": [title], "alignment": "right"}]}
    buyer = []
    if page.get("sender_line"):
        buyer.append({"text": page["sender_line"], "fontSize": 6.5, "decoration": "underline"})
    if page["buyer_label"]:
        buyer.append({"text": page["buyer_label"], "bold": True})
    buyer += page["buyer_lines"]
    if page.get("ship_to"):
        buyer = [{"columns": [{"stack": buyer}, {"stack": [{"text": "Ship To", "bold": True}] + page["ship_to"]}]}]
    if page["meta_style"] == "columns":
        meta = {"table": {"body": [[{"text": k, "bold": True, "fontSize": 8} for k, _ in page["meta"]], [v for _, v in page["meta"]]]},
                "layout": "noBorders", "margin": [0, 12, 0, 0]}
        top = [{"stack": buyer, "margin": [0, 14, 0, 0]}, meta]
    else:
        meta = {"table": {"body": [[k + ":", v] for k, v in page["meta"]]}, "layout": "noBorders"}
        top = [{"columns": [{"stack": buyer}, meta], "margin": [0, 14, 0, 0]}]
    hdr = page["lines_header"]
    body = [[{"text": x, "bold": True, "alignment": "right" if i else "left"} for i, x in enumerate(hdr)]]
    body += [[{"text": c, "alignment": "right" if i else "left"} for i, c in enumerate(r)] for r in page["lines"]]
    lines = {"table": {"headerRows": 1, "widths": ["*"] + ["auto"] * (len(hdr) - 1), "body": body},
             "layout": rng.choice(["lightHorizontalLines", "headerLineOnly", "noBorders"]), "margin": [0, 16, 0, 8]}
    totals = {"columns": [{"text": "", "width": "*"}, {"width": "auto", "table": {"body": [[k, {"text": v, "alignment": "right"}] for k, v in page["totals"]]},
                                                       "layout": "noBorders"}]}
    content = [head] + top + [lines, totals]
    if page.get("breakdown_table"):
        content.append({"table": {"body": page["breakdown_table"]}, "margin": [0, 8, 0, 0]})
    content += [{"text": n, "margin": [0, 6, 0, 0]} for n in page["notes"]]
    doc = {"pageSize": size, "pageMargins": [40, 40, 40, 50], "content": content,
           "defaultStyle": {"font": rng.choice(["DejaVu", "Serif"]), "fontSize": rng.choice([8.5, 9, 10])}}
    if page["footer"]:
        doc["footer"] = {"text": " ".join(page["footer"]), "alignment": "center", "fontSize": 6.5}
    return dict(kind="pdfmake", out=out, doc=doc)


# ---------------------------------------------------------------------------------------------
# Rewritten PDFs: what print drivers, PDF tools and older writers do to a page.


def strip_to_unicode(src, out):
    """Drops every font's /ToUnicode CMap, as older writers and some print drivers leave it out:
    Identity-H codes are then glyph ids, and only the embedded font's own cmap tells what they
    are."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    w = PdfWriter(clone_from=PdfReader(src))
    for page in w.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for ref in (fonts.get_object().values() if fonts else []):
            font = ref.get_object()
            if NameObject("/ToUnicode") in font:
                del font[NameObject("/ToUnicode")]
    w.compress_identical_objects()
    with open(out, "wb") as f:
        w.write(f)


def into_forms(src, out, rng):
    """Moves each page's content into a form XObject drawn on a new page over a letterhead band,
    as FPDI (PHP) and similar tools do when they import an invoice to stamp or append to it."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

    w = PdfWriter(clone_from=PdfReader(src))
    for page in w.pages:
        box = [FloatObject(float(v)) for v in page.mediabox]
        form = DecodedStreamObject()
        form.set_data(page.get_contents().get_data())
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(box),
            NameObject("/Resources"): page["/Resources"],
        })
        ref = w._add_object(form)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject({NameObject("/TPL1"): ref})})
        shade = rng.choice(["0.93 0.95 0.98", "0.9 0.9 0.9", "1 0.96 0.9"])
        band = f"q {shade} rg 0 {float(box[3]) - 12:.2f} {float(box[2]):.2f} 12 re f Q\n"
        content = DecodedStreamObject()
        content.set_data((band + "q 1 0 0 1 0 0 cm /TPL1 Do Q\n").encode())
        page[NameObject("/Contents")] = w._add_object(content)
    with open(out, "wb") as f:
        w.write(f)


def turned(src, out):
    """Stores each portrait page as a landscape page turned back by /Rotate 90, as printing to
    a driver set to landscape does: the text runs up the page, the viewer shows it upright."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    w = PdfWriter(clone_from=PdfReader(src))
    for page in w.pages:
        pw, ph = float(page.mediabox.width), float(page.mediabox.height)
        # Page point (x, y) goes to (ph - y, x) on a ph x pw page, which /Rotate 90 turns upright.
        page.add_transformation(Transformation((0, 1, -1, 0, ph, 0)))
        page.mediabox = RectangleObject([0, 0, ph, pw])
        page.cropbox = RectangleObject([0, 0, ph, pw])
        page.rotation = 90
    with open(out, "wb") as f:
        w.write(f)


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=16, help="invoices per producer (spread over the families)")
    ap.add_argument("--producers", default=",".join(PRODUCERS))
    ap.add_argument("--seed", type=int, default=60)
    ap.add_argument("--node-modules", default="/tmp/node-pdf6/node_modules")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest, node_jobs = [], []
    tmp = tempfile.mkdtemp(prefix="billify-producers-")
    try:
        for producer in args.producers.split(","):
            os.makedirs(os.path.join(args.out, producer), exist_ok=True)
            for k in range(args.count):
                # Each family once in each half (with 16 per producer).
                family = FAMILIES[(k // 2 + k % 2 * 3) % len(FAMILIES)]
                rng = random.Random(hashlib.sha256(f"{args.seed}-{producer}-{k}".encode()).hexdigest())
                page, truth, own = g.make_invoice(rng, family, k)
                doc_id = f"{family}-{k:02d}"
                out = os.path.join(args.out, producer, doc_id + ".pdf")
                if producer in ("fpdf_ttf", "fpdf_core"):
                    render_fpdf(page, out, rng, producer == "fpdf_ttf")
                elif producer == "weasyprint":
                    render_weasyprint(page, out, rng)
                elif producer == "xhtml2pdf":
                    render_xhtml2pdf(page, out, rng)
                elif producer == "typst":
                    render_typst(page, out, rng, tmp)
                elif producer == "jspdf":
                    node_jobs.append(jspdf_job(page, out, rng))
                elif producer == "pdfmake":
                    node_jobs.append(pdfmake_job(page, out, rng))
                elif producer in ("nocmap", "fpdi", "turned"):
                    src = os.path.join(tmp, "src.pdf")
                    if producer == "nocmap":
                        render_fpdf(page, src, rng, True) if k % 4 < 2 else render_weasyprint(page, src, rng)
                        strip_to_unicode(src, out)
                    elif producer == "fpdi":
                        render_fpdf(page, src, rng, rng.random() < 0.5)
                        into_forms(src, out, rng)
                    else:
                        render_fpdf(page, src, rng, rng.random() < 0.5) if k % 4 < 2 else render_weasyprint(page, src, rng)
                        turned(src, out)
                else:
                    sys.exit(f"unknown producer {producer}")
                split = "tune" if k % 2 == 0 else "heldout"
                manifest.append(dict(path=f"{producer}/{doc_id}.pdf", producer=producer, family=family, split=split, own=own, truth=truth))
                print(f"{producer}/{doc_id}", file=sys.stderr)
        if node_jobs:
            script = os.path.join(tmp, "render.js")
            jobs = os.path.join(tmp, "jobs.json")
            with open(script, "w", encoding="utf-8") as f:
                f.write(NODE)
            with open(jobs, "w", encoding="utf-8") as f:
                json.dump(node_jobs, f)
            env = dict(os.environ, NODE_PATH=os.path.abspath(args.node_modules))
            subprocess.run(["node", script, jobs], check=True, env=env, timeout=600)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
