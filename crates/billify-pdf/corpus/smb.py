#!/usr/bin/env python3
"""Everyday documents a Belgian or Dutch small business receives that the other corpora do not imitate.

Families: ``letter`` (a freelancer's invoice typed as a letter in a word processor), ``sheet``
(an invoice made in a spreadsheet and printed with its grid), ``receipt`` (till, card, fuel and
restaurant receipts on an 80 mm roll), ``hotel`` (hotel folios and restaurant invoices with city
tax and several VAT rates), ``market`` (marketplace and webshop invoices: seller of record beside
the marketplace, order numbers, shipping lines, an intra-EU reverse-charge variant) and ``public``
(municipalities, water companies, social secretariats, accountants' and lawyers' fee notes). The
reading organisation (``own``) is always the Belgian or Dutch customer.

Usage: ``smb.py OUT [--count N] [--seed S] [--families a,b]``. Writes ``OUT/<family>-NN.pdf``,
``OUT/manifest.json`` (``producer`` = family, ``renderer`` = PDF producer) and
``OUT/by-renderer/manifest.json`` (``producer`` = PDF producer). Instance ``k`` of a family is the
same whatever ``--count`` is; even instances are the tuning half, odd ones held out.
"""

import argparse
import hashlib
import html
import json
import os
import random
import shutil
import sys
import tempfile
import textwrap
from datetime import date, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intl import (FONT_DIR, FONTS, digits, fmt_date, iban_print, luhn_digit, make_iban, q,  # noqa: E402
                  render_chromium, render_libreoffice, vat_be, vat_nl)

FAMILIES = ["letter", "sheet", "receipt", "hotel", "market", "public"]
PRODUCER_CYCLE = ["chromium", "reportlab", "fpdf", "libreoffice", "chromium", "fpdf", "reportlab"]
FONTS = dict(FONTS, Mono=(f"{FONT_DIR}/dejavu/DejaVuSansMono.ttf", f"{FONT_DIR}/dejavu/DejaVuSansMono-Bold.ttf"))

MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}


# ---------------------------------------------------------------------------------------------
# Identifiers, numbers, dates.

def vat_de(rng):
    body = digits(rng, 8, str(rng.randint(1, 9)))
    p = 10
    for c in body:
        s = (int(c) + p) % 10 or 10
        p = (2 * s) % 11
    return "DE" + body + str((11 - p) % 10)


def vat_fr(rng):
    b = digits(rng, 8, str(rng.randint(3, 8)))
    siren = b + luhn_digit(b)
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def vat_print(vat, rng):
    """The VAT number the way Belgian and Dutch documents print it."""
    if vat.startswith("BE"):
        d = vat[2:]
        return rng.choice([f"BE {d[:4]}.{d[4:7]}.{d[7:]}", f"BE{d}", f"BE {d}", f"BE{d[:4]}.{d[4:7]}.{d[7:]}"])
    if vat.startswith("NL"):
        return rng.choice([vat, f"NL {vat[2:]}", f"{vat[:6]}.{vat[6:8]}.{vat[8:11]}.{vat[11:]}"])
    return vat


def ogm(rng):
    base = digits(rng, 10, "0" + str(rng.randint(1, 9)))
    c = int(base) % 97 or 97
    s = base + f"{c:02d}"
    return f"+++{s[:3]}/{s[3:7]}/{s[7:]}+++"


def kenmerk(rng):
    body = digits(rng, 15, str(rng.randint(1, 9)))
    w = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1]
    s = sum(int(c) * w[i % 10] for i, c in enumerate(reversed(body)))
    c = 11 - s % 11
    c = {10: 1, 11: 0}.get(c, c)
    k = str(c) + body
    return " ".join(k[i:i + 4] for i in range(0, 16, 4))


def num(x, sep="."):
    s = f"{abs(x):,.2f}".replace(",", "X").replace(".", ",").replace("X", sep)
    return ("-" if x < 0 else "") + s


def money(x, style):
    n = num(x)
    return {"pre": f"€ {n}", "post": f"{n} €", "eur": f"EUR {n}", "plain": n, "tight": f"€{n}"}[style]


def ddate(d, lang, style):
    if style == "long":
        return f"{d.day} {MONTHS[lang].split()[d.month - 1]} {d.year}"
    return fmt_date(d, style, "en")


def rate_s(r):
    return f"{r:g}".replace(".", ",") + "%"


PEOPLE = ["Lotte Vermeulen", "Pieter De Smet", "Sanne Jansen", "Camille Dubois", "Thomas Claes", "Eva Wouters", "Julien Lambert",
          "Bram van Dijk", "Noor Bakker", "Lucas Peeters", "Sofie Maes", "Hanne Willems", "Marie Lefèvre", "Jeroen de Vries"]
TRADES = ["Vertalingen", "Grafisch Ontwerp", "Webdesign", "Fotografie", "Coaching", "Copywriting", "IT-advies", "Illustraties",
          "Traduction", "Conseil", "Design", "Tekstbureau", "Boekhoudadvies", "Video"]
STREETS = ["Kerkstraat 12", "Stationsstraat 4", "Rue de la Station 18", "Dorpsstraat 77", "Molenweg 3", "Avenue Louise 231",
           "Hoogstraat 9", "Markt 1", "Keizersgracht 120", "Nieuwstraat 56", "Rue Haute 40", "Schoolstraat 23"]
CITIES_BE = ["9000 Gent", "2000 Antwerpen", "1000 Brussel", "3000 Leuven", "8000 Brugge", "4000 Liège", "5000 Namur", "2800 Mechelen"]
CITIES_NL = ["1017 AB Amsterdam", "3511 LV Utrecht", "2511 CV Den Haag", "5611 AZ Eindhoven", "9711 LM Groningen", "6811 KJ Arnhem"]
BUYERS = [("Brasserie De Kroon BV", "BE"), ("Atelier Lumière SRL", "BE"), ("Van Damme Logistics NV", "BE"), ("Bakkerij Hendrickx BV", "BE"),
          ("Studio Noord B.V.", "NL"), ("Groenlicht Installaties B.V.", "NL"), ("Fietsenmakerij De Spaak", "NL"), ("Maison Verhaegen SRL", "BE"),
          ("Kapsalon Linde BV", "BE"), ("Tandartspraktijk Zuid B.V.", "NL")]


def company(rng, cc, name):
    return dict(name=name, street=rng.choice(STREETS), city=rng.choice(CITIES_BE if cc == "BE" else CITIES_NL), cc=cc,
                vat=vat_be(rng) if cc == "BE" else vat_nl(rng), iban=make_iban(rng, cc),
                bic=rng.choice(["GEBABEBB", "KREDBEBB", "BBRUBEBB", "GKCCBEBB"] if cc == "BE" else ["INGBNL2A", "RABONL2U", "ABNANL2A"]))


def make_buyer(rng):
    name, cc = rng.choice(BUYERS)
    return company(rng, cc, name)


def lang_for(rng, cc, en=0.1, de=0.0):
    r = rng.random()
    if r < en:
        return "en"
    if r < en + de:
        return "de"
    return rng.choice(["nl", "nl", "fr"]) if cc == "BE" else "nl"


def vat_for(lines):
    by = {}
    for l in lines:
        by[l["rate"]] = by.get(l["rate"], Decimal(0)) + l["net"]
    return {r: (q(b), q(b * Decimal(r) / 100)) for r, b in sorted(by.items())}


def line(desc, qty, unit, rate):
    qty, unit = Decimal(str(qty)), q(unit)
    return dict(desc=desc, qty=qty, unit=unit, rate=rate, net=q(qty * unit))


def qty_s(x):
    return f"{x:g}".replace(".", ",")


def own_of(b):
    return dict(names=[b["name"]], vat_numbers=[b["vat"]], ibans=[])


# ---------------------------------------------------------------------------------------------
# A document is a flow of blocks, rendered as HTML (Chromium, LibreOffice) or drawn (ReportLab, fpdf2):
#   ("p", text, opts)         paragraph (opts: size, bold, align, gap)
#   ("cols", left, right)     two blocks of lines side by side (first line bold)
#   ("table", rows, widths, aligns, opts)   rows of cells; a cell is text or (text, colspan);
#                             opts: grid, head (first row is a header), bold (set of row indexes)
#   ("pre", lines)            monospace lines (receipts)
#   ("space", mm), ("hr",)

CSS = """@page { size: %(page)s; margin: %(margin)s; }
body { font-family: %(font)s; font-size: %(size)spt; color: #111; }
p { margin: 0 0 2.2mm 0; }
table { border-collapse: collapse; }
td, th { padding: 2px 5px; vertical-align: top; }
table.grid td, table.grid th { border: 0.6pt solid #888; }
table.nowrap td { white-space: nowrap; }
table.plain th { border-bottom: 1pt solid #333; text-align: left; }
pre { font-family: 'DejaVu Sans Mono', monospace; font-size: %(mono)spt; margin: 0; }
"""


def esc(s):
    return html.escape(str(s))


def to_html(flow, rng, page="A4", mono=False, lang="nl"):
    font = rng.choice(["'Liberation Serif'", "'Liberation Sans'", "'DejaVu Sans'", "Arial, sans-serif", "'DejaVu Serif'"])
    if page == "receipt":
        n = sum(len(b[1]) for b in flow if b[0] == "pre")
        page_css, margin = f"80mm {max(120, 12 + n * 4.2):.0f}mm", "4mm 3mm"
    else:
        page_css, margin = "A4", rng.choice(["20mm 22mm", "15mm 18mm", "25mm 25mm"])
    css = CSS % dict(page=page_css, margin=margin, font=font, size=rng.choice([9.5, 10, 10.5, 11]), mono=8)
    out = []
    for b in flow:
        k = b[0]
        if k == "p":
            o = b[2] if len(b) > 2 else {}
            st = f"text-align:{ {'r': 'right', 'c': 'center'}.get(o.get('align'), 'left')};"
            if o.get("size"):
                st += f"font-size:{o['size']}pt;"
            t = esc(b[1]).replace("\n", "<br>")
            out.append(f'<p style="{st}">{"<b>" + t + "</b>" if o.get("bold") else t}</p>')
        elif k == "cols":
            l, r = (("<br>".join((f"<b>{esc(x)}</b>" if i == 0 else esc(x)) for i, x in enumerate(side))) for side in (b[1], b[2]))
            out.append(f'<table width="100%" style="width:100%;margin-bottom:5mm"><tr><td width="55%">{l}</td><td>{r}</td></tr></table>')
        elif k == "table":
            rows, widths, aligns, o = b[1], b[2], b[3], b[4]
            cls = ("grid" if o.get("grid") else "plain") + (" nowrap" if o.get("nowrap") else "")
            tw = o.get("width", 100)
            h = [f'<table class="{cls}" width="{tw}%" style="width:{tw}%;margin:2mm 0 4mm {"auto" if o.get("right") else "0"}">']
            h.append("<colgroup>" + "".join(f'<col width="{w}%">' for w in widths) + "</colgroup>")
            for ri, row in enumerate(rows):
                tag = "th" if o.get("head") and ri == 0 else "td"
                h.append("<tr>")
                col = 0
                for cell in row:
                    t, span = (cell if isinstance(cell, tuple) else (cell, 1))
                    al = aligns[col] if col < len(aligns) else "l"
                    style = "text-align:right" if al == "r" else "text-align:center" if al == "c" else "text-align:left"
                    inner = esc(t)
                    if ri in o.get("bold", ()) or tag == "th":
                        inner = f"<b>{inner}</b>"
                    h.append(f'<{tag} colspan="{span}" style="{style}">{inner}</{tag}>')
                    col += span
                h.append("</tr>")
            h.append("</table>")
            out.append("".join(h))
        elif k == "pre":
            out.append("<pre>" + esc("\n".join(b[1])) + "</pre>")
        elif k == "space":
            out.append(f'<div style="height:{b[1]}mm"></div>')
        elif k == "hr":
            out.append('<hr style="border:0;border-top:0.6pt solid #444">')
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>{css}</style></head><body>{"".join(out)}</body></html>'


class Pen:
    """ReportLab or fpdf2 drawing in millimetres from the top left."""

    def __init__(self, kind, out, font, w=210.0, h=297.0):
        self.kind, self.out, self.font, self.W, self.H = kind, out, font, w, h
        reg, bold = FONTS[font]
        if kind == "reportlab":
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont
            from reportlab.pdfgen import canvas
            for name, path in ((font, reg), (font + "-B", bold), ("Mono", FONTS["Mono"][0])):
                pdfmetrics.registerFont(TTFont(name, path))
            self.mm = 72 / 25.4
            self.c = canvas.Canvas(out, pagesize=(w * self.mm, h * self.mm))
            self.sw = pdfmetrics.stringWidth
        else:
            from fpdf import FPDF
            self.pdf = FPDF(unit="mm", format=(w, h))
            self.pdf.set_auto_page_break(False)
            self.pdf.add_page()
            self.pdf.add_font(font, "", reg)
            self.pdf.add_font(font, "B", bold)
            if font != "Mono":
                self.pdf.add_font("Mono", "", FONTS["Mono"][0])

    def width(self, s, size, bold=False, mono=False):
        f = "Mono" if mono else self.font + ("-B" if bold and self.kind == "reportlab" else "")
        if self.kind == "reportlab":
            return self.sw(s, f, size) / self.mm
        self.pdf.set_font("Mono" if mono else self.font, "B" if bold and not mono else "", size)
        return self.pdf.get_string_width(s)

    def text(self, x, y, s, size=9, bold=False, align="l", mono=False):
        w = self.width(s, size, bold, mono)
        x = x - w if align == "r" else x - w / 2 if align == "c" else x
        if self.kind == "reportlab":
            self.c.setFont("Mono" if mono else self.font + ("-B" if bold else ""), size)
            self.c.drawString(x * self.mm, (self.H - y) * self.mm, s)
        else:
            self.pdf.set_font("Mono" if mono else self.font, "B" if bold and not mono else "", size)
            self.pdf.text(x, y, s)

    def line(self, x1, y1, x2, y2):
        if self.kind == "reportlab":
            self.c.setLineWidth(0.4)
            self.c.line(x1 * self.mm, (self.H - y1) * self.mm, x2 * self.mm, (self.H - y2) * self.mm)
        else:
            self.pdf.set_line_width(0.15)
            self.pdf.line(x1, y1, x2, y2)

    def save(self):
        if self.kind == "reportlab":
            self.c.showPage()
            self.c.save()
        else:
            self.pdf.output(self.out)


def fit(pen, s, size, bold, w):
    """Wrap text to a width in mm."""
    out = []
    for para in str(s).split("\n"):
        cur = ""
        for word in para.split(" "):
            t = (cur + " " + word).strip()
            if cur and pen.width(t, size, bold) > w:
                out.append(cur)
                cur = word
            else:
                cur = t
        out.append(cur)
    return out


def draw(flow, out, kind, rng, page="A4"):
    if page == "receipt":
        n = sum(len(b[1]) for b in flow if b[0] == "pre")
        pen = Pen(kind, out, "Mono", 80, max(120, 12 + n * 3.9))
        m, y = 4, 8
    else:
        pen = Pen(kind, out, rng.choice(["DejaVu", "DejaVuSerif", "Liberation"]))
        m, y = rng.choice([18, 20, 22]), 22
    W = pen.W - 2 * m
    base = rng.choice([9, 9.5, 10])
    for b in flow:
        k = b[0]
        if k == "p":
            o = b[2] if len(b) > 2 else {}
            size, bold = o.get("size", base), o.get("bold", False)
            step = size * 0.45
            for s in fit(pen, b[1], size, bold, W):
                x = m + W if o.get("align") == "r" else m + W / 2 if o.get("align") == "c" else m
                pen.text(x, y + step, s, size, bold, o.get("align", "l"))
                y += step
            y += 2.5
        elif k == "cols":
            step = base * 0.45
            yl = yr = y
            for i, s in enumerate(b[1]):
                yl += step
                pen.text(m, yl, s, base, i == 0)
            for i, s in enumerate(b[2]):
                yr += step
                pen.text(m + W * 0.55, yr, s, base, i == 0)
            y = max(yl, yr) + 6
        elif k == "table":
            rows, widths, aligns, o = b[1], b[2], b[3], b[4]
            tw = W * o.get("width", 100) / 100
            x0 = m + W - tw if o.get("right") else m
            xs = [x0]
            for w in widths:
                xs.append(xs[-1] + tw * w / 100)
            size = base - 0.5
            step = size * 0.42
            y += 1
            if o.get("grid"):
                pen.line(x0, y, x0 + tw, y)
            for ri, row in enumerate(rows):
                bold = ri in o.get("bold", ()) or (o.get("head") and ri == 0)
                cells, col = [], 0
                for cell in row:
                    t, span = (cell if isinstance(cell, tuple) else (cell, 1))
                    cells.append((col, span, t))
                    col += span
                wrapped = [[t] if o.get("nowrap") else fit(pen, t, size, bold, xs[c + s] - xs[c] - 2.4) for c, s, t in cells]
                h = max(len(w) for w in wrapped) * step + 2.2
                for (c, s, t), wl in zip(cells, wrapped):
                    al = aligns[c] if c < len(aligns) else "l"
                    for li, ln in enumerate(wl):
                        yy = y + 1.1 + step * (li + 1) - 0.6
                        if al == "r":
                            pen.text(xs[c + s] - 1.2, yy, ln, size, bold, "r")
                        elif al == "c":
                            pen.text((xs[c] + xs[c + s]) / 2, yy, ln, size, bold, "c")
                        else:
                            pen.text(xs[c] + 1.2, yy, ln, size, bold)
                if o.get("grid"):
                    for c, s, t in cells:
                        pen.line(xs[c], y, xs[c], y + h)
                    pen.line(xs[-1], y, xs[-1], y + h)
                    pen.line(x0, y + h, x0 + tw, y + h)
                elif o.get("head") and ri == 0:
                    pen.line(x0, y + h, x0 + tw, y + h)
                y += h
            y += 4
        elif k == "pre":
            for s in b[1]:
                y += 3.9
                pen.text(m, y, s, 8, mono=True)
        elif k == "space":
            y += b[1]
        elif k == "hr":
            pen.line(m, y, m + W, y)
            y += 3
    pen.save()


# ---------------------------------------------------------------------------------------------
# letter: a freelancer's invoice typed as a letter.

LETTER = {
    "nl": dict(to=["Aan", "T.a.v.", ""], subj="Betreft: factuur {n}", subj_c="Betreft: creditnota {n}",
               intro=["Geachte heer, mevrouw,", "Beste,", "Geachte,"],
               body="Hierbij factureer ik u de volgende prestaties, uitgevoerd in {m}:",
               body_c="Hierbij crediteer ik factuur {ref}: {what}.",
               pay="Gelieve het bedrag van {a} te storten op rekening {iban} vóór {d} met vermelding van {ref}.",
               pay_terms="Gelieve het bedrag van {a} binnen 30 dagen over te maken op rekening {iban} met vermelding van {ref}.",
               refund="Het bedrag van {a} wordt teruggestort op uw rekening.",
               total_s="Het totaal bedraagt {a}.", deposit="Voorschot reeds betaald op {d}", rest="Saldo te betalen",
               excl="Totaal excl. btw", vat="Btw {r}", incl="Totaal incl. btw", tot="Totaal",
               cols=["Omschrijving", "Aantal", "Prijs", "Bedrag"], greet="Met vriendelijke groeten,",
               exempt=["Bijzondere vrijstellingsregeling kleine ondernemingen", "Kleine onderneming onderworpen aan de vrijstellingsregeling van belasting. Btw niet toepasselijk.",
                       "Vrijgesteld van btw op grond van de kleineondernemersregeling (KOR)."],
               vat_l="Btw-nr.", phone="Tel.", place="{city}, {d}", date_l="Datum:", kbo="Ondernemingsnummer"),
    "fr": dict(to=["À l'attention de", "À", "Destinataire :"], subj="Objet : facture {n}", subj_c="Objet : note de crédit {n}",
               intro=["Madame, Monsieur,", "Bonjour,", "Chère cliente, cher client,"],
               body="Veuillez trouver ci-dessous le détail des prestations effectuées en {m} :",
               body_c="Par la présente, je crédite la facture {ref} : {what}.",
               pay="Merci de verser la somme de {a} sur le compte {iban} avant le {d} avec la communication {ref}.",
               pay_terms="Merci de verser la somme de {a} dans les 30 jours sur le compte {iban} avec la communication {ref}.",
               refund="La somme de {a} vous sera remboursée par virement.",
               total_s="Le montant total s'élève à {a}.", deposit="Acompte déjà versé le {d}", rest="Solde à payer",
               excl="Total HTVA", vat="TVA {r}", incl="Total TVAC", tot="Total",
               cols=["Description", "Quantité", "Prix", "Montant"], greet="Bien cordialement,",
               exempt=["Régime particulier de franchise des petites entreprises", "Petite entreprise soumise au régime de la franchise de taxe. TVA non applicable.",
                       "Franchise de taxe – article 56bis du Code TVA."],
               vat_l="TVA", phone="Tél.", place="{city}, le {d}", date_l="Date :", kbo="Numéro d'entreprise"),
    "en": dict(to=["To:", "Attn.", ""], subj="Re: invoice {n}", subj_c="Re: credit note {n}", intro=["Dear Sir or Madam,", "Hello,", "Dear client,"],
               body="Please find below the services delivered in {m}:", body_c="This note credits invoice {ref}: {what}.",
               pay="Please transfer {a} to account {iban} before {d}, quoting {ref}.",
               pay_terms="Please transfer {a} within 30 days to account {iban}, quoting {ref}.",
               refund="The amount of {a} will be refunded to your account.",
               total_s="The total amounts to {a}.", deposit="Deposit paid on {d}", rest="Balance to pay",
               excl="Total excl. VAT", vat="VAT {r}", incl="Total incl. VAT", tot="Total",
               cols=["Description", "Qty", "Price", "Amount"], greet="Kind regards,",
               exempt=["Special VAT exemption scheme for small businesses", "Small business exempt from VAT (KOR)."],
               vat_l="VAT no.", phone="Phone", place="{city}, {d}", date_l="Date:", kbo="Company no."),
    "de": dict(to=["An", "z. Hd.", ""], subj="Betreff: Rechnung {n}", subj_c="Betreff: Gutschrift {n}", intro=["Sehr geehrte Damen und Herren,", "Hallo,"],
               body="für die im {m} erbrachten Leistungen berechne ich Ihnen:", body_c="hiermit schreibe ich Ihnen zu Rechnung {ref} gut: {what}.",
               pay="Bitte überweisen Sie den Betrag von {a} bis zum {d} auf das Konto {iban} unter Angabe von {ref}.",
               pay_terms="Bitte überweisen Sie den Betrag von {a} innerhalb von 30 Tagen auf das Konto {iban} unter Angabe von {ref}.",
               refund="Der Betrag von {a} wird Ihrem Konto gutgeschrieben.",
               total_s="Der Gesamtbetrag beläuft sich auf {a}.", deposit="Anzahlung erhalten am {d}", rest="Restbetrag",
               excl="Nettobetrag", vat="MwSt. {r}", incl="Gesamtbetrag", tot="Gesamt",
               cols=["Leistung", "Menge", "Preis", "Betrag"], greet="Mit freundlichen Grüßen",
               exempt=["Kleinunternehmer: Sonderregelung, keine Mehrwertsteuer ausgewiesen."],
               vat_l="USt-IdNr.", phone="Tel.", place="{city}, den {d}", date_l="Datum:", kbo="Unternehmensnummer"),
}
TASKS = {"nl": ["Vertaling brochure NL-FR", "Ontwerp logo en huisstijl", "Fotoreportage opening", "Coachingsessie", "Redactie nieuwsbrief", "Onderhoud website", "Uren consultancy"],
         "fr": ["Traduction brochure FR-NL", "Création logo et charte graphique", "Reportage photo", "Séance de coaching", "Rédaction newsletter", "Maintenance site web"],
         "en": ["Translation brochure EN-NL", "Logo and brand identity", "Photo shoot", "Coaching session", "Newsletter copy", "Website maintenance"],
         "de": ["Übersetzung Broschüre DE-NL", "Logo-Entwurf", "Fotoreportage", "Coaching-Sitzung", "Webseitenpflege"]}


def make_letter(rng, k):
    buyer = make_buyer(rng)
    cc = rng.choice(["BE", "BE", "NL"]) if buyer["cc"] == "BE" else rng.choice(["NL", "NL", "BE"])
    lang = lang_for(rng, cc, en=0.12, de=0.08)
    L = LETTER[lang]
    person = rng.choice(PEOPLE)
    trade = rng.random() < 0.5
    sname = f"{person.split()[-1]} {rng.choice(TRADES)}" if trade else person
    seller = company(rng, cc, sname)
    credit = k % 7 == 3
    exempt = not credit and rng.random() < 0.35
    issue = date(2024, 1, 1) + timedelta(days=rng.randint(0, 640))
    due = issue + timedelta(days=rng.choice([14, 15, 30]))
    n = rng.choice([f"{issue.year}-{rng.randint(1, 60):03d}", f"{issue.year}{rng.randint(1, 40):03d}", f"F{issue.year % 100}/{rng.randint(1, 80):02d}",
                    f"{rng.randint(1, 99)}"])
    if credit:
        n = rng.choice([f"CN {issue.year}-{rng.randint(1, 9):02d}", f"C{issue.year}-{rng.randint(1, 9):03d}"])
    dstyle = rng.choice(["long", "long", "dmy/", "dmy-"])
    D = lambda d: ddate(d, lang, dstyle)  # noqa: E731
    mstyle = rng.choice(["pre", "post", "pre", "eur"])
    A = lambda x: money(x, mstyle)  # noqa: E731
    tasks = rng.sample(TASKS[lang], k=rng.randint(1, 3))
    lines = [line(t, rng.choice([1, 1, 2, 3, 4, 6, 7.5, 12]) if rng.random() < 0.6 else 1, rng.choice([45, 55, 60, 65, 75, 85, 95, 120, 350, 480, 750, 1200]), 0 if exempt else 21) for t in tasks]
    sub = sum(l["net"] for l in lines)
    vat = q(sub * Decimal("0.21")) if not exempt else Decimal(0)
    total = sub + vat
    deposit = q(total * Decimal("0.3")) if not credit and rng.random() < 0.2 else None
    due_amount = total - deposit if deposit else total
    ref = (ogm(rng) if cc == "BE" and rng.random() < 0.6 else kenmerk(rng) if cc == "NL" and rng.random() < 0.3 else (n if rng.random() < 0.5 else f"factuur {n}" if lang == "nl" else n))
    iban = iban_print(seller["iban"]) if rng.random() < 0.7 else seller["iban"]
    sender = [sname] + ([person] if trade and rng.random() < 0.5 else []) + [seller["street"], seller["city"],
              f"{L['phone']} +{32 if cc == 'BE' else 31} {digits(rng, 3, '4')} {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)}", f"{person.split()[0].lower()}@{sname.split()[-1].lower()}.{cc.lower()}"]
    vatline = f"{L['vat_l']} {vat_print(seller['vat'], rng)}" if not (cc == "BE" and rng.random() < 0.3) else f"{L['kbo']} {seller['vat'][2:6]}.{seller['vat'][6:9]}.{seller['vat'][9:]}"
    seller_vat_printed = vatline.startswith(L["vat_l"])
    sender.append(vatline)
    addressee = [buyer["name"], buyer["street"], buyer["city"], f"{L['vat_l']} {vat_print(buyer['vat'], rng)}"]
    to = rng.choice(L["to"])
    layout = rng.choice(["classic", "right", "centered"])
    flow = []
    if layout == "centered":
        flow.append(("p", sname, dict(size=16, bold=True, align="c")))
        flow.append(("p", " · ".join(sender[1:]), dict(size=8, align="c")))
        flow.append(("hr",))
    else:
        flow.append(("p", "\n".join(sender), dict(bold=False)))
    flow.append(("space", 6))
    flow.append(("p", ((to + "\n") if to else "") + "\n".join(addressee), dict(align="r" if layout == "right" else "l")))
    flow.append(("space", 4))
    city = seller["city"].split(" ", 1 if cc == "BE" else 2)[-1]
    if rng.random() < 0.6:
        flow.append(("p", L["place"].format(city=city, d=D(issue)), dict(align="r" if layout != "centered" else "l")))
    else:
        flow.append(("p", f"{L['date_l']} {D(issue)}"))
    flow.append(("p", (L["subj_c"] if credit else L["subj"]).format(n=n), dict(bold=True)))
    flow.append(("p", rng.choice(L["intro"])))
    if credit:
        flow.append(("p", L["body_c"].format(ref=f"{issue.year}-{rng.randint(1, 60):03d}", what=tasks[0].lower())))
    else:
        flow.append(("p", L["body"].format(m=MONTHS[lang].split()[(issue.month - 2) % 12])))
    table_mode = rng.choice(["table", "table", "list", "none"]) if len(lines) > 1 else rng.choice(["table", "none"])
    printed_sub = False
    if table_mode == "table":
        rows = [L["cols"]] + [[l["desc"], qty_s(l["qty"]), A(l["unit"]), A(l["net"])] for l in lines]
        if not exempt:
            rows += [["", "", L["excl"], A(sub)], ["", "", L["vat"].format(r="21%"), A(vat)], ["", "", L["incl"], A(total)]]
            printed_sub = True
        else:
            rows += [["", "", L["tot"], A(total)]]
        flow.append(("table", rows, [52, 12, 18, 18], ["l", "r", "r", "r"], dict(head=True, bold={len(rows) - 1})))
    elif table_mode == "list":
        for l in lines:
            flow.append(("p", f"– {l['desc']}: {qty_s(l['qty'])} × {A(l['unit'])} = {A(l['net'])}"))
        if not exempt:
            flow.append(("p", f"{L['excl']}: {A(sub)}\n{L['vat'].format(r='21%')}: {A(vat)}\n{L['incl']}: {A(total)}"))
            printed_sub = True
    else:
        desc = "; ".join(l["desc"] for l in lines)
        if not exempt:
            flow.append(("p", f"{desc}: {A(sub)} + {L['vat'].format(r='21%')} {A(vat)}."))
            printed_sub = True
        else:
            flow.append(("p", f"{desc}."))
        flow.append(("p", L["total_s"].format(a=A(total))))
    if deposit:
        flow.append(("p", f"{L['deposit'].format(d=D(issue - timedelta(days=30)))}: {A(deposit)}\n{L['rest']}: {A(due_amount)}"))
    if exempt:
        flow.append(("p", rng.choice(L["exempt"]), dict(size=8.5)))
    due_printed = False
    if credit:
        flow.append(("p", L["refund"].format(a=A(total))))
    elif rng.random() < 0.7:
        flow.append(("p", L["pay"].format(a=A(due_amount), iban=iban, d=D(due), ref=ref)))
        due_printed = True
    else:
        flow.append(("p", L["pay_terms"].format(a=A(due_amount), iban=iban, ref=ref)))
    flow.append(("space", 4))
    flow.append(("p", L["greet"]))
    flow.append(("space", 8))
    flow.append(("p", person))
    truth = dict(invoice_number=n, issue_date=issue.isoformat(), currency="EUR", total=str(total), seller_name=sname,
                 buyer_name=buyer["name"], kind="credit_note" if credit else "invoice")
    if printed_sub:
        truth.update(subtotal=str(sub), vat_amount=str(vat))
    if seller_vat_printed or cc == "BE":
        truth["seller_vat"] = seller["vat"]
    if due_printed:
        truth["due_date"] = due.isoformat()
    if deposit:
        truth["amount_due"] = str(due_amount)
    if not credit:
        truth["iban"] = seller["iban"]
    if table_mode == "table":
        truth["lines"] = len(lines)
    return flow, truth, own_of(buyer), dict(layout=layout, language=lang, country=cc)


# ---------------------------------------------------------------------------------------------
# sheet: an invoice made in a spreadsheet, printed with its grid.

SHEET = {
    "nl": dict(title="FACTUUR", title_c="CREDITNOTA", no="Factuurnummer", no_c="Creditnotanummer", date="Factuurdatum", due="Vervaldatum",
               cust="Klant", ref="Klantnummer", cols=["Omschrijving", "Aantal", "Eenheidsprijs", "Btw %", "Totaal"],
               excl="Totaal excl. btw", vat="Btw {r}", incl="Totaal incl. btw", pay="Te betalen", vat_l="Btw-nummer", iban="Rekeningnummer",
               comm="Mededeling", ext="Betalingstermijn", days="30 dagen"),
    "fr": dict(title="FACTURE", title_c="NOTE DE CRÉDIT", no="N° de facture", no_c="N° de note de crédit", date="Date facture", due="Échéance",
               cust="Client", ref="N° client", cols=["Description", "Quantité", "Prix unitaire", "TVA %", "Total"],
               excl="Total HTVA", vat="TVA {r}", incl="Total TVAC", pay="À payer", vat_l="N° TVA", iban="Compte bancaire",
               comm="Communication", ext="Délai de paiement", days="30 jours"),
    "en": dict(title="INVOICE", title_c="CREDIT NOTE", no="Invoice number", no_c="Credit note number", date="Invoice date", due="Due date",
               cust="Customer", ref="Customer no.", cols=["Description", "Qty", "Unit price", "VAT %", "Total"],
               excl="Total excl. VAT", vat="VAT {r}", incl="Total incl. VAT", pay="Amount due", vat_l="VAT number", iban="Bank account",
               comm="Reference", ext="Payment terms", days="30 days"),
}
GOODS = {"nl": ["Plaatsing tegels", "Materiaal", "Arbeidsuren", "Verplaatsing", "Huur hoogtewerker", "Afvalcontainer", "Schilderwerken", "Snoeiwerken"],
         "fr": ["Pose de carrelage", "Matériel", "Heures de travail", "Déplacement", "Location nacelle", "Conteneur", "Travaux de peinture"],
         "en": ["Tiling", "Materials", "Labour hours", "Travel", "Aerial platform hire", "Skip", "Painting"]}


def make_sheet(rng, k):
    buyer = make_buyer(rng)
    cc = buyer["cc"] if rng.random() < 0.8 else ("NL" if buyer["cc"] == "BE" else "BE")
    lang = lang_for(rng, cc, en=0.1)
    L = SHEET[lang]
    seller = company(rng, cc, f"{rng.choice(PEOPLE).split()[-1]} {rng.choice(['Bouw', 'Tuinwerken', 'Renovatie', 'Elektro', 'Schilderwerken', 'Services', 'Techniek'])}"
                     + rng.choice([" BV", "", " VOF", " BV", " SRL", " B.V."]))
    credit = k % 7 == 5
    issue = date(2024, 1, 1) + timedelta(days=rng.randint(0, 640))
    due = issue + timedelta(days=rng.choice([14, 30, 30, 60]))
    n = rng.choice([f"{issue.year}{rng.randint(1, 300):04d}", f"{issue.year}-{rng.randint(1, 300)}", f"F{rng.randint(100, 999)}", f"{rng.randint(1, 120)}"])
    dstyle = rng.choice(["dmy/", "dmy-", "dmy.", "iso"])
    D = lambda d: ddate(d, lang, dstyle)  # noqa: E731
    mstyle = rng.choice(["pre", "post", "plain", "split"])
    A = (lambda x: num(x)) if mstyle == "split" else (lambda x: money(x, mstyle))
    rates = [21] if rng.random() < 0.6 else ([21, 6] if cc == "BE" else [21, 9])
    lines = [line(d, rng.choice([1, 2, 3, 8, 12, 16, 24, 1.5]), rng.choice([12.5, 35, 42, 48.5, 65, 120, 250, 395, 780]), rng.choice(rates))
             for d in rng.sample(GOODS[lang], k=rng.randint(2, 6))]
    if credit:
        lines = lines[:2]
    by = vat_for(lines)
    sub = sum(l["net"] for l in lines)
    vat = sum(v for _, v in by.values())
    total = sub + vat
    comm = ogm(rng) if cc == "BE" else kenmerk(rng) if rng.random() < 0.4 else n
    layout = rng.choice(["top", "side", "block"])
    rows, bold = [], set()
    ncol = 5

    title = L["title_c"] if credit else L["title"]
    if layout == "top":
        rows.append([(title, 5)]); bold.add(0)
        rows.append([(seller["name"], 3), (L["no_c"] if credit else L["no"], 1), n])
        rows.append([(seller["street"], 3), L["date"], D(issue)])
        rows.append([(seller["city"], 3), L["due"] if not credit else L["ref"], D(due) if not credit else digits(rng, 4, "1")])
        rows.append([(f"{L['vat_l']}: {vat_print(seller['vat'], rng)}", 3), ("", 2)])
        rows.append([("", 5)])
        rows.append([(L["cust"], 5)]); bold.add(len(rows) - 1)
        rows.append([(buyer["name"], 5)])
        rows.append([(f"{buyer['street']}, {buyer['city']}", 5)])
        rows.append([(f"{L['vat_l']}: {vat_print(buyer['vat'], rng)}", 5)])
    elif layout == "side":
        rows.append([(seller["name"], 3), (title, 2)]); bold.add(0)
        rows.append([(seller["street"], 3), ("", 2)])
        rows.append([(seller["city"], 3), ("", 2)])
        rows.append([L["vat_l"], (vat_print(seller["vat"], rng), 2), ("", 2)])
        rows.append([L["iban"], (iban_print(seller["iban"]), 2), ("", 2)])
        rows.append([("", 5)])
        rows.append([L["cust"], (buyer["name"], 2), L["no_c"] if credit else L["no"], n])
        rows.append(["", (buyer["street"], 2), L["date"], D(issue)])
        rows.append(["", (buyer["city"], 2), L["due"] if not credit else "", D(due) if not credit else ""])
        rows.append([L["vat_l"], (vat_print(buyer["vat"], rng), 2), ("", 2)])
    else:
        rows.append([(seller["name"], 5)]); bold.add(0)
        rows.append([(f"{seller['street']} – {seller['city']} – {L['vat_l']} {vat_print(seller['vat'], rng)}", 5)])
        rows.append([("", 5)])
        rows.append([(title, 2), (L["cust"], 3)]); bold.add(3)
        rows.append([L["no_c"] if credit else L["no"], n, (buyer["name"], 3)])
        rows.append([L["date"], D(issue), (buyer["street"], 3)])
        rows.append([L["due"] if not credit else L["ext"], D(due) if not credit else L["days"], (buyer["city"], 3)])
        rows.append([L["comm"], comm, (f"{L['vat_l']} {vat_print(buyer['vat'], rng)}", 3)])
    rows.append([("", 5)])
    rows.append(L["cols"]); bold.add(len(rows) - 1)
    for l in lines:
        rows.append([l["desc"], qty_s(l["qty"]), A(l["unit"]), f"{l['rate']}%", A(l["net"])])
    rows.append([("", 5)])
    if mstyle == "split":
        tot_rows = [(L["excl"], sub)] + [(L["vat"].format(r=f"{r}%"), v) for r, (_, v) in by.items()] + [(L["incl"], total)]
        for lab, x in tot_rows:
            rows.append([("", 2), lab, "€", num(x)])
    else:
        tot_rows = [(L["excl"], sub)] + [(L["vat"].format(r=f"{r}%"), v) for r, (_, v) in by.items()] + [(L["incl"], total)]
        for lab, x in tot_rows:
            rows.append([("", 2), (lab, 2), A(x)])
    bold.add(len(rows) - 1)
    tail = []
    if not credit:
        if layout == "block":
            tail = [[(f"{L['iban']}: {iban_print(seller['iban'])}  BIC {seller['bic']}", 5)]]
        elif layout == "top":
            tail = [[(L["iban"], 2), (iban_print(seller["iban"]), 3)], [(L["comm"], 2), (comm, 3)]]
        else:
            tail = [[L["comm"], (comm, 4)]]
    rows += [[("", 5)]] + tail
    widths = [34, 12, 20, 14, 20]
    aligns = ["l", "r", "r", "r", "r"] if layout != "side" else ["l", "l", "r", "l", "r"]
    flow = [("table", rows, widths, aligns, dict(grid=True, bold=bold, nowrap=True))]
    truth = dict(invoice_number=n, issue_date=issue.isoformat(), currency="EUR", subtotal=str(sub), vat_amount=str(vat), total=str(total),
                 seller_name=seller["name"], seller_vat=seller["vat"], buyer_name=buyer["name"], kind="credit_note" if credit else "invoice", lines=len(lines))
    if not credit:
        truth["due_date"] = due.isoformat()
        truth["iban"] = seller["iban"]
    return flow, truth, own_of(buyer), dict(layout=layout, language=lang, country=cc)


# ---------------------------------------------------------------------------------------------
# receipt: till, card, fuel and restaurant receipts (80 mm roll, monospace).

SHOPS = [("supermarket", ["Brood volkoren", "Melk halfvol 1L", "Koffie bonen 1kg", "Printpapier A4", "Afwasmiddel", "Bananen", "Kaas jong belegen", "Water 6x1,5L"], [6, 6, 6, 21, 21, 6, 6, 6]),
         ("diy", ["Schroeven 4x40 (200)", "Verf wit 2,5L", "Kitpistool", "Siliconenkit", "Boormachine", "Afplaktape"], [21] * 6),
         ("office", ["Toner HP 305A", "Ordners 10 st.", "Balpennen blauw", "USB-stick 64GB", "Enveloppen C5"], [21] * 5),
         ("fuel", ["Euro 95 E10", "Diesel B7", "Super 98"], [21]),
         ("restaurant", ["Spaghetti bolognese", "Dagschotel", "Croque monsieur", "Cola", "Spa plat 0,5L", "Koffie", "Pintje", "Glas huiswijn"], [12, 12, 12, 21, 21, 21, 21, 21])]
SHOPNAMES = {"supermarket": ["SUPERMARKT DE LINDE", "PROXI MARKT", "BUURTSUPER VAN GOOL"], "diy": ["DOE-HET-ZELF CENTRUM", "BRICO-POINT", "BOUWMARKT HENDRIKS"],
             "office": ["KANTOORPUNT", "PAPETERIE CENTRALE", "BUREAU EXPRESS"], "fuel": ["TANKSTATION A12", "STATION-SERVICE DU PONT", "PETROL PLUS"],
             "restaurant": ["BRASSERIE DEN HOEK", "EETCAFE DE POORT", "LE PETIT BISTRO"]}


def make_receipt(rng, k):
    buyer = make_buyer(rng)
    cc = buyer["cc"]
    kind, goods, grates = rng.choice(SHOPS)
    shopname = rng.choice(SHOPNAMES[kind])
    legal = shopname.title() + rng.choice([" BV", " NV", " SRL", " B.V."])
    seller = company(rng, cc, legal)
    fr = cc == "BE" and rng.random() < 0.35
    W = 42
    issue = date(2024, 1, 1) + timedelta(days=rng.randint(0, 640))
    tm = f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    ticket = rng.choice([f"{rng.randint(1, 9999):04d}", f"{rng.randint(100000, 999999)}", f"{rng.randint(1, 9)}/{rng.randint(1000, 99999)}"])

    def lr(a, b):
        return a + " " * max(1, W - len(a) - len(b)) + b

    L = []
    L.append(shopname.center(W).rstrip())
    if rng.random() < 0.6:
        L.append(legal.center(W).rstrip())
    L += [seller["street"].center(W).rstrip(), seller["city"].center(W).rstrip()]
    vat_lab = "TVA" if fr else "BTW"
    vat_line = f"{vat_lab} {vat_print(seller['vat'], rng)}" if cc == "BE" else f"BTW-nr: {seller['vat']}"
    L.append(vat_line.center(W).rstrip())
    if cc == "NL" and rng.random() < 0.5:
        L.append(f"KvK {digits(rng, 8, '6')}".center(W).rstrip())
    L.append("-" * W)
    rate_code = {}
    codes = "ABCD"
    lines = []
    if kind == "fuel":
        litres = Decimal(rng.randint(2000, 6500)) / 100
        price = Decimal(rng.randint(1650, 2050)) / 1000
        net_incl = q(litres * price)
        lines.append(dict(desc=goods[rng.randrange(3)], incl=net_incl, rate=21, extra=f"  {num(litres)} L x {str(price).replace('.', ',')} EUR/L"))
        if rng.random() < 0.4:
            lines.append(dict(desc="Koffie to go" if not fr else "Café à emporter", incl=Decimal("2.80"), rate=21 if cc == "BE" else 9, extra=None))
    else:
        idx = rng.sample(range(len(goods)), k=min(len(goods), rng.randint(2, 6)))
        for i in idx:
            qn = rng.choice([1, 1, 1, 2, 3])
            up = q(Decimal(rng.randint(90, 3500)) / 100)
            r = grates[i] if kind != "restaurant" or cc == "BE" else (9 if grates[i] == 12 else 21)
            if cc == "NL" and r == 6:
                r = 9
            lines.append(dict(desc=goods[i], incl=q(up * qn), rate=r, extra=f"  {qn} x {num(up)}" if qn > 1 else None))
    for r in sorted({l["rate"] for l in lines}, reverse=True):
        rate_code[r] = codes[len(rate_code)]
    if kind == "restaurant":
        L.append(lr(f"Tafel {rng.randint(1, 30)}" if not fr else f"Table {rng.randint(1, 30)}", f"Couverts {rng.randint(1, 6)}"))
        L.append("-" * W)
    for l in lines:
        if l["extra"] and kind == "fuel":
            L.append(lr(f"Pomp {rng.randint(1, 8)} {l['desc']}", f"{num(l['incl'])} {rate_code[l['rate']]}"))
            L.append(l["extra"])
        else:
            if l["extra"]:
                L.append(l["desc"])
                L.append(lr(l["extra"], f"{num(l['incl'])} {rate_code[l['rate']]}"))
            else:
                L.append(lr(l["desc"][:W - 12], f"{num(l['incl'])} {rate_code[l['rate']]}"))
    total = sum(l["incl"] for l in lines)
    L.append("-" * W)
    tot_lab = rng.choice(["TOTAAL", "TOTAAL EUR", "Te betalen"]) if not fr else rng.choice(["TOTAL", "TOTAL EUR", "A PAYER"])
    L.append(lr(tot_lab, (f"EUR {num(total)}" if rng.random() < 0.5 else num(total))))
    L.append("")
    # VAT table: the base is computed from the inclusive price per rate.
    by = {}
    for l in lines:
        by[l["rate"]] = by.get(l["rate"], Decimal(0)) + l["incl"]
    table = []
    for r, inc in by.items():
        vat = q(inc * Decimal(r) / (100 + r))
        table.append((r, inc - vat, vat, inc))
    vat_total = sum(t[2] for t in table)
    base_total = sum(t[1] for t in table)
    style = rng.choice(["cols", "lines"])
    if style == "cols":
        L.append(f"{vat_lab:<4}{'%':>6}{'Basis' if not fr else 'Base':>11}{vat_lab:>9}{'Totaal' if not fr else 'Total':>11}"[:W])
        for r, b, v, inc in table:
            L.append(f"{rate_code[r]:<4}{str(r) + '%':>6}{num(b):>11}{num(v):>9}{num(inc):>11}")
    else:
        for r, b, v, inc in table:
            L.append(lr(f"{vat_lab} {rate_code[r]} {r}% over {num(b)}" if not fr else f"{vat_lab} {rate_code[r]} {r}% sur {num(b)}", num(v)))
    print_sub = rng.random() < 0.5
    if print_sub:
        L.append(lr("Totaal excl. BTW" if not fr else "Total hors TVA", num(base_total)))
        L.append(lr("Totaal BTW" if not fr else "Total TVA", num(vat_total)))
    L.append("-" * W)
    pay = rng.choice(["Bancontact", "Maestro", "Visa", "Mastercard", "Contant"] if cc == "BE" else ["PIN", "Maestro", "V PAY", "Visa", "Contant"])
    if fr and pay == "Contant":
        pay = "Espèces"
    saldo = False
    if pay in ("Contant", "Espèces"):
        given = q((total / 10).to_integral_value() * 10 + 10)
        L.append(lr(pay, num(given)))
        L.append(lr("Terug" if not fr else "Rendu", num(given - total)))
    else:
        L.append(lr(pay, num(total)))
        L.append("")
        L.append(("*** KLANTTICKET ***" if not fr else "*** TICKET CLIENT ***").center(W).rstrip())
        L.append(f"Terminal: {digits(rng, 8, '8')}")
        L.append(f"Merchant: {digits(rng, 9, '2')}")
        L.append(f"{'Carte' if fr else 'Kaart'}: **** **** **** {digits(rng, 4)}")
        L.append(f"{fmt_date(issue, 'dmy/', 'en')} {tm[:5]}")
        L.append(lr("AUTORISATIECODE" if not fr else "CODE AUTORISATION", digits(rng, 6)))
        L.append(lr("Bedrag" if not fr else "Montant", f"EUR {num(total)}"))
        L.append(("TRANSACTIE AKKOORD" if not fr else "TRANSACTION ACCEPTEE").center(W).rstrip())
        if rng.random() < 0.3:
            L.append(lr("Saldo" if not fr else "Solde", "0,00"))
            saldo = True
    L.append("-" * W)
    dstyle = rng.choice(["dmy/", "dmy-", "dmy."])
    tlab = rng.choice(["Ticket", "Bon", "Kassabon", "Ticketnr."]) if not fr else rng.choice(["Ticket", "Ticket n°"])
    L.append(lr(f"{fmt_date(issue, dstyle, 'en')} {tm}", f"{tlab} {ticket}"))
    L.append(f"Kassa {rng.randint(1, 6)}  Bediende {rng.choice(['Anja', 'Kevin', 'Sarah', 'Mo'])}" if not fr else f"Caisse {rng.randint(1, 6)}  Vendeur {rng.choice(['Julie', 'Marc'])}")
    if cc == "BE" and kind == "restaurant":
        L.append(f"FDM ID: B{digits(rng, 10)}")
        L.append(f"VSC: BE{digits(rng, 8)}")
        L.append(f"Ticket counter {digits(rng, 6)}")
    L.append("")
    L.append(("Bedankt en tot ziens!" if not fr else "Merci et à bientôt !").center(W).rstrip())
    flow = [("pre", L)]
    truth = dict(invoice_number=ticket, issue_date=issue.isoformat(), currency="EUR", vat_amount=str(vat_total), total=str(total),
                 seller_name=rng.choice([legal]) if legal in "\n".join(L) else shopname, seller_vat=seller["vat"], kind="invoice", lines=len(lines))
    if print_sub or len(table) == 1:
        truth["subtotal"] = str(base_total)
    if saldo:
        truth["amount_due"] = "0.00"
    if "EUR" not in "\n".join(L):
        del truth["currency"]  # a cash ticket that prints no currency at all
    return flow, truth, own_of(buyer), dict(layout=kind, language="fr" if fr else "nl", country=cc, page="receipt")


# ---------------------------------------------------------------------------------------------
# hotel: folios and restaurant invoices.

HOTEL = {
    "nl": dict(title="Factuur", folio="Folio", no="Factuurnummer", date="Datum", room="Kamer", arr="Aankomst", dep="Vertrek", guest="Gast",
               res="Reservatienr.", night="Overnachting", bf="Ontbijt", dinner="Diner", drinks="Dranken", park="Parking", tax="Stadstaks",
               tax_note="Stadstaks niet onderworpen aan btw", cols=["Datum", "Omschrijving", "Btw", "Bedrag"], excl="Totaal excl. btw",
               vat="Btw {r}", total="Totaal", paid="Betaald met {c}", deposit="Voorschot", bal="Saldo", vat_l="BTW", vtab=["Btw %", "Basis", "Btw", "Totaal"],
               table="Tafel", covers="Couverts", rest_title="Restaurantfactuur", food="Menu", wine="Fles wijn"),
    "fr": dict(title="Facture", folio="Folio", no="N° facture", date="Date", room="Chambre", arr="Arrivée", dep="Départ", guest="Client",
               res="N° réservation", night="Nuitée", bf="Petit-déjeuner", dinner="Dîner", drinks="Boissons", park="Parking", tax="Taxe de séjour",
               tax_note="Taxe de séjour non soumise à la TVA", cols=["Date", "Description", "TVA", "Montant"], excl="Total HTVA",
               vat="TVA {r}", total="Total", paid="Payé par {c}", deposit="Acompte", bal="Solde", vat_l="TVA", vtab=["TVA %", "Base", "TVA", "Total"],
               table="Table", covers="Couverts", rest_title="Facture restaurant", food="Menu", wine="Bouteille de vin"),
    "en": dict(title="Invoice", folio="Folio", no="Invoice No.", date="Date", room="Room", arr="Arrival", dep="Departure", guest="Guest",
               res="Confirmation no.", night="Accommodation", bf="Breakfast", dinner="Dinner", drinks="Beverages", park="Parking", tax="City tax",
               tax_note="City tax is not subject to VAT", cols=["Date", "Description", "VAT", "Amount"], excl="Total excl. VAT",
               vat="VAT {r}", total="Total", paid="Paid by {c}", deposit="Deposit", bal="Balance", vat_l="VAT", vtab=["VAT %", "Net", "VAT", "Gross"],
               table="Table", covers="Covers", rest_title="Restaurant invoice", food="Set menu", wine="Bottle of wine"),
}


def make_hotel(rng, k):
    buyer = make_buyer(rng)
    cc = buyer["cc"] if rng.random() < 0.7 else ("NL" if buyer["cc"] == "BE" else "BE")
    lang = lang_for(rng, cc, en=0.25)
    L = HOTEL[lang]
    restaurant = rng.random() < 0.3
    name = (rng.choice(["Hotel De Zwaan", "Hôtel du Parc", "Hotel Centraal", "Grand Hotel Leie", "Hotel Am Wasser", "Hotel Zeezicht"]) if not restaurant
            else rng.choice(["Restaurant De Vijf Zinnen", "Brasserie L'Écluse", "Restaurant Het Pakhuis"]))
    seller = company(rng, cc, name + rng.choice([" BV", " NV", " SA", " B.V."]))
    credit = k % 7 == 6
    lodging, food, drink = (6, 12, 21) if cc == "BE" else (9, 9, 21)
    arrival = date(2024, 1, 1) + timedelta(days=rng.randint(0, 630))
    nights = rng.randint(1, 4)
    dep = arrival + timedelta(days=nights)
    issue = dep if not restaurant else arrival
    ds = rng.choice(["dmy/", "dmy.", "dmy-"])
    D = lambda d: fmt_date(d, ds, "en")  # noqa: E731
    mstyle = rng.choice(["plain", "pre", "post"])
    A = lambda x: money(x, mstyle)  # noqa: E731
    items, city_tax = [], Decimal(0)
    if restaurant:
        cov = rng.randint(2, 8)
        items.append((issue, f"{L['food']} x {cov}", food, q(Decimal(rng.choice([32, 39, 45, 55])) * cov)))
        items.append((issue, L["drinks"], drink, q(Decimal(rng.randint(20, 140)))))
        if rng.random() < 0.5:
            items.append((issue, L["wine"], drink, q(Decimal(rng.choice([28, 34, 42])))))
    else:
        rate = Decimal(rng.choice([89, 105, 119, 135, 149]))
        for i in range(nights):
            d = arrival + timedelta(days=i)
            items.append((d, f"{L['night']} {L['room']} {rng.randint(101, 420) if i == 0 else items[0][1].split()[-1]}", lodging, rate))
            if rng.random() < 0.6:
                items.append((d + timedelta(days=1), L["bf"], food if cc == "BE" and rng.random() < 0.5 else lodging, Decimal(rng.choice([18, 22, 25]))))
        if rng.random() < 0.5:
            items.append((arrival, L["dinner"], food, q(Decimal(rng.randint(30, 95)))))
            items.append((arrival, L["drinks"], drink, q(Decimal(rng.randint(8, 45)))))
        if rng.random() < 0.4:
            items.append((arrival, L["park"], 21, Decimal(rng.choice([15, 20, 25])) * nights))
        city_tax = q(Decimal(rng.choice(["2.50", "4.00", "5.00", "7.50"])) * nights)
    # Prices are VAT-inclusive; the folio shows the base per rate.
    by = {}
    for _, _, r, inc in items:
        by[r] = by.get(r, Decimal(0)) + inc
    vt = {r: (inc - q(inc * r / (100 + r)), q(inc * r / (100 + r)), inc) for r, inc in sorted(by.items())}
    vat = sum(v[1] for v in vt.values())
    sub = sum(v[0] for v in vt.values())
    total = sum(i[3] for i in items) + city_tax
    if credit:
        items, city_tax = items[:1], Decimal(0)
        inc = items[0][3]
        r = items[0][2]
        vt = {r: (inc - q(inc * r / (100 + r)), q(inc * r / (100 + r)), inc)}
        vat, sub, total = vt[r][1], vt[r][0], inc
    n = rng.choice([f"{rng.randint(100000, 999999)}", f"{issue.year}/{rng.randint(1000, 9999)}", f"INV{rng.randint(10000, 99999)}"])
    folio = f"{rng.randint(10000, 99999)}"
    card = rng.choice(["Visa", "Mastercard", "Bancontact", "American Express", "Maestro"])
    paid_mode = "none" if credit else rng.choice(["card", "card", "deposit", "open"])
    deposit = q(total * Decimal("0.5")) if paid_mode == "deposit" else Decimal(0)
    flow = []
    hdr_r = [f"{L['no']}: {n}", f"{L['date']}: {D(issue)}"]
    if not restaurant:
        hdr_r += [f"{L['folio']}: {folio}", f"{L['room']}: {items[0][1].split()[-1]}", f"{L['arr']}: {D(arrival)}", f"{L['dep']}: {D(dep)}",
                  f"{L['res']}: {digits(rng, 8, '3')}"]
    else:
        hdr_r += [f"{L['table']} {rng.randint(1, 30)} – {L['covers']} {len(items)}"]
    rng.shuffle(hdr_r) if rng.random() < 0.3 else None
    title = (("Creditnota" if lang == "nl" else "Note de crédit" if lang == "fr" else "Credit note") if credit else
             (L["rest_title"] if restaurant else L["title"]))
    guest = rng.choice(PEOPLE)
    seller_block = [seller["name"], seller["street"], seller["city"], f"{L['vat_l']} {vat_print(seller['vat'], rng)}"]
    layout = rng.choice(["classic", "banner"])
    if layout == "banner":
        flow.append(("p", name.upper(), dict(size=18, bold=True, align="c")))
        flow.append(("p", " – ".join(seller_block), dict(size=8, align="c")))
        flow.append(("hr",))
        flow.append(("cols", [buyer["name"], f"{L['guest']}: {guest}" if not restaurant else buyer["street"], buyer["street"] if not restaurant else buyer["city"],
                              buyer["city"] if not restaurant else f"{L['vat_l']} {vat_print(buyer['vat'], rng)}"] + ([f"{L['vat_l']} {vat_print(buyer['vat'], rng)}"] if not restaurant else []),
                     [title] + hdr_r))
    else:
        flow.append(("cols", seller_block, [title] + hdr_r))
        flow.append(("p", "\n".join([buyer["name"], f"Attn. {guest}", buyer["street"], buyer["city"], f"{L['vat_l']} {vat_print(buyer['vat'], rng)}"])))
    rows = [L["cols"]]
    for d, desc, r, inc in items:
        rows.append([D(d), desc, f"{r}%", A(inc)])
    if city_tax:
        rows.append([D(arrival), L["tax"] + f" ({nights} x {num(city_tax / nights)})", "–", A(city_tax)])
    bold = set()
    rows.append(["", L["total"], "", A(total)]); bold.add(len(rows) - 1)
    if paid_mode == "card":
        rows.append([D(issue), L["paid"].format(c=card), "", A(-total)])
        rows.append(["", L["bal"], "", A(Decimal(0))]); bold.add(len(rows) - 1)
    elif paid_mode == "deposit":
        rows.append([D(arrival - timedelta(days=14)), L["deposit"], "", A(-deposit)])
        rows.append(["", L["bal"], "", A(total - deposit)]); bold.add(len(rows) - 1)
    flow.append(("table", rows, [16, 56, 10, 18], ["l", "l", "r", "r"], dict(head=True, bold=bold, grid=rng.random() < 0.3)))
    vrows = [L["vtab"]] + [[f"{r}%", A(b), A(v), A(i)] for r, (b, v, i) in vt.items()]
    show_sum = rng.random() < 0.6
    if show_sum:
        vrows.append([L["total"], A(sub), A(vat), A(sub + vat)])
    flow.append(("table", vrows, [20, 27, 26, 27], ["l", "r", "r", "r"], dict(head=True, width=60, bold={len(vrows) - 1} if show_sum else set())))
    if city_tax:
        flow.append(("p", L["tax_note"], dict(size=8)))
    if paid_mode == "open" or paid_mode == "deposit":
        flow.append(("p", f"IBAN {iban_print(seller['iban'])} – BIC {seller['bic']}", dict(size=8.5)))
    flow.append(("p", {"nl": "Bedankt voor uw verblijf.", "fr": "Merci de votre visite.", "en": "Thank you for staying with us."}[lang], dict(size=8.5, align="c")))
    truth = dict(invoice_number=n, issue_date=issue.isoformat(), currency="EUR", vat_amount=str(vat), total=str(total), seller_name=seller["name"],
                 seller_vat=seller["vat"], buyer_name=buyer["name"], kind="credit_note" if credit else "invoice", lines=len(items) + (1 if city_tax else 0))
    if show_sum:
        truth["subtotal"] = str(sub)
    if paid_mode == "card":
        truth["amount_due"] = "0.00"
    elif paid_mode == "deposit":
        truth["amount_due"] = str(total - deposit)
    if paid_mode in ("open", "deposit"):
        truth["iban"] = seller["iban"]
    return flow, truth, own_of(buyer), dict(layout=("restaurant-" if restaurant else "folio-") + layout, language=lang, country=cc)


# ---------------------------------------------------------------------------------------------
# market: marketplace and webshop invoices.

MARKET = {
    "nl": dict(title="Factuur", title_c="Creditfactuur", no="Factuurnummer", date="Factuurdatum", order="Bestelnummer", odate="Besteldatum",
               sold="Verkocht door", via="via {m}", bill="Factuuradres", ship="Afleveradres", cols=["Artikel", "Aantal", "Prijs excl. btw", "Btw", "Totaal excl. btw"],
               shipping="Verzendkosten", excl="Totaal excl. btw", vat="Btw {r}", incl="Totaal incl. btw", paid="Betaald met {p}", open="Nog te betalen",
               rc="Btw verlegd – intracommunautaire levering (art. 138 Richtlijn 2006/112/EG)", vat_l="Btw-nummer", cust_vat="Btw-nummer klant"),
    "fr": dict(title="Facture", title_c="Facture d'avoir", no="Numéro de facture", date="Date de facture", order="Numéro de commande", odate="Date de commande",
               sold="Vendu par", via="via {m}", bill="Adresse de facturation", ship="Adresse de livraison", cols=["Article", "Qté", "Prix HT", "TVA", "Total HT"],
               shipping="Frais de livraison", excl="Total HT", vat="TVA {r}", incl="Total TTC", paid="Payé par {p}", open="Reste à payer",
               rc="Autoliquidation – livraison intracommunautaire exonérée (art. 138 directive 2006/112/CE)", vat_l="N° TVA", cust_vat="N° TVA client"),
    "de": dict(title="Rechnung", title_c="Gutschrift", no="Rechnungsnummer", date="Rechnungsdatum", order="Bestellnummer", odate="Bestelldatum",
               sold="Verkauft von", via="über {m}", bill="Rechnungsadresse", ship="Lieferadresse", cols=["Artikel", "Menge", "Stückpreis netto", "USt.", "Netto"],
               shipping="Versandkosten", excl="Summe netto", vat="USt. {r}", incl="Rechnungsbetrag", paid="Bezahlt per {p}", open="Offener Betrag",
               rc="Steuerschuldnerschaft des Leistungsempfängers – innergemeinschaftliche Lieferung", vat_l="USt-IdNr.", cust_vat="USt-IdNr. Kunde"),
    "en": dict(title="Invoice", title_c="Credit note", no="Invoice number", date="Invoice date", order="Order number", odate="Order date",
               sold="Sold by", via="via {m}", bill="Billing address", ship="Delivery address", cols=["Item", "Qty", "Unit price (excl. VAT)", "VAT", "Net"],
               shipping="Shipping", excl="Total excl. VAT", vat="VAT {r}", incl="Total incl. VAT", paid="Paid by {p}", open="Amount due",
               rc="Reverse charge – intra-Community supply, VAT to be accounted for by the customer", vat_l="VAT number", cust_vat="Customer VAT number"),
}
MARKETS = [("bolplein", "Winkelplein.nl", "NL"), ("blauwwinkel", "Blauwwinkel B.V.", "NL"), ("amazone", "Amazonia EU S.à r.l.", "LU"),
           ("zalander", "Modeland SE", "DE"), ("alimarkt", "GlobalMart Europe B.V.", "NL")]
ARTICLES = ["USB-C dock 8-in-1", "Bureaustoel ergonomisch", "Monitor 27\" 4K", "Toetsenbord draadloos", "Werkschoenen S3 maat 43", "Koffiemachine",
            "Labelprinter", "Verlengkabel 5 m", "Bedrijfsjas fleece", "Router Wi-Fi 6", "LED-paneel 60x60", "Printerpapier 5x500"]


def make_market(rng, k):
    buyer = make_buyer(rng)
    style, mname, mcc = rng.choice(MARKETS)
    credit = k % 7 == 1
    rc = not credit and rng.random() < 0.2
    third = style in ("bolplein", "amazone", "alimarkt") and rng.random() < 0.6
    if rc:
        scc = rng.choice(["DE", "FR"])
        lang = "de" if scc == "DE" else "fr"
        seller = dict(name=rng.choice(["Technikhandel Berger GmbH", "Büroprofi Schmidt GmbH"]) if scc == "DE" else rng.choice(["Distri Bureau SAS", "Équipements Martin SARL"]),
                      street="Hauptstraße 8" if scc == "DE" else "12 rue des Lilas", city="50667 Köln" if scc == "DE" else "59000 Lille",
                      vat=vat_de(rng) if scc == "DE" else vat_fr(rng), iban=None)
    elif third:
        scc = rng.choice(["NL", "BE"])
        lang = "nl" if buyer["cc"] == "NL" or rng.random() < 0.6 else "fr"
        seller = company(rng, scc, rng.choice(["Gadgetshop Online", "ProTools Benelux", "HomeOffice Direct", "Kabelwinkel", "Veiligheidsschoenen.com"]) + rng.choice([" B.V.", " BV", " VOF"]))
    else:
        scc = mcc
        lang = {"LU": rng.choice(["nl", "fr", "de", "en"]), "DE": rng.choice(["nl", "de"]), "NL": "nl" if buyer["cc"] == "NL" or rng.random() < 0.6 else "fr"}[mcc]
        vat = vat_nl(rng) if mcc == "NL" else vat_de(rng) if mcc == "DE" else "LU" + (lambda b: b + f"{int(b) % 89:02d}")(digits(rng, 6, "2"))
        seller = dict(name=mname, street={"NL": "Westerdoksdijk 40", "DE": "Valeska-Gert-Str. 5", "LU": "38 avenue John F. Kennedy"}[mcc],
                      city={"NL": "1013 AE Amsterdam", "DE": "10243 Berlin", "LU": "L-1855 Luxembourg"}[mcc], vat=vat, iban=None)
    L = MARKET[lang]
    issue = date(2024, 1, 1) + timedelta(days=rng.randint(0, 640))
    odate = issue - timedelta(days=rng.randint(0, 3))
    rate = 21 if buyer["cc"] in ("BE", "NL") else 21
    lines = [line(a, rng.choice([1, 1, 2, 3, 5]), Decimal(rng.randint(499, 39900)) / 100, 0 if rc else rate) for a in rng.sample(ARTICLES, k=rng.randint(1, 4))]
    if rng.random() < 0.5 and not credit:
        lines.append(line(L["shipping"], 1, Decimal(rng.choice(["4.95", "6.99", "0.00", "12.50"])) / Decimal("1.21"), 0 if rc else rate))
    if credit:
        lines = lines[:1]
    by = vat_for(lines)
    sub = sum(l["net"] for l in lines)
    vat = sum(v for _, v in by.values())
    total = sub + vat
    n = rng.choice([f"{rng.choice(['NL', 'BE', 'DE', 'FR'])}{digits(rng, 2)}{rng.choice('ABCDEFGH')}{digits(rng, 9)}", f"{digits(rng, 10, '5')}", f"INV-{issue.year}-{digits(rng, 6)}",
                    f"{issue.year}{digits(rng, 6)}"])
    order = rng.choice([f"{digits(rng, 3)}-{digits(rng, 7)}-{digits(rng, 7)}", f"{digits(rng, 10, '1')}", f"A{digits(rng, 9)}", f"{digits(rng, 16, '8')}"])
    ds = rng.choice(["dmy-", "dmy.", "long", "dmy/"])
    D = lambda d: ddate(d, lang, ds)  # noqa: E731
    mstyle = rng.choice(["pre", "post", "tight"])
    A = lambda x: money(x, mstyle)  # noqa: E731
    pay = rng.choice(["iDEAL", "Bancontact", "Visa", "PayPal", "Klarna", "transfer"])
    flow = []
    brand = mname.split()[0]
    if third:
        flow.append(("p", brand, dict(size=20, bold=True)))
        flow.append(("p", f"{L['sold']}: {seller['name']} {L['via'].format(m=brand)}", dict(size=9)))
    else:
        flow.append(("p", brand, dict(size=20, bold=True)))
    title = L["title_c"] if credit else L["title"]
    meta = [(L["no"], n), (L["date"], D(issue)), (L["order"], order), (L["odate"], D(odate))]
    if rng.random() < 0.5:
        meta[0], meta[2] = meta[2], meta[0]
    sblock = [seller["name"], seller["street"], seller["city"], f"{L['vat_l']}: {vat_print(seller['vat'], rng)}"]
    bblock = [L["bill"], buyer["name"], buyer["street"], buyer["city"]] + ([f"{L['cust_vat']}: {vat_print(buyer['vat'], rng)}"] if rc or rng.random() < 0.6 else [])
    layout = rng.choice(["meta-table", "meta-rows"])
    flow.append(("p", title, dict(size=15, bold=True)))
    if layout == "meta-table":
        flow.append(("table", [[m[0] for m in meta], [m[1] for m in meta]], [25, 25, 25, 25], ["l"] * 4, dict(head=True, grid=True)))
        flow.append(("cols", sblock, bblock))
    else:
        flow.append(("cols", bblock, [f"{a}: {b}" for a, b in meta]))
        flow.append(("p", " · ".join(sblock), dict(size=8)))
    rows = [L["cols"]] + [[l["desc"], qty_s(l["qty"]), A(l["unit"]), f"{l['rate']}%", A(l["net"])] for l in lines]
    flow.append(("table", rows, [44, 8, 18, 10, 20], ["l", "r", "r", "r", "r"], dict(head=True)))
    trows = [[L["excl"], A(sub)]] + [[L["vat"].format(r=f"{r}%"), A(v)] for r, (_, v) in by.items()] + [[L["incl"], A(total)]]
    bold = {len(trows) - 1}
    due_amount = None
    if not credit:
        if pay == "transfer":
            due_amount = total
            trows.append([L["open"], A(total)]); bold.add(len(trows) - 1)
        else:
            trows.append([L["paid"].format(p=pay), A(total)])
            if rng.random() < 0.5:
                due_amount = Decimal(0)
                trows.append([L["open"], A(Decimal(0))]); bold.add(len(trows) - 1)
    flow.append(("table", trows, [60, 40], ["l", "r"], dict(width=45, right=True, bold=bold)))
    if rc:
        flow.append(("p", L["rc"], dict(size=8.5)))
    iban = None
    if not credit and pay == "transfer":
        iban = seller.get("iban") or make_iban(rng, mcc if mcc in ("NL", "LU") else "BE")
        if rc:
            iban = make_iban(rng, "BE")  # a collection account in Belgium
        flow.append(("p", f"IBAN {iban_print(iban)} · {L['no']} {n}", dict(size=8.5)))
    if third:
        flow.append(("p", f"{mname} – {L['vat_l']} {vat_nl(rng) if mcc == 'NL' else 'LU' + digits(rng, 8)} – {L['sold']} {seller['name']}", dict(size=7.5, align="c")))
    truth = dict(invoice_number=n, issue_date=issue.isoformat(), currency="EUR", subtotal=str(sub), vat_amount=str(vat), total=str(total),
                 seller_name=seller["name"], seller_vat=seller["vat"], buyer_name=buyer["name"], kind="credit_note" if credit else "invoice", lines=len(lines))
    if due_amount is not None:
        truth["amount_due"] = str(q(due_amount))
    if iban:
        truth["iban"] = iban
    return flow, truth, own_of(buyer), dict(layout=f"{style}-{'third' if third else 'rc' if rc else 'own'}-{layout}", language=lang, country=buyer["cc"])


# ---------------------------------------------------------------------------------------------
# public: municipalities, water companies, social secretariats, accountants, lawyers.

def make_public(rng, k):
    buyer = make_buyer(rng)
    cc = buyer["cc"]
    fr = cc == "BE" and rng.random() < 0.35
    lang = "fr" if fr else "nl"
    kind = rng.choice(["gemeente", "water", "social", "accountant", "lawyer"])
    credit = k % 7 == 2 and kind in ("social", "accountant", "water")
    city = buyer["city"].split(" ", 1 if cc == "BE" else 2)[-1]
    names = {"gemeente": (f"Gemeente {city}" if not fr else f"Commune de {city}") if cc == "BE" else f"Gemeente {city}",
             "water": rng.choice(["Waterbedrijf Vlaanderen-Midden", "Compagnie des Eaux du Sud", "Waterleiding Noord"]) if cc == "BE" else "Waterbedrijf Oost N.V.",
             "social": rng.choice(["Sociaal Secretariaat Acteon vzw", "Secrétariat social Partenor asbl"] if cc == "BE" else ["Salarisbureau Verloning B.V.", "Loonservice Holland B.V."]),
             "accountant": rng.choice(["Boekhoudkantoor Declercq & Partners BV", "Fiduciaire Lemaire SRL"] if cc == "BE" else ["Administratiekantoor Jansen B.V.", "Accountantskantoor De Boer"]),
             "lawyer": rng.choice(["Advocatenkantoor Van Hove", "Cabinet d'avocats Dumont", "Meester Ellen Goossens, advocaat"] if cc == "BE" else ["Advocatenkantoor Mulder & Visser", "Mr. J. de Groot, advocaat"])}
    seller = company(rng, cc, names[kind])
    issue = date(2024, 1, 1) + timedelta(days=rng.randint(0, 640))
    due = issue + timedelta(days=rng.choice([30, 30, 45, 14]))
    ds = rng.choice(["dmy/", "dmy-", "long"])
    D = lambda d: ddate(d, lang, ds)  # noqa: E731
    mstyle = rng.choice(["pre", "plain", "post"])
    A = lambda x: money(x, mstyle)  # noqa: E731
    t = lambda nl, f: f if fr else nl  # noqa: E731
    vat_exempt = False
    if kind == "gemeente":
        title = t("Factuur", "Facture") if rng.random() < 0.6 else t("Retributie – aanslagbiljet", "Redevance – facture")
        lines = [line(rng.choice([t("Retributie inname openbaar domein", "Redevance occupation du domaine public"), t("Huur zaal ontmoetingscentrum", "Location salle communale"),
                                  t("Afvalophaling bedrijfsafval", "Collecte déchets commerciaux"), t("Plaatsing terras", "Installation terrasse")]),
                      rng.choice([1, 2, 12, 30]), rng.choice([15, 25, 45, 120]), 0)]
        vat_exempt = True
    elif kind == "water":
        title = t("Waterfactuur", "Facture d'eau") if not credit else t("Creditnota", "Note de crédit")
        m3 = rng.randint(20, 180)
        wr = 6 if cc == "BE" else 9
        lines = [line(t("Vastrecht drinkwater", "Redevance fixe"), 1, Decimal(rng.randint(3000, 6000)) / 100, wr),
                 line(t(f"Verbruik {m3} m³", f"Consommation {m3} m³"), m3, Decimal(rng.randint(190, 290)) / 100, wr),
                 line(t("Bijdrage saneringskosten", "Contribution assainissement") if cc == "BE" else "Vastrecht afvoer", m3, Decimal(rng.randint(150, 260)) / 100, wr)]
    elif kind == "social":
        title = t("Factuur", "Facture") if not credit else t("Creditnota", "Note de crédit")
        nw = rng.randint(1, 12)
        lines = [line(t(f"Loonberekening {nw} werknemers", f"Calcul des salaires {nw} travailleurs"), nw, Decimal(rng.randint(1800, 3400)) / 100, 21),
                 line(t("Aangifte DmfA kwartaal", "Déclaration DmfA trimestrielle"), 1, Decimal(rng.randint(2500, 6000)) / 100, 21),
                 line(t("Dimona-aangiftes", "Déclarations Dimona"), rng.randint(1, 5), Decimal("4.50"), 21)]
    elif kind == "accountant":
        title = t("Ereloonnota", "Note d'honoraires") if not credit else t("Creditnota", "Note de crédit")
        lines = [line(t("Erelonen boekhouding kwartaal", "Honoraires tenue de la comptabilité trimestre"), 1, Decimal(rng.randint(450, 1800)), 21),
                 line(t("Btw-aangifte", "Déclaration TVA"), rng.randint(1, 3), Decimal(rng.randint(60, 150)), 21)]
        if rng.random() < 0.5:
            lines.append(line(t("Administratiekosten", "Frais administratifs"), 1, Decimal(rng.randint(20, 80)), 21))
    else:
        title = t("Staat van kosten en erelonen", "État de frais et honoraires")
        h = Decimal(rng.choice([2, 3.5, 4, 6.5, 8]))
        lines = [line(t(f"Erelonen: {qty_s(h)} uur à € 125,00", f"Honoraires : {qty_s(h)} heures à 125,00 €"), h, 125, 21),
                 line(t("Forfaitaire kantoorkosten 7%", "Frais de bureau forfaitaires 7%"), 1, q(h * 125 * Decimal("0.07")), 21),
                 line(t("Verplaatsingskosten", "Frais de déplacement"), 1, Decimal(rng.randint(15, 60)), 21)]
    if credit:
        lines = lines[:1]
    by = vat_for(lines)
    sub = sum(l["net"] for l in lines)
    vat = sum(v for _, v in by.values())
    disb = Decimal(0)
    if kind == "lawyer":
        disb = Decimal(rng.choice(["50.00", "100.00", "165.00", "24.00"]))  # court fees, not subject to VAT
    total = sub + vat + disb
    provision = q(total * Decimal("0.4")) if kind == "lawyer" and rng.random() < 0.5 else Decimal(0)
    n = rng.choice([f"{issue.year}/{rng.randint(1, 9999):05d}", f"{rng.randint(100000000, 999999999)}", f"{issue.year % 100}{rng.randint(1000, 9999)}", f"VF{issue.year}-{rng.randint(100, 9999)}"])
    comm = ogm(rng) if cc == "BE" else kenmerk(rng)
    cust = digits(rng, 7, "3")
    flow = []
    ident = f"{t('Ondernemingsnummer', 'Numéro d’entreprise')} {seller['vat'][2:6]}.{seller['vat'][6:9]}.{seller['vat'][9:]}" if (kind == "gemeente" and cc == "BE") else f"{t('Btw', 'TVA')} {vat_print(seller['vat'], rng)}"
    flow.append(("cols", [seller["name"], seller["street"], seller["city"], ident], [] if rng.random() < 0.5 else [t("Contact", "Contact"), f"{kind}@{city.lower()}.{cc.lower()}"]))
    addr = [buyer["name"], buyer["street"], buyer["city"]] + ([f"{t('Btw', 'TVA')} {vat_print(buyer['vat'], rng)}"] if rng.random() < 0.7 else [])
    flow.append(("p", "\n".join(addr), dict(align="r" if rng.random() < 0.5 else "l")))
    flow.append(("p", title, dict(size=14, bold=True)))
    meta = [(t("Nummer", "Numéro") if kind != "gemeente" else t("Factuurnummer", "Numéro de facture"), n), (t("Datum", "Date"), D(issue)),
            (t("Klantnummer", "Numéro client") if kind != "lawyer" else t("Dossier", "Dossier"), cust if kind != "lawyer" else f"{issue.year}/{rng.randint(10, 999)} – {buyer['name'].split()[0]}")]
    if kind == "water":
        meta.append((t("Verbruiksperiode", "Période"), f"{D(issue - timedelta(days=365))} – {D(issue - timedelta(days=5))}"))
        meta.append((t("EAN", "EAN"), "54" + digits(rng, 16)))
    if not credit:
        meta.append((t("Vervaldatum", "Échéance") if rng.random() < 0.5 else t("Te betalen vóór", "À payer avant le"), D(due)))
    flow.append(("table", [[a, b] for a, b in meta], [35, 65], ["l", "l"], dict(width=70)))
    rows = [[t("Omschrijving", "Description"), t("Aantal", "Quantité"), t("Prijs", "Prix"), t("Btw", "TVA"), t("Bedrag", "Montant")]]
    rows += [[l["desc"], qty_s(l["qty"]), A(l["unit"]), t("vrij", "exonéré") if vat_exempt else f"{l['rate']}%", A(l["net"])] for l in lines]
    flow.append(("table", rows, [46, 10, 16, 10, 18], ["l", "r", "r", "r", "r"], dict(head=True, grid=kind in ("gemeente", "water"))))
    trows = []
    if vat_exempt:
        trows.append([t("Totaal", "Total"), A(total)])
    else:
        trows.append([t("Totaal excl. btw", "Total hors TVA") if kind != "lawyer" else t("Totaal erelonen en kosten", "Total honoraires et frais"), A(sub)])
        trows += [[t(f"Btw {r}%", f"TVA {r}%"), A(v)] for r, (_, v) in by.items()]
        if disb:
            trows.append([t("Gerechtskosten (rolrecht, niet onderworpen aan btw)", "Frais de justice (droit de mise au rôle, hors TVA)"), A(disb)])
        trows.append([t("Totaal", "Total") if kind != "water" else t("Totaal te betalen", "Total à payer"), A(total)])
    bold = {len(trows) - 1}
    if provision:
        trows.append([t("Reeds betaalde provisie", "Provision déjà versée"), A(-provision)])
        trows.append([t("Saldo te betalen", "Solde à payer"), A(total - provision)]); bold.add(len(trows) - 1)
    flow.append(("table", trows, [68, 32], ["l", "r"], dict(width=55, right=True, bold=bold)))
    if vat_exempt:
        flow.append(("p", t("Niet onderworpen aan btw (art. 6 Btw-wetboek).", "Non assujetti à la TVA (art. 6 du Code TVA)."), dict(size=8.5)))
    if not credit:
        payline = (t("Gelieve {a} te betalen op rekening {i} met mededeling {c} vóór {d}.", "Veuillez payer {a} sur le compte {i} avec la communication {c} avant le {d}.")
                   if cc == "BE" else "Wij verzoeken u {a} vóór {d} over te maken op {i} onder vermelding van betalingskenmerk {c}.")
        flow.append(("p", payline.format(a=A(total - provision), i=iban_print(seller["iban"]), c=comm, d=D(due))))
    else:
        flow.append(("p", t("Dit bedrag wordt verrekend met uw volgende factuur.", "Ce montant sera déduit de votre prochaine facture.")))
    truth = dict(invoice_number=n, issue_date=issue.isoformat(), currency="EUR", total=str(total), seller_name=seller["name"],
                 buyer_name=buyer["name"], kind="credit_note" if credit else "invoice", lines=len(lines))
    if not vat_exempt:
        truth.update(subtotal=str(sub), vat_amount=str(vat))
    if not (kind == "gemeente" and cc == "BE"):
        truth["seller_vat"] = seller["vat"]
    if not credit:
        truth["due_date"] = due.isoformat()
        truth["iban"] = seller["iban"]
    if provision:
        truth["amount_due"] = str(total - provision)
    return flow, truth, own_of(buyer), dict(layout=kind, language=lang, country=cc)


MAKERS = dict(letter=make_letter, sheet=make_sheet, receipt=make_receipt, hotel=make_hotel, market=make_market, public=make_public)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=14, help="documents per family")
    ap.add_argument("--seed", type=int, default=130)
    ap.add_argument("--families", default=",".join(FAMILIES))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-smb-")
    try:
        for family in args.families.split(","):
            fi = FAMILIES.index(family)
            for k in range(args.count):
                rng = random.Random(hashlib.sha256(f"{args.seed}-{family}-{k}".encode()).hexdigest())
                flow, truth, own, meta = MAKERS[family](rng, k)
                for key in ("subtotal", "vat_amount", "total", "amount_due"):
                    if key in truth:
                        truth[key] = str(q(Decimal(truth[key])))
                producer = PRODUCER_CYCLE[(k // 2 + fi) % len(PRODUCER_CYCLE)]
                page = meta.pop("page", "A4")
                if page == "receipt" and producer == "libreoffice":
                    producer = "fpdf"  # Writer's HTML import keeps A4 pages
                doc_id = f"{family}-{k:02d}"
                out = os.path.join(args.out, doc_id + ".pdf")
                if producer in ("chromium", "libreoffice"):
                    h = to_html(flow, rng, page, lang=meta["language"])
                    (render_chromium if producer == "chromium" else render_libreoffice)(h, out, tmp)
                else:
                    draw(flow, out, producer, rng, page)
                split = "tune" if k % 2 == 0 else "heldout"
                manifest.append(dict(path=f"{doc_id}.pdf", producer=family, family=family, split=split, own=own, truth=truth, renderer=producer, **meta))
                print(f"{doc_id} {producer} {meta['layout']}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    os.makedirs(os.path.join(args.out, "by-renderer"), exist_ok=True)
    by_renderer = [dict(m, path="../" + m["path"], producer=m["renderer"]) for m in manifest]
    with open(os.path.join(args.out, "by-renderer", "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(by_renderer, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
