#!/usr/bin/env python3
"""Blind vendor-style invoice corpus: invoices imitating how specific vendors and platforms print
the invoices a Belgian, Dutch, German or French small business receives.

Written blind (without reading the extractor). Every party, number and text is invented; the
layouts imitate the look of each vendor's documents from general knowledge, no template text or
logo of theirs is used. VAT numbers (BE mod 97, NL 11-test, DE ISO 7064 MOD 11,10, FR SIREN key,
IE mod 23, LU mod 89) and IBANs (mod 97) carry valid check digits.

Usage: vendors.py OUT [--count N] [--seed S] [--styles a,b]
Writes OUT/<renderer>/<style>-NN.pdf and OUT/manifest.json. Even instances are the tuning
half, odd ones held out; instance k of a style is the same whatever --count is.
"""

import argparse
import hashlib
import html
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from decimal import Decimal, ROUND_HALF_UP

D = Decimal
FONT_DIR = "/usr/share/fonts/truetype/dejavu"


def q(x):
    return D(x).quantize(D("0.01"), ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Identifiers with check digits.

def digs(rng, n, first=None):
    s = first if first is not None else ""
    while len(s) < n:
        s += str(rng.randint(0, 9))
    return s


def vat_be(rng):
    body = "0" + digs(rng, 7, str(rng.randint(2, 9)))
    return "BE" + body + "%02d" % (97 - int(body) % 97)


def vat_nl(rng):
    while True:
        b = digs(rng, 8, str(rng.randint(1, 9)))
        c = sum(int(d) * w for d, w in zip(b, range(9, 1, -1))) % 11
        if c < 10:
            return "NL" + b + str(c) + "B0" + str(rng.choice([1, 1, 1, 2]))


def vat_de(rng):
    body = digs(rng, 8, str(rng.randint(1, 9)))
    p = 10
    for c in body:
        s = (int(c) + p) % 10 or 10
        p = (2 * s) % 11
    return "DE" + body + str((11 - p) % 10)


def siren(rng):
    while True:
        b = digs(rng, 8, str(rng.randint(3, 9)))
        for last in range(10):
            s = b + str(last)
            tot = 0
            for i, ch in enumerate(reversed(s)):
                d = int(ch) * (2 if i % 2 else 1)
                tot += d - 9 if d > 9 else d
            if tot % 10 == 0:
                return s


def vat_fr(rng, sir=None):
    sir = sir or siren(rng)
    key = (12 + 3 * (int(sir) % 97)) % 97
    return "FR%02d%s" % (key, sir)


def vat_ie(rng):
    b = digs(rng, 7, str(rng.randint(3, 9)))
    s = sum(int(d) * w for d, w in zip(b, range(8, 1, -1)))
    return "IE" + b + "WABCDEFGHIJKLMNOPQRSTUV"[s % 23]


def vat_lu(rng):
    b = digs(rng, 6, str(rng.randint(1, 9)))
    return "LU" + b + "%02d" % (int(b) % 89)


VAT = {"BE": vat_be, "NL": vat_nl, "DE": vat_de, "FR": vat_fr, "IE": vat_ie, "LU": vat_lu}


def iban(rng, cc):
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if cc == "BE":
        b = digs(rng, 10, str(rng.randint(0, 9)))
        c = int(b) % 97 or 97
        bban = b + "%02d" % c
    elif cc == "NL":
        bban = rng.choice(["INGB", "RABO", "ABNA", "TRIO", "BUNQ", "KNAB"]) + digs(rng, 10, "0")
    elif cc == "DE":
        bban = digs(rng, 18, str(rng.randint(1, 8)))
    elif cc == "FR":
        bank, gui, acc = digs(rng, 5, "3"), digs(rng, 5), digs(rng, 11)
        key = 97 - (89 * int(bank) + 15 * int(gui) + 3 * int(acc)) % 97
        bban = bank + gui + acc + "%02d" % key
    elif cc == "IE":
        bban = rng.choice(["AIBK", "BOFI", "CITI"]) + digs(rng, 14, "9")
    elif cc == "LU":
        bban = digs(rng, 3, "0") + digs(rng, 13)
    elif cc == "GB":
        bban = rng.choice(["BARC", "HSBC", "NWBK"]) + digs(rng, 14, "2")
    else:
        raise ValueError(cc)
    conv = "".join(str(letters.index(ch) + 10) if ch.isalpha() else ch for ch in bban + cc + "00")
    return cc + "%02d" % (98 - int(conv) % 97) + bban


def iban_p(i):
    return " ".join(i[k:k + 4] for k in range(0, len(i), 4))


def vat_p(v, rng, style=None):
    """The VAT number as printed in one of the local ways."""
    style = style if style is not None else rng.randint(0, 2)
    cc, body = v[:2], v[2:]
    if style == 0:
        return v
    if cc == "BE":
        return ["BE", "BE ", "BE "][style] + (body if style == 1 else f"{body[:4]}.{body[4:7]}.{body[7:]}")
    if cc == "NL" and style == 2:
        return f"NL{body[:4]}.{body[4:6]}.{body[6:9]}.{body[9:]}"
    if cc == "FR" and style == 2:
        return f"FR {body[:2]} {body[2:5]} {body[5:8]} {body[8:]}"
    return cc + " " + body


def ogm(rng):
    b = digs(rng, 10)
    c = int(b) % 97 or 97
    s = b + "%02d" % c
    return f"+++{s[:3]}/{s[3:7]}/{s[7:]}+++"


def kenmerk(rng):
    b = digs(rng, 15, str(rng.randint(1, 9)))
    w = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1]
    s = sum(int(d) * w[i % 10] for i, d in enumerate(reversed(b)))
    c = 11 - s % 11
    c = 0 if c == 11 else (1 if c == 10 else c)
    s = str(c) + b
    return " ".join(s[k:k + 4] for k in range(0, 16, 4))


# ---------------------------------------------------------------------------------------------
# Numbers, money and dates as printed.

MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "en": "January February March April May June July August September October November December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
}
SYM = {"EUR": "€", "USD": "$", "GBP": "£"}


class Fmt:
    """Per-document number, money and date notation."""

    def __init__(self, lang, cur="EUR", money="", date_style="", neg="-"):
        self.lang, self.cur = lang, cur
        self.dec = "." if lang == "en" else ","
        self.grp = {"en": ",", "nl": ".", "de": ".", "fr": "\u00a0"}[lang]
        self.money_style = money or {"en": "sym", "nl": "sym_sp", "de": "post", "fr": "post"}[lang]
        self.date_style = date_style or {"en": "long", "nl": "dash", "de": "dot", "fr": "slash"}[lang]
        self.neg = neg

    def n(self, x, grp=True):
        x = q(x)
        s = f"{abs(x):,.2f}"
        ip, fp = s.split(".")
        ip = ip.replace(",", self.grp if grp else "")
        return ("-" if x < 0 else "") + ip + self.dec + fp

    def m(self, x):
        x = q(x)
        s = self.n(abs(x))
        sym = SYM.get(self.cur, self.cur)
        st = self.money_style
        if st == "sym":
            r = sym + s
        elif st == "sym_sp":
            r = sym + " " + s
        elif st == "post":
            r = s + " " + sym
        elif st == "code":
            r = self.cur + " " + s
        elif st == "code_post":
            r = s + " " + self.cur
        elif st == "bare":
            r = s
        else:
            raise ValueError(st)
        if x < 0:
            r = ("-" + r) if st in ("sym", "code", "bare") else ("- " + r if st == "sym_sp" else "-" + r)
        return r

    def m4(self, x):
        """A unit price with four decimals when it has them."""
        x = D(x)
        if x == q(x):
            return self.m(x)
        s2 = self.m(q(x))
        return s2.replace(self.n(q(x)), self.n(q(x))[:-3] + self.dec + f"{x:.4f}".split(".")[1])

    def d(self, d, style=None):
        st = style or self.date_style
        mon = MONTHS[self.lang][d.month - 1]
        if st == "long":
            return f"{d.day} {mon} {d.year}" if self.lang != "de" else f"{d.day}. {mon} {d.year}"
        if st == "us":
            return f"{MONTHS['en'][d.month - 1][:3]} {d.day}, {d.year}"
        if st == "short":
            return f"{d.day} {mon[:3]} {d.year}"
        if st == "dash":
            return d.strftime("%d-%m-%Y")
        if st == "dot":
            return d.strftime("%d.%m.%Y")
        if st == "slash":
            return d.strftime("%d/%m/%Y")
        if st == "iso":
            return d.isoformat()
        raise ValueError(st)

    def pct(self, r):
        r = D(str(r))
        s = f"{r.normalize():f}"
        return (s.replace(".", ",") if self.dec == "," else s) + "%"

    def pct_sp(self, r):
        p = self.pct(r)
        return p[:-1] + ("\u00a0%" if self.lang in ("fr", "de") else "%")


def qty_s(x, f):
    x = D(str(x))
    if x == x.to_integral():
        return str(int(x))
    s = f"{x.normalize():f}"
    return s.replace(".", f.dec)


# ---------------------------------------------------------------------------------------------
# Money model.

class Item:
    def __init__(self, desc, qty, unit, rate, gross=False, extra=None):
        self.desc, self.qty, self.unit, self.rate = desc, D(str(qty)), D(str(unit)), D(str(rate))
        self.amount = q(self.qty * self.unit)
        self.gross = gross
        self.extra = extra or {}


def totals_net(items):
    """Items priced excl. VAT: VAT per rate on the rate's base."""
    groups = {}
    for it in items:
        groups.setdefault(it.rate, D("0"))
        groups[it.rate] += it.amount
    rows = []
    for r in sorted(groups, reverse=True):
        base = groups[r]
        rows.append((r, base, q(base * r / 100)))
    sub = sum((b for _, b, _ in rows), D("0"))
    vat = sum((v for _, _, v in rows), D("0"))
    return dict(rows=rows, sub=q(sub), vat=q(vat), total=q(sub + vat))


def totals_gross(items):
    """Items priced incl. VAT: the VAT drawn out of each rate's gross sum."""
    groups = {}
    for it in items:
        groups.setdefault(it.rate, D("0"))
        groups[it.rate] += it.amount
    rows = []
    for r in sorted(groups, reverse=True):
        g = groups[r]
        v = q(g * r / (100 + r))
        rows.append((r, q(g - v), v))
    sub = sum((b for _, b, _ in rows), D("0"))
    vat = sum((v for _, _, v in rows), D("0"))
    return dict(rows=rows, sub=q(sub), vat=q(vat), total=q(sub + vat))


def money_s(x):
    return str(q(abs(D(x))))


# ---------------------------------------------------------------------------------------------
# Parties (all invented).

CITIES = {
    "BE": [("9000", "Gent"), ("2000", "Antwerpen"), ("3000", "Leuven"), ("8000", "Brugge"), ("1050", "Ixelles"),
           ("4000", "Liège"), ("5000", "Namur"), ("2800", "Mechelen"), ("3500", "Hasselt"), ("7000", "Mons")],
    "NL": [("3511 AB", "Utrecht"), ("1017 CD", "Amsterdam"), ("5611 EF", "Eindhoven"), ("9711 GH", "Groningen"),
           ("2511 JK", "Den Haag"), ("6811 LM", "Arnhem"), ("3011 NP", "Rotterdam"), ("4811 RS", "Breda")],
    "DE": [("50667", "Köln"), ("10115", "Berlin"), ("80331", "München"), ("20095", "Hamburg"), ("04109", "Leipzig"),
           ("91541", "Rothenburg"), ("90402", "Nürnberg"), ("60311", "Frankfurt am Main")],
    "FR": [("69002", "Lyon"), ("75011", "Paris"), ("59000", "Lille"), ("33000", "Bordeaux"), ("44000", "Nantes"),
           ("67000", "Strasbourg"), ("31000", "Toulouse"), ("13001", "Marseille")],
    "IE": [("D02 X285", "Dublin 2"), ("D04 K7F2", "Dublin 4"), ("D01 R2P9", "Dublin 1")],
    "LU": [("L-1855", "Luxembourg"), ("L-2453", "Luxembourg"), ("L-1246", "Luxembourg")],
    "GB": [("EC2A 4BX", "London"), ("M1 3HU", "Manchester")],
}
STREETS = {
    "BE": ["Kortrijksesteenweg", "Rue de la Loi", "Meir", "Bondgenotenlaan", "Chaussée de Louvain", "Stationsstraat",
           "Rue Saint-Gilles", "Industrieweg", "Kouter", "Avenue Louise"],
    "NL": ["Oudegracht", "Keizersgracht", "Stationsplein", "Herengracht", "Vestdijk", "Coolsingel", "Ginnekenweg",
           "Industrieweg", "Lange Voorhout"],
    "DE": ["Industriestraße", "Hauptstraße", "Am Hafen", "Schillerstraße", "Gutenbergring", "Bahnhofstraße",
           "Lindenallee", "Kaiserstraße"],
    "FR": ["rue de la République", "boulevard Voltaire", "avenue Jean Jaurès", "rue Nationale", "quai des Chartrons",
           "rue du Faubourg Saint-Antoine", "allée des Tilleuls"],
    "IE": ["Barrow Street", "Grand Canal Quay", "Sir John Rogerson's Quay", "Hanover Quay"],
    "LU": ["Rue Plaetis", "Avenue John F. Kennedy", "Boulevard Royal"],
    "GB": ["Old Street", "Deansgate"],
}


def address(rng, cc):
    pc, city = rng.choice(CITIES[cc])
    st = rng.choice(STREETS[cc])
    no = rng.randint(1, 240)
    line1 = f"{no} {st}" if cc in ("FR", "IE", "GB") or st.startswith(("Rue", "Avenue", "Chaussée", "Boulevard")) else f"{st} {no}"
    country = {"BE": "Belgium", "NL": "Netherlands", "DE": "Germany", "FR": "France", "IE": "Ireland",
               "LU": "Luxembourg", "GB": "United Kingdom"}[cc]
    return [line1, f"{pc} {city}"], country, city


BUYER_NAMES = {
    "BE": ["Bakkerij Verhoeven BV", "Studio Lumen BV", "Atelier Dumont SRL", "Van Acker Technics BV", "Brasserie Het Anker BV",
           "Dewaele Architecten BV", "Comptoir Lambert SRL", "Groendienst Peeters BV", "Boekhandel De Uil BV",
           "Kinésithérapie Renard SRL", "Pixelwerf BV", "Fietsatelier Claes BV", "Maes & Wouters Advocaten BV",
           "Imprimerie Delvaux SA", "Hoeve Ter Linde BV"],
    "NL": ["Tandartspraktijk Zuid B.V.", "Koffiebranderij De Boon B.V.", "Van der Meer Installaties B.V.",
           "Bureau Noordlicht B.V.", "Fietsenmakerij Jansen", "Bloemist Het Klaverblad B.V.", "Kraan Logistiek B.V.",
           "Webstudio Dijkstra B.V.", "Praktijk Visser Fysiotherapie", "De Groene Zaak B.V.", "Timmerbedrijf Bakker V.O.F."],
    "DE": ["Schreinerei Keller GmbH", "Müller & Söhne Elektrotechnik GmbH", "Praxis Dr. Weber", "Kanzlei Hoffmann",
           "Bäckerei Schubert GmbH", "Nordwind Design UG (haftungsbeschränkt)", "Grünwerk Gartenbau GmbH",
           "Fahrradladen Krause e.K."],
    "FR": ["Boulangerie Petit SARL", "Atelier Moreau SAS", "Cabinet Girard", "Menuiserie Lefèvre SARL",
           "Studio Blanchard SAS", "Librairie du Parc SARL", "Garage Fontaine SAS", "Fleurs & Jardins Roux SARL"],
}


class Party:
    def __init__(self, rng, cc, name, vat=True, vat_no=None):
        self.cc, self.name = cc, name
        self.addr, self.country, self.city = address(rng, cc)
        self.vat = vat_no or (VAT[cc](rng) if vat else None)
        self.iban = iban(rng, cc if cc in ("BE", "NL", "DE", "FR", "IE", "LU", "GB") else "BE")


def make_buyer(rng, countries=("BE", "NL", "DE", "FR"), weights=(4, 3, 2, 2)):
    cc = rng.choices(countries, weights)[0]
    return Party(rng, cc, rng.choice(BUYER_NAMES[cc]))


def own_of(b):
    return {"names": [b.name], "vat_numbers": [b.vat] if b.vat else [], "ibans": []}


LANG_OF = {"BE": "nl", "NL": "nl", "DE": "de", "FR": "fr"}


def be_lang(rng, b):
    if b.cc == "BE":
        return "fr" if b.city in ("Ixelles", "Liège", "Namur", "Mons") or rng.random() < 0.3 else "nl"
    return LANG_OF[b.cc]


def rand_date(rng, y0=2023, y1=2025):
    return date(rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28))


def month_end(d):
    nm = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nm - timedelta(days=1)


def month_start(d):
    return date(d.year, d.month, 1)


def prev_month(d):
    e = month_start(d) - timedelta(days=1)
    return month_start(e), e


def is_credit(rng, p=0.15):
    return rng.random() < p * 1.5


def T(lang, **kw):
    """Pick the label in the document's language."""
    return kw.get(lang) or kw.get("en")


# ---------------------------------------------------------------------------------------------
# The page model: a flow of blocks, rendered to HTML (Chromium, LibreOffice) or drawn (ReportLab).
#
# ("title", text, size)                     big heading
# ("p", text, {size, bold, align, color})   a paragraph ("\n" breaks lines)
# ("cols", [lines...], widths, {size})     side-by-side columns; each a list of lines ("**" bold)
# ("kv", [(label, value)], {size, lw, align, bold_last, width})   label/value rows
# ("table", header, rows, aligns, widths, {size, zebra, grid, bold_rows})
# ("totals", [(label, value, bold)], {width, size})
# ("hr",)  ("sp", mm)  ("pb",)
# ("box", text, {size, bold})                framed note
# ("pre", text, {size})                      monospace block (till slips)


class Theme:
    def __init__(self, font="sans", size=9.0, accent="#222222", page=(210, 297), margin=16, head_bg=None,
                 rl_font="DejaVuSans", title_align="left"):
        self.font, self.size, self.accent, self.page, self.margin = font, size, accent, page, margin
        self.head_bg, self.rl_font, self.title_align = head_bg, rl_font, title_align


CSS_FONTS = {
    "sans": "Helvetica, Arial, 'Nimbus Sans', sans-serif",
    "dejavu": "'DejaVu Sans', sans-serif",
    "serif": "'Nimbus Roman', 'Times New Roman', serif",
    "mono": "'DejaVu Sans Mono', 'Courier New', monospace",
    "narrow": "'Nimbus Sans Narrow', 'Arial Narrow', sans-serif",
}


def esc(s):
    return html.escape(str(s)).replace("\n", "<br>")


def bl(s):
    s = str(s)
    if s.startswith("**"):
        return f"<b>{esc(s[2:])}</b>"
    return esc(s)


def to_html(flow, th):
    w, h = th.page
    css = f"""
@page {{ size: {w}mm {h}mm; margin: {th.margin}mm {th.margin}mm {th.margin}mm {th.margin}mm; }}
body {{ font-family: {CSS_FONTS[th.font]}; font-size: {th.size}pt; color: #1a1a1a; margin: 0; }}
table {{ border-collapse: collapse; }}
td, th {{ vertical-align: top; padding: 2px 5px; font-size: inherit; }}
.items th {{ text-align: left; border-bottom: 1.2px solid {th.accent}; {f'background:{th.head_bg};' if th.head_bg else ''} }}
.items td {{ border-bottom: 0.5px solid #cccccc; }}
.grid td, .grid th {{ border: 0.6px solid #888888; }}
.zebra tr:nth-child(even) td {{ background: #f3f3f3; }}
.r {{ text-align: right; }} .c {{ text-align: center; }}
.title {{ color: {th.accent}; font-weight: bold; margin: 2mm 0 2mm 0; text-align: {th.title_align}; }}
.box {{ border: 1px solid {th.accent}; padding: 2mm 3mm; margin: 2mm 0; }}
.pb {{ page-break-after: always; }}
pre {{ font-family: {CSS_FONTS['mono']}; margin: 0; }}
hr {{ border: 0; border-top: 0.8px solid {th.accent}; margin: 2mm 0; }}
"""
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>document</title><style>{css}</style></head><body>"]
    for b in flow:
        k = b[0]
        o = b[-1] if isinstance(b[-1], dict) else {}
        sz = f"font-size:{o['size']}pt;" if "size" in o else ""
        if k == "title":
            out.append(f"<div class='title' style='font-size:{b[2]}pt'>{esc(b[1])}</div>")
        elif k == "p":
            st = sz + ("font-weight:bold;" if o.get("bold") else "") + (f"text-align:{ {'r': 'right', 'c': 'center'}.get(o.get('align'), 'left')};")
            st += f"color:{o['color']};" if o.get("color") else ""
            st += "margin:0 0 1.5mm 0;"
            out.append(f"<p style='{st}'>{esc(b[1])}</p>")
        elif k == "cols":
            cols, widths = b[1], b[2]
            cells = "".join(f"<td style='width:{wd}%;padding:0 6px 0 0'>" + "<br>".join(bl(x) for x in c) + "</td>" for c, wd in zip(cols, widths))
            out.append(f"<table style='width:100%;margin:1mm 0 3mm 0;{sz}'><tr>{cells}</tr></table>")
        elif k == "kv":
            rows = b[1]
            width = o.get("width", 50)
            al = "right" if o.get("align") == "r" else "left"
            marg = "margin-left:auto;" if o.get("float") == "r" else ""
            tr = "".join(f"<tr><td style='padding:1px 8px 1px 0;{'font-weight:bold;' if o.get('bold_labels') else ''}'>{esc(lab)}</td><td style='text-align:{al};padding:1px 0'>{bl(val)}</td></tr>" for lab, val in rows)
            out.append(f"<table style='width:{width}%;{marg}margin-bottom:3mm;{sz}'>{tr}</table>")
        elif k == "table":
            header, rows, aligns, widths = b[1], b[2], b[3], b[4]
            cls = "items" + (" grid" if o.get("grid") else "") + (" zebra" if o.get("zebra") else "")
            ths = "".join(f"<th class='{'r' if a == 'r' else ''}' style='width:{wd}%'>{esc(hd)}</th>" for hd, a, wd in zip(header, aligns, widths))
            trs = []
            for i, r in enumerate(rows):
                bold = i in o.get("bold_rows", ())
                trs.append("<tr>" + "".join(f"<td class='{'r' if a == 'r' else ''}'>{'<b>' if bold else ''}{bl(c)}{'</b>' if bold else ''}</td>" for c, a in zip(r, aligns)) + "</tr>")
            out.append(f"<table class='{cls}' style='width:100%;margin:2mm 0 3mm 0;{sz}'><thead><tr>{ths}</tr></thead><tbody>{''.join(trs)}</tbody></table>")
        elif k == "totals":
            width = o.get("width", 45)
            trs = "".join(f"<tr style='{'font-weight:bold;' if bold else ''}'><td style='padding:1px 10px 1px 0'>{esc(lab)}</td><td class='r' style='padding:1px 0'>{esc(val)}</td></tr>" for lab, val, bold in b[1])
            out.append(f"<table style='width:{width}%;margin-left:auto;margin-bottom:3mm;{sz}'>{trs}</table>")
        elif k == "hr":
            out.append("<hr>")
        elif k == "sp":
            out.append(f"<div style='height:{b[1]}mm'></div>")
        elif k == "pb":
            out.append("<div class='pb'></div>")
        elif k == "box":
            out.append(f"<div class='box' style='{sz}{'font-weight:bold;' if o.get('bold') else ''}'>{esc(b[1])}</div>")
        elif k == "pre":
            out.append(f"<pre style='{sz}'>{html.escape(b[1])}</pre>")
        else:
            raise ValueError(k)
    out.append("</body></html>")
    return "\n".join(out)


def render_chromium(h, out, tmp):
    src = os.path.join(tmp, "page.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(h)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={out}", src], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def render_libreoffice(h, out, tmp):
    src = os.path.join(tmp, "page.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(h)
    profile = "file://" + os.path.join(tmp, "lo-profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--infilter=HTML (StarWriter)",
                    "--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    shutil.move(os.path.join(tmp, "page.pdf"), out)


RL_FONTS = {
    "DejaVuSans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "DejaVuSerif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "DejaVuSansMono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
    "DejaVuSansCondensed": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
}


class RL:
    """ReportLab flow drawer, millimetres from the top left."""

    def __init__(self, out, th):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas
        self.pm = pdfmetrics
        if th.rl_font in RL_FONTS:
            reg, bold = RL_FONTS[th.rl_font]
            if th.rl_font not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(th.rl_font, os.path.join(FONT_DIR, reg)))
                pdfmetrics.registerFont(TTFont(th.rl_font + "-Bold", os.path.join(FONT_DIR, bold)))
        self.mono = "DejaVuSansMono"
        if self.mono not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(self.mono, os.path.join(FONT_DIR, "DejaVuSansMono.ttf")))
            pdfmetrics.registerFont(TTFont(self.mono + "-Bold", os.path.join(FONT_DIR, "DejaVuSansMono-Bold.ttf")))
        self.th = th
        self.mm = 72 / 25.4
        self.W, self.H = th.page
        self.c = canvas.Canvas(out, pagesize=(self.W * self.mm, self.H * self.mm))
        self.c.setTitle("document")
        self.x0, self.x1 = th.margin, self.W - th.margin
        self.y = th.margin
        self.page = 1
        self.accent = th.accent

    def font(self, bold=False, mono=False):
        f = self.mono if mono else self.th.rl_font
        if bold:
            f = f + "-Bold" if f in RL_FONTS or f == self.mono else {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold"}.get(f, f)
        return f

    def sw(self, s, size, bold=False, mono=False):
        return self.pm.stringWidth(s, self.font(bold, mono), size) / self.mm

    def text(self, x, y, s, size, bold=False, align="l", mono=False, color=None):
        c = self.c
        c.setFont(self.font(bold, mono), size)
        if color:
            c.setFillColor(color)
        X, Y = x * self.mm, (self.H - y) * self.mm
        if align == "r":
            c.drawRightString(X, Y, s)
        elif align == "c":
            c.drawCentredString(X, Y, s)
        else:
            c.drawString(X, Y, s)
        if color:
            c.setFillColor("#1a1a1a")

    def hline(self, x1, x2, y, w=0.5, color=None):
        self.c.setStrokeColor(color or "#999999")
        self.c.setLineWidth(w)
        self.c.line(x1 * self.mm, (self.H - y) * self.mm, x2 * self.mm, (self.H - y) * self.mm)

    def rect(self, x, y, w, h, fill=None, stroke="#555555"):
        if stroke:
            self.c.setStrokeColor(stroke)
        if fill:
            self.c.setFillColor(fill)
        self.c.rect(x * self.mm, (self.H - y - h) * self.mm, w * self.mm, h * self.mm, stroke=1 if stroke else 0, fill=1 if fill else 0)
        self.c.setFillColor("#1a1a1a")

    def wrap(self, s, size, w, bold=False, mono=False):
        out = []
        for para in str(s).split("\n"):
            words, line = para.split(" "), ""
            for wd in words:
                t = (line + " " + wd) if line else wd
                if self.sw(t, size, bold, mono) <= w or not line:
                    line = t
                else:
                    out.append(line)
                    line = wd
            out.append(line)
        return out

    def need(self, h):
        if self.y + h > self.H - self.th.margin - 6:
            self.new_page()

    def new_page(self):
        self.text(self.x1, self.H - 8, f"{self.page}", 7, align="r")
        self.c.showPage()
        self.page += 1
        self.y = self.th.margin

    def draw(self, flow):
        base = self.th.size
        for b in flow:
            k = b[0]
            o = b[-1] if isinstance(b[-1], dict) else {}
            size = o.get("size", base)
            lh = size * 0.42
            if k == "title":
                self.need(b[2] * 0.5)
                self.y += b[2] * 0.38
                al = {"left": "l", "right": "r", "center": "c"}[self.th.title_align]
                x = {"l": self.x0, "r": self.x1, "c": (self.x0 + self.x1) / 2}[al]
                self.text(x, self.y, b[1], b[2], bold=True, align=al, color=self.accent)
                self.y += b[2] * 0.2 + 1.5
            elif k == "p":
                lines = self.wrap(b[1], size, self.x1 - self.x0, o.get("bold"))
                for ln in lines:
                    self.need(lh)
                    self.y += lh
                    al = o.get("align", "l")
                    x = {"l": self.x0, "r": self.x1, "c": (self.x0 + self.x1) / 2}[al]
                    self.text(x, self.y, ln, size, bold=o.get("bold"), align=al, color=o.get("color"))
                self.y += 1.5
            elif k == "cols":
                cols, widths = b[1], b[2]
                tw = self.x1 - self.x0
                rows = max(len(c) for c in cols)
                self.need(rows * lh + 2)
                x = self.x0
                y0 = self.y
                ymax = y0
                for c, wd in zip(cols, widths):
                    y = y0
                    for s in c:
                        bold = str(s).startswith("**")
                        s = str(s)[2:] if bold else str(s)
                        for ln in self.wrap(s, size, tw * wd / 100 - 2, bold):
                            y += lh
                            self.text(x, y, ln, size, bold=bold)
                    ymax = max(ymax, y)
                    x += tw * wd / 100
                self.y = ymax + 3
            elif k == "kv":
                width = (self.x1 - self.x0) * o.get("width", 50) / 100
                x = self.x1 - width if o.get("float") == "r" else self.x0
                lw = max(self.sw(lab, size, o.get("bold_labels")) for lab, _ in b[1]) + 3
                for lab, val in b[1]:
                    self.need(lh)
                    self.y += lh
                    self.text(x, self.y, lab, size, bold=o.get("bold_labels"))
                    bold = str(val).startswith("**")
                    v = str(val)[2:] if bold else str(val)
                    if o.get("align") == "r":
                        self.text(x + width, self.y, v, size, bold=bold, align="r")
                    else:
                        self.text(x + lw, self.y, v, size, bold=bold)
                self.y += 3
            elif k == "table":
                self.table(b[1], b[2], b[3], b[4], o, size)
            elif k == "totals":
                width = (self.x1 - self.x0) * o.get("width", 45) / 100
                for lab, val, bold in b[1]:
                    self.need(lh + 1)
                    self.y += lh + 0.6
                    self.text(self.x1 - width, self.y, lab, size, bold=bold)
                    self.text(self.x1, self.y, val, size, bold=bold, align="r")
                self.y += 3
            elif k == "hr":
                self.y += 1.5
                self.hline(self.x0, self.x1, self.y, 0.7, self.accent)
                self.y += 1.5
            elif k == "sp":
                self.y += b[1]
            elif k == "pb":
                self.new_page()
            elif k == "box":
                lines = self.wrap(b[1], size, self.x1 - self.x0 - 6, o.get("bold"))
                hgt = len(lines) * lh + 3
                self.need(hgt + 2)
                self.rect(self.x0, self.y + 1, self.x1 - self.x0, hgt, stroke=self.accent)
                y = self.y + 1
                for ln in lines:
                    y += lh
                    self.text(self.x0 + 3, y, ln, size, bold=o.get("bold"))
                self.y += hgt + 3
            elif k == "pre":
                for ln in b[1].split("\n"):
                    self.need(lh)
                    self.y += lh
                    self.text(self.x0, self.y, ln, size, mono=True)
                self.y += 2
            else:
                raise ValueError(k)

    def table(self, header, rows, aligns, widths, o, size):
        tw = self.x1 - self.x0
        ws = [tw * w / 100 for w in widths]
        lh = size * 0.42

        def row(cells, bold=False, head=False):
            wrapped = [self.wrap(str(c)[2:] if str(c).startswith("**") else str(c), size, w - 2, bold) for c, w in zip(cells, ws)]
            n = max(len(x) for x in wrapped)
            hgt = n * lh + 1.6
            if self.y + hgt > self.H - self.th.margin - 6:
                self.new_page()
                if not head:
                    row(header, True, True)
            if head and self.th.head_bg:
                self.rect(self.x0, self.y, tw, hgt, fill=self.th.head_bg, stroke=None)
            x = self.x0
            for lines, w, a in zip(wrapped, ws, aligns):
                y = self.y
                for ln in lines:
                    y += lh
                    self.text(x + w - 1 if a == "r" else x + 1, y, ln, size, bold=bold or head, align="r" if a == "r" else "l")
                x += w
            self.y += hgt
            self.hline(self.x0, self.x1, self.y - 0.4, 1.0 if head else 0.3, self.accent if head else "#bbbbbb")

        self.y += 1.5
        row(header, True, True)
        for i, r in enumerate(rows):
            row(r, bold=i in o.get("bold_rows", ()))
        self.y += 3

    def save(self):
        if self.page > 1:
            self.text(self.x1, self.H - 8, f"{self.page}", 7, align="r")
        self.c.save()


# ---------------------------------------------------------------------------------------------
# Shared helpers for the vendor makers.

def amt(rng, lo, hi, prec=2):
    x = D(str(rng.uniform(lo, hi)))
    return x.quantize(D(1).scaleb(-prec), ROUND_HALF_UP)


def mk_truth(**kw):
    t = {}
    for k, v in kw.items():
        if v is None:
            continue
        if isinstance(v, date):
            v = v.isoformat()
        elif k in ("subtotal", "vat_amount", "total", "amount_due"):
            v = money_s(v)
        t[k] = v
    return t


def sender_line(p, sep=" · "):
    return sep.join([p.name] + p.addr)


def party_lines(p, rng, vat_label=None, bold=True, country=False, vat=True):
    ls = [("**" if bold else "") + p.name] + list(p.addr)
    if country:
        ls.append(p.country)
    if vat and p.vat and vat_label:
        ls.append(f"{vat_label} {vat_p(p.vat, rng)}")
    return ls


RATES = {"BE": [21, 6, 12], "NL": [21, 9], "DE": [19, 7], "FR": [20, 10, D("5.5")], "IE": [23], "LU": [17]}
COUNTRY_NAME = {
    "en": {"BE": "Belgium", "NL": "Netherlands", "DE": "Germany", "FR": "France"},
    "nl": {"BE": "België", "NL": "Nederland", "DE": "Duitsland", "FR": "Frankrijk"},
    "fr": {"BE": "Belgique", "NL": "Pays-Bas", "DE": "Allemagne", "FR": "France"},
    "de": {"BE": "Belgien", "NL": "Niederlande", "DE": "Deutschland", "FR": "Frankreich"},
}
RC_TEXT = {
    "en": "VAT reverse charge – Article 196 of Council Directive 2006/112/EC. The recipient is liable for VAT.",
    "nl": "Btw verlegd – artikel 196 Richtlijn 2006/112/EG. De btw is verschuldigd door de afnemer.",
    "fr": "Autoliquidation – article 196 de la directive 2006/112/CE. TVA due par le preneur.",
    "de": "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge) gemäß Art. 196 MwStSystRL.",
}


def card(rng):
    return rng.choice(["Visa", "Mastercard", "American Express", "Maestro"]), digs(rng, 4)


def person(rng):
    return rng.choice(["Sofie", "Pieter", "Julie", "Thomas", "Anna", "Lukas", "Camille", "Hugo", "Eva", "Daan", "Lotte", "Jonas"]) + " " + \
        rng.choice(["Peeters", "de Vries", "Martin", "Schmidt", "Janssens", "Bakker", "Dubois", "Wagner", "Claes", "Smit", "Lambert", "Vos"])


# ---------------------------------------------------------------------------------------------
# 1. Marketplace business invoice (Amazon.de/.fr/.nl Business style): seller of record, several rates.

def v_amazon(rng, k):
    b = make_buyer(rng)
    mkt = rng.choice(["DE", "FR", "NL"])
    lang = rng.choice([{"DE": "de", "FR": "fr", "NL": "nl"}[mkt], "en"])
    f = Fmt(lang, money=rng.choice(["post", "sym"]) if lang != "en" else "sym", date_style=rng.choice(["long", "dot" if lang == "de" else "slash" if lang == "fr" else "dash" if lang == "nl" else "short"]))
    platform = rng.random() < 0.4
    if platform:
        s = Party(rng, "LU", "Marketwise EU S.à r.l.", vat_no=VAT[mkt](rng))
    else:
        s = Party(rng, mkt, rng.choice({"DE": ["Nordwerk Handels GmbH", "Technikversand Ost GmbH", "BüroPlus Direkt GmbH"],
                                        "FR": ["Maison Lefort SAS", "Outillage Garnier SARL", "Papeterie Duval SAS"],
                                        "NL": ["Kantoorgigant B.V.", "Van Dijk Elektronica B.V."]}[mkt]))
    credit = is_credit(rng, 0.15)
    rates = RATES[mkt]
    cat = [("USB-C Dockingstation 12-in-1", 0, 60, 160), ("Druckerpapier A4 80 g, 5 x 500 Blatt", 0, 20, 40),
           ("Ergonomische Maus, kabellos", 0, 18, 60), ("Fachbuch: Buchhaltung für Selbständige (Taschenbuch)", 1, 15, 40),
           ("LED-Schreibtischlampe dimmbar", 0, 25, 70), ("Kaffeebohnen Espresso 1 kg", 1, 12, 25),
           ("Toner schwarz, kompatibel, 2er-Pack", 0, 30, 90), ("Monitorarm Gasdruckfeder", 0, 40, 110),
           ("Notizbücher A5 liniert, 10 Stück", 1 if mkt == "FR" else 0, 10, 30), ("HDMI-Kabel 2 m, 3er-Pack", 0, 8, 20)]
    n = rng.randint(1, 5)
    items = []
    for desc, ri, lo, hi in rng.sample(cat, n):
        items.append(Item(desc, rng.choice([1, 1, 1, 2, 3]), amt(rng, lo, hi), rates[min(ri, len(rates) - 1)]))
    if rng.random() < 0.5 and not credit:
        items.append(Item(T(lang, en="Shipping", de="Versandkosten", fr="Frais de livraison", nl="Verzendkosten"), 1, amt(rng, 3, 8), rates[0]))
    tot = totals_net(items)
    num = mkt + str(rng.randint(1, 6)) + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
    order = f"{rng.randint(302, 408)}-{digs(rng, 7)}-{digs(rng, 7)}"
    issue = rand_date(rng)
    pay_inv = rng.random() < 0.3 and not credit
    title = (T(lang, en="Credit note", de="Gutschrift", fr="Avoir", nl="Creditnota") if credit else
             T(lang, en="Invoice", de="Rechnung", fr="Facture", nl="Factuur"))
    sg = -1 if credit else 1
    flow = [("p", "marketwise business", {"size": 16, "bold": True, "color": "#e47911"}),
            ("title", title, 18),
            ("p", T(lang, en="Sold by", de="Verkauft von", fr="Vendu par", nl="Verkocht door") + f" {s.name}, " + ", ".join(s.addr) + "\n" +
             T(lang, en="VAT #", de="USt-IdNr.", fr="N° TVA", nl="Btw-nr.") + " " + vat_p(s.vat, rng, 0), {"size": 8.5})]
    det = [(T(lang, en="Invoice number", de="Rechnungsnummer", fr="Numéro de facture", nl="Factuurnummer") if not credit else
            T(lang, en="Credit note number", de="Gutschriftsnummer", fr="Numéro d'avoir", nl="Creditnotanummer"), num),
           (T(lang, en="Invoice date", de="Rechnungsdatum", fr="Date de facturation", nl="Factuurdatum"), f.d(issue)),
           (T(lang, en="Order number", de="Bestellnummer", fr="Numéro de commande", nl="Bestelnummer"), order),
           (T(lang, en="Order date", de="Bestelldatum", fr="Date de commande", nl="Besteldatum"), f.d(issue - timedelta(days=rng.randint(0, 3))))]
    if credit:
        det.append((T(lang, en="Original invoice", de="Ursprüngliche Rechnung", fr="Facture d'origine", nl="Oorspronkelijke factuur"),
                    mkt + str(rng.randint(1, 6)) + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))))
    due = None
    if pay_inv:
        due = issue + timedelta(days=30)
        det.append((T(lang, en="Payment due date", de="Fällig am", fr="Date d'échéance", nl="Vervaldatum"), f.d(due)))
    bill = [T(lang, en="**Billing address", de="**Rechnungsadresse", fr="**Adresse de facturation", nl="**Factuuradres"), b.name] + b.addr + \
        [COUNTRY_NAME[lang][b.cc], T(lang, en="VAT #", de="USt-IdNr.", fr="N° TVA", nl="Btw-nr.") + " " + b.vat]
    ship = [T(lang, en="**Delivery address", de="**Lieferadresse", fr="**Adresse de livraison", nl="**Afleveradres"), person(rng), b.name] + b.addr
    flow += [("kv", det, {"size": 8.5, "width": 60}),
             ("cols", [bill, ship, [T(lang, en="**Sold by", de="**Verkauft von", fr="**Vendu par", nl="**Verkocht door"), s.name] + s.addr +
                                   ([s.country] if s.cc != mkt else []) + [vat_p(s.vat, rng)]], [34, 33, 33], {"size": 8.5})]
    head = [T(lang, en="Description", de="Beschreibung", fr="Description", nl="Omschrijving"), T(lang, en="Qty", de="Menge", fr="Qté", nl="Aantal"),
            T(lang, en="Unit price (excl. VAT)", de="Stückpreis (ohne USt.)", fr="Prix unitaire (HT)", nl="Stukprijs (excl. btw)"),
            T(lang, en="VAT rate", de="USt.-Satz", fr="Taux TVA", nl="Btw-tarief"),
            T(lang, en="Unit price (incl. VAT)", de="Stückpreis (inkl. USt.)", fr="Prix unitaire (TTC)", nl="Stukprijs (incl. btw)"),
            T(lang, en="Item subtotal (incl. VAT)", de="Zwischensumme (inkl. USt.)", fr="Sous-total (TTC)", nl="Subtotaal (incl. btw)")]
    rows = [[it.desc, qty_s(it.qty, f), f.m(sg * it.unit), f.pct(it.rate), f.m(sg * q(it.unit * (100 + it.rate) / 100)),
             f.m(sg * q(it.amount * (100 + it.rate) / 100))] for it in items]
    flow.append(("table", head, rows, "lrrrrr", [36, 8, 14, 10, 14, 18], {"size": 8}))
    flow.append(("p", T(lang, en="VAT summary", de="USt.-Übersicht", fr="Récapitulatif TVA", nl="Btw-overzicht"), {"bold": True}))
    vrows = [[f.pct(r), f.m(sg * base), f.m(sg * v)] for r, base, v in tot["rows"]]
    vrows.append([T(lang, en="Total", de="Gesamt", fr="Total", nl="Totaal"), f.m(sg * tot["sub"]), f.m(sg * tot["vat"])])
    flow.append(("table", [T(lang, en="VAT rate", de="USt.-Satz", fr="Taux TVA", nl="Btw-tarief"),
                           T(lang, en="Subtotal (excl. VAT)", de="Zwischensumme (ohne USt.)", fr="Sous-total HT", nl="Subtotaal (excl. btw)"),
                           T(lang, en="VAT", de="USt.", fr="TVA", nl="Btw")], vrows, "lrr", [30, 35, 35], {"size": 8, "bold_rows": [len(vrows) - 1]}))
    trows = [(T(lang, en="Invoice total", de="Rechnungsbetrag", fr="Total facturé", nl="Factuurtotaal") if not credit else
              T(lang, en="Credit total", de="Gutschriftsbetrag", fr="Total de l'avoir", nl="Totaal creditnota"), f.m(sg * tot["total"]), True)]
    amount_due = None
    ib = None
    if pay_inv:
        trows.append((T(lang, en="Amount due", de="Offener Betrag", fr="Montant dû", nl="Te betalen"), f.m(tot["total"]), True))
        amount_due = tot["total"]
        ib = iban(rng, "LU")
    elif not credit:
        c, l4 = card(rng)
        paid_label = T(lang, en="Paid", de="Bezahlt", fr="Payé", nl="Betaald")
        flow.append(("totals", trows, {"width": 50, "size": 10}))
        flow.append(("p", f"{paid_label}: {c} **** {l4} – {f.m(tot['total'])}", {"size": 8.5}))
        amount_due = D("0")
        trows = None
    if trows:
        flow.append(("totals", trows, {"width": 50, "size": 10}))
    if pay_inv:
        flow.append(("box", T(lang, en="Please transfer the amount due by the due date to", de="Bitte überweisen Sie den offenen Betrag bis zum Fälligkeitsdatum an",
                               fr="Veuillez virer le montant dû avant la date d'échéance à", nl="Gelieve het verschuldigde bedrag vóór de vervaldatum over te maken aan") +
                     f": Marketwise Payments Europe S.C.A., IBAN {iban_p(ib)}, BIC CITILULX – " + T(lang, en="Reference", de="Verwendungszweck", fr="Référence", nl="Referentie") + f": {num}", {"size": 8.5}))
    if credit:
        flow.append(("p", T(lang, en="The amount will be refunded to the original payment method.", de="Der Betrag wird auf die ursprüngliche Zahlungsart erstattet.",
                            fr="Le montant sera remboursé sur le moyen de paiement initial.", nl="Het bedrag wordt teruggestort via de oorspronkelijke betaalmethode."), {"size": 8.5}))
    flow.append(("p", "Marketwise EU S.à r.l., 38 Avenue John F. Kennedy, L-1855 Luxembourg · R.C.S. Luxembourg B" + digs(rng, 6) +
                 (f" · {s.name} " + T(lang, en="is the seller of record.", de="ist Verkäufer dieser Ware.", fr="est le vendeur de ces articles.", nl="is de verkoper van deze artikelen.") if not platform else ""),
                 {"size": 7, "color": "#666666"}))
    th = Theme(font=rng.choice(["sans", "dejavu"]), size=8.5, accent="#232f3e", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"],
                 total=tot["total"], amount_due=amount_due, seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "variant": "platform" if platform else "third-party"}


# 2. Dutch marketplace partner invoice (bol.com partner style): commission and fulfilment fees.

def v_bol(rng, k):
    b = make_buyer(rng, ("NL", "BE"), (3, 2))
    lang = "nl"
    f = Fmt(lang, money="sym_sp", date_style=rng.choice(["dash", "long"]))
    s = Party(rng, "NL", "Winkelpoort.com B.V.")
    rc = b.cc == "BE"
    credit = is_credit(rng, 0.15)
    issue = rand_date(rng)
    p0, p1 = prev_month(issue)
    lines = [("Commissie verkochte artikelen", rng.randint(20, 400), amt(rng, 0.8, 6)),
             ("Vaste bijdrage per verkocht artikel", None, D("0.99")),
             ("Verzendlabels", rng.randint(10, 200), amt(rng, 3.2, 5.9)),
             ("Logistiek via partner: pick & pack", rng.randint(10, 250), amt(rng, 0.9, 2.5)),
             ("Logistiek via partner: opslagkosten", 1, amt(rng, 8, 120)),
             ("Retourafhandeling", rng.randint(1, 20), amt(rng, 1, 3)),
             ("Advertentiekosten sponsored products", 1, amt(rng, 20, 400))]
    sel = [lines[0], lines[1]] + rng.sample(lines[2:], rng.randint(1 if credit else 2, 4))
    if credit:
        sel = [("Correctie commissie geretourneerde artikelen", rng.randint(1, 15), amt(rng, 1, 8))]
    items = []
    for desc, qn, unit in sel:
        qn = qn if qn is not None else sel[0][1]
        items.append(Item(desc, qn, unit, 0 if rc else 21))
    tot = totals_net(items)
    num = ("C" if credit else "") + str(rng.randint(1200000000, 1299999999))
    flow = [("cols", [["**winkelpoort.com", "partnerplatform"], [s.name] + s.addr + ["KvK 3" + digs(rng, 7), "Btw " + vat_p(s.vat, rng, 0)]], [60, 40], {"size": 8}),
            ("sp", 6),
            ("cols", [[b.name, "t.a.v. de administratie"] + b.addr + ([COUNTRY_NAME['nl'][b.cc]] if b.cc != "NL" else []),
                      []], [60, 40]),
            ("title", "Creditfactuur" if credit else "Factuur", 16),
            ("kv", [("Factuurnummer", num), ("Factuurdatum", f.d(issue)), ("Periode", f"{f.d(p0, 'dash')} t/m {f.d(p1, 'dash')}"),
                    ("Partnernummer", digs(rng, 7, "1")), ("Uw btw-nummer", vat_p(b.vat, rng))], {"size": 8.5})]
    head = ["Omschrijving", "Aantal", "Prijs per stuk", "Btw", "Bedrag excl. btw"]
    sg = -1 if credit else 1
    rows = [[it.desc, qty_s(it.qty, f), f.m(it.unit), "verlegd" if rc else f.pct(it.rate), f.m(sg * it.amount)] for it in items]
    flow.append(("table", head, rows, "lrrrr", [46, 10, 16, 10, 18], {"zebra": True}))
    tr = [("Totaal excl. btw", f.m(sg * tot["sub"]), False),
          ("Btw verlegd" if rc else "Btw 21%", f.m(sg * tot["vat"]), False),
          ("Totaal incl. btw", f.m(sg * tot["total"]), True)]
    explicit = rng.random() < 0.5
    amount_due = None
    if explicit and not credit:
        tr.append(("Reeds verrekend", f.m(-tot["total"]), False))
        tr.append(("Openstaand bedrag", f.m(0), True))
        amount_due = D(0)
    flow.append(("totals", tr, {"width": 45}))
    if rc:
        flow.append(("p", RC_TEXT["nl"], {"size": 8}))
    flow.append(("p", ("Dit bedrag wordt verrekend met je eerstvolgende uitbetaling." if not credit else
                       "Dit bedrag wordt bijgeteld bij je eerstvolgende uitbetaling.") +
                 " Vragen over deze factuur? Kijk in het partnerplatform onder Financiën.", {"size": 8.5}))
    flow.append(("p", f"{s.name} · {', '.join(s.addr)} · KvK 3{digs(rng, 7)} · {vat_p(s.vat, rng, 0)}", {"size": 7, "color": "#777777"}))
    th = Theme(font="sans", size=9, accent="#0000a4", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=amount_due, seller_name=s.name, seller_vat=s.vat, buyer_name=b.name,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "variant": "reverse-charge" if rc else "domestic"}


# 3. Dutch/Belgian electronics webshop (Coolblue style): incl.-VAT prices, disposal fee, paid online or on account.

def v_coolblue(rng, k):
    b = make_buyer(rng, ("NL", "BE"), (1, 1))
    lang = "fr" if b.cc == "BE" and rng.random() < 0.4 else "nl"
    f = Fmt(lang, money="sym_sp" if lang == "nl" else "post", date_style=rng.choice(["long", "dash" if lang == "nl" else "slash"]))
    s = Party(rng, b.cc, "Helderblauw B.V." if b.cc == "NL" else "Helderblauw België BV")
    rate = 21
    credit = is_credit(rng, 0.15)
    cat = [("Laptop 14 inch, 16 GB, 512 GB SSD", 700, 1400, "Ordinateur portable 14 pouces, 16 Go, 512 Go SSD"),
           ("Monitor 27 inch QHD", 180, 420, "Écran 27 pouces QHD"), ("Laserprinter zwart-wit", 120, 300, "Imprimante laser noir et blanc"),
           ("Koffiemachine volautomaat", 350, 900, "Machine à café automatique"), ("Docking station USB-C", 90, 220, "Station d'accueil USB-C"),
           ("Noise cancelling koptelefoon", 150, 380, "Casque à réduction de bruit"), ("Draadloos toetsenbord en muis", 40, 110, "Clavier et souris sans fil"),
           ("Koelkast tafelmodel", 250, 500, "Réfrigérateur table top")]
    items = []
    for nl_d, lo, hi, fr_d in rng.sample(cat, rng.randint(1, 3)):
        items.append(Item(fr_d if lang == "fr" else nl_d, rng.choice([1, 1, 2]), D(rng.randint(lo, hi)) - D("0.01"), rate, gross=True))
        if rng.random() < 0.5:
            items.append(Item(("Recupel-bijdrage" if lang == "nl" else "Cotisation Recupel") if b.cc == "BE" else "Verwijderingsbijdrage",
                              items[-1].qty, rng.choice([D("0.50"), D("1.00"), D("5.00"), D("10.00")]), rate, gross=True))
    if rng.random() < 0.3 and not credit:
        items.append(Item(T(lang, nl="Installatieservice", fr="Service d'installation"), 1, D(rng.choice([29, 49, 79])), rate, gross=True))
    tot = totals_gross(items)
    issue = rand_date(rng)
    num = str(rng.randint(80000000, 99999999))
    order = str(rng.randint(90000000, 99999999))
    on_account = rng.random() < 0.35 and not credit
    sg = -1 if credit else 1
    L = lambda nl, fr: fr if lang == "fr" else nl
    flow = [("cols", [["**helderblauw", L("Alles voor een glimlach.", "Tout pour un sourire.")],
                      [s.name] + s.addr + [L("Btw-nummer", "N° TVA") + " " + vat_p(s.vat, rng), ("KvK " if b.cc == "NL" else "RPR ") + digs(rng, 8, "6")]],
              [62, 38], {"size": 8.5}),
            ("title", L("Creditfactuur", "Note de crédit") if credit else L("Factuur", "Facture"), 20),
            ("cols", [[L("**Factuuradres", "**Adresse de facturation"), b.name] + b.addr + [L("Btw-nummer", "N° TVA") + ": " + vat_p(b.vat, rng)],
                      [L("**Afleveradres", "**Adresse de livraison"), person(rng)] + b.addr,
                      [L("**Factuurgegevens", "**Données de facture"),
                       L("Factuurnummer", "Numéro de facture") + ": " + num,
                       L("Factuurdatum", "Date de facture") + ": " + f.d(issue),
                       L("Bestelnummer", "Numéro de commande") + ": " + order,
                       L("Klantnummer", "Numéro client") + ": " + digs(rng, 8, "3")]], [33, 30, 37], {"size": 8.5})]
    head = [L("Product", "Produit"), L("Aantal", "Quantité"), L("Prijs", "Prix"), L("Totaal", "Total")]
    rows = [[it.desc, qty_s(it.qty, f), f.m(it.unit), f.m(sg * it.amount)] for it in items]
    flow.append(("table", head, rows, "lrrr", [58, 12, 15, 15], {}))
    tr = [(L("Totaal excl. btw", "Total hors TVA"), f.m(sg * tot["sub"]), False),
          (L("Btw 21%", "TVA 21 %"), f.m(sg * tot["vat"]), False),
          (L("Totaal", "Total"), f.m(sg * tot["total"]), True)]
    due = ib = amount_due = None
    if on_account:
        due = issue + timedelta(days=rng.choice([14, 30]))
        ib = s.iban
        amount_due = tot["total"]
        tr.append((L("Nog te betalen", "Reste à payer"), f.m(tot["total"]), True))
        flow.append(("totals", tr, {"width": 42}))
        ref = ogm(rng) if b.cc == "BE" else num
        flow.append(("box", L(f"Betaal vóór {f.d(due)} op rekening {iban_p(ib)} (BIC {'INGBNL2A' if b.cc == 'NL' else 'GEBABEBB'}) t.n.v. {s.name} o.v.v. {ref}.",
                              f"Veuillez payer avant le {f.d(due)} sur le compte {iban_p(ib)} (BIC GEBABEBB) de {s.name} avec la communication {ref}."), {}))
    else:
        flow.append(("totals", tr, {"width": 42}))
        if not credit:
            meth = rng.choice(["iDEAL", "Bancontact", "Visa", "PayPal"]) if b.cc == "NL" else rng.choice(["Bancontact", "Visa", "KBC/CBC-Betaalknop"])
            flow.append(("p", L(f"Betaald met {meth} op {f.d(issue - timedelta(days=1))}. Je hoeft niets meer te betalen.",
                                f"Payé par {meth} le {f.d(issue - timedelta(days=1))}. Vous ne devez plus rien payer."), {"bold": True}))
            amount_due = D(0)
        else:
            flow.append(("p", L("We storten het bedrag binnen 3 werkdagen terug.", "Nous vous remboursons ce montant dans les 3 jours ouvrables."), {}))
    flow.append(("p", L("Garantie en retourneren: je vindt alle voorwaarden in je account.", "Garantie et retours : toutes les conditions se trouvent dans votre compte."), {"size": 7.5, "color": "#555555"}))
    th = Theme(font="sans", size=9, accent="#0090e3", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=amount_due, seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 4. French cloud host (OVHcloud style).

def v_ovh(rng, k):
    b = make_buyer(rng)
    lang = "fr" if b.cc in ("FR",) or rng.random() < 0.5 else rng.choice(["en", be_lang(rng, b) if b.cc == "BE" else "en"])
    if lang == "nl":
        lang = "en"
    f = Fmt(lang, money="post" if lang == "fr" else rng.choice(["sym", "post"]), date_style="slash" if lang == "fr" else rng.choice(["iso", "slash"]))
    s = Party(rng, "FR", "Nuagix SAS")
    rc = b.cc != "FR"
    credit = is_credit(rng, 0.12)
    issue = rand_date(rng)
    p0 = month_start(issue)
    p1 = month_end(issue)
    prods = [("Serveur dédié Advance-1 - Intel Xeon-E 2386G", 70, 140), ("VPS Comfort 4 vCore 8 Go", 10, 25), ("Nom de domaine .be - renouvellement", 6, 12),
             ("Hébergement Web Pro", 6, 12), ("Public Cloud - instances b3-8 (consommation)", 20, 160), ("Object Storage - 1 To", 6, 12),
             ("Additional IP - 1 IPv4", 2, 3), ("Backup Storage 500 Go", 10, 20), ("Exchange 2019 - compte Advanced", 3, 6),
             ("Load Balancer", 18, 25), ("Nom de domaine .com - renouvellement", 9, 14), ("Snapshot VPS", 2, 4)]
    n = rng.randint(3, 9) if k % 4 != 3 else rng.randint(28, 40)
    items = []
    for i in range(n):
        d, lo, hi = prods[i % len(prods)] if n > len(prods) else rng.choice(prods)
        label = d if lang == "fr" else d.replace("Serveur dédié", "Dedicated server").replace("Hébergement Web", "Web Hosting").replace("Nom de domaine", "Domain name").replace("renouvellement", "renewal").replace("consommation", "usage").replace("compte", "account")
        if n > len(prods):
            label += f" ({'ns' if i % 2 else 'vps'}{digs(rng, 6)}.ip-{rng.randint(10, 99)}-{rng.randint(10, 250)}.eu)"
        items.append(Item(label, 1, amt(rng, lo, hi), 0 if rc else 20, extra={"period": f"{f.d(p0)} - {f.d(p1)}"}))
    tot = totals_net(items)
    num = "FR" + digs(rng, 8, "5")
    sg = -1 if credit else 1
    L = lambda fr, en: fr if lang == "fr" else en
    flow = [("cols", [["**nuagix", "", s.name] + s.addr + [L("SAS au capital de 10 069 020 €", "SAS with share capital of €10,069,020"),
                                                          "RCS Lille Métropole " + s.vat[4:], L("N° TVA : ", "VAT number: ") + vat_p(s.vat, rng, 0)],
                      [L("**Facture n° ", "**Invoice no. ") + num if not credit else L("**Avoir n° ", "**Credit note no. ") + num,
                       L("Date : ", "Date: ") + f.d(issue),
                       L("Identifiant client : ", "Customer ID: ") + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(2)) + digs(rng, 5) + "-ovh",
                       L("Commande n° : ", "Order no.: ") + digs(rng, 9, "1"), "", "**" + b.name] + b.addr + [COUNTRY_NAME[lang if lang != "en" else "en"][b.cc],
                                                                                                                  L("N° TVA : ", "VAT number: ") + vat_p(b.vat, rng)]],
              [50, 50], {"size": 8.5})]
    head = [L("Désignation", "Description"), L("Période", "Period"), L("Qté", "Qty"), L("PU HT", "Unit price excl. VAT"), L("Total HT", "Total excl. VAT")]
    rows = [[it.desc, it.extra["period"], qty_s(it.qty, f), f.m(it.unit), f.m(sg * it.amount)] for it in items]
    flow.append(("table", head, rows, "llrrr", [44, 22, 6, 13, 15], {"size": 8, "head_bg": True}))
    tr = [(L("Total HT", "Total excl. VAT"), f.m(sg * tot["sub"]), False),
          (L("TVA 20 %", "VAT 20%") if not rc else L("TVA 0 % (autoliquidation)", "VAT 0% (reverse charge)"), f.m(sg * tot["vat"]), False),
          (L("Total TTC", "Total incl. VAT"), f.m(sg * tot["total"]), True)]
    amount_due = due = None
    paid = rng.random() < 0.6 and not credit
    if paid:
        c, l4 = card(rng)
        tr.append((L("Montant réglé", "Amount paid"), f.m(tot["total"]), False))
        tr.append((L("Reste à payer", "Balance due"), f.m(0), True))
        amount_due = D(0)
    flow.append(("totals", tr, {"width": 45}))
    if paid:
        flow.append(("p", L(f"Facture réglée le {f.d(issue)} par carte bancaire {c} se terminant par {l4}.",
                            f"Invoice paid on {f.d(issue)} by {c} card ending in {l4}."), {"size": 8.5}))
    elif not credit:
        debit = issue + timedelta(days=rng.choice([7, 15]))
        flow.append(("p", L(f"Cette facture sera prélevée le {f.d(debit)} sur le compte enregistré (mandat SEPA n° {digs(rng, 8)}).",
                            f"This invoice will be debited on {f.d(debit)} from your registered account (SEPA mandate {digs(rng, 8)})."), {"size": 8.5}))
    if rc:
        flow.append(("p", L("Autoliquidation – article 283-2 du CGI et article 196 de la directive 2006/112/CE.", RC_TEXT["en"]), {"size": 8}))
    flow.append(("p", L("En cas de retard de paiement, une pénalité égale à 3 fois le taux d'intérêt légal sera exigible, ainsi qu'une indemnité forfaitaire de 40 € pour frais de recouvrement.",
                        "Late payment penalties: three times the legal interest rate, plus a fixed recovery fee of €40."), {"size": 7, "color": "#666666"}))
    th = Theme(font=rng.choice(["sans", "dejavu"]), size=8.5, accent="#000e9c", head_bg="#e8ecf8", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=amount_due, seller_name=s.name, seller_vat=s.vat, buyer_name=b.name,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 5. German hosting provider (Hetzner Online style): many small positions, reverse charge for EU customers.

def v_hetzner(rng, k):
    b = make_buyer(rng, ("DE", "BE", "NL", "FR"), (3, 3, 2, 1))
    lang = "de" if b.cc == "DE" or rng.random() < 0.4 else "en"
    f = Fmt(lang, money=rng.choice(["post", "sym_sp"]), date_style="dot" if lang == "de" else rng.choice(["iso", "dot"]))
    s = Party(rng, "DE", "Serverhaus Online GmbH")
    rc = b.cc != "DE"
    credit = is_credit(rng, 0.12)
    issue = rand_date(rng)
    p0, p1 = prev_month(issue)
    kinds = [("Cloud Server CX22", "3.7900", "7.5500"), ("Cloud Server CPX31", "13.1000", "15.5900"), ("Primary IPv4", "0.5000", "0.6000"),
             ("Backup", "0.7600", "3.1100"), ("Volume 100 GB", "4.4000", "4.4000"), ("Load Balancer LB11", "5.3900", "5.3900"),
             ("Dedicated Server AX42", "46.0000", "59.0000"), ("Storage Box BX11", "3.2000", "3.8100"), ("Snapshot", "0.0119", "0.0119"),
             ("Traffic (TB)", "1.0000", "1.0000")]
    n = rng.randint(2, 8) if k % 4 != 1 else rng.randint(30, 45)
    items = []
    for i in range(n):
        d, lo, hi = rng.choice(kinds)
        if d == "Snapshot":
            qn = amt(rng, 20, 300, 0)
        elif d.startswith("Traffic"):
            qn = amt(rng, 1, 6, 0)
        else:
            qn = 1
        unit = D(lo) if lo == hi else amt(rng, float(lo), float(hi), 4)
        name = f"{d} #{digs(rng, 8, '4')}" + (f' "{rng.choice(["web", "db", "app", "mail", "ci"])}-{i:02d}"' if d.startswith("Cloud") else "")
        items.append(Item(name, qn, unit, 0 if rc else 19))
    tot = totals_net(items)
    num = "R" + digs(rng, 10, "0")
    L = lambda de, en: de if lang == "de" else en
    sg = -1 if credit else 1
    flow = [("p", "SERVERHAUS", {"size": 18, "bold": True, "color": "#d50c2d", "align": "r"}),
            ("p", sender_line(s, " - "), {"size": 6.5, "color": "#555555"}),
            ("cols", [[b.name] + b.addr + ([COUNTRY_NAME[lang][b.cc]] if b.cc != "DE" else []),
                      [L("Rechnungsnr.", "Invoice no.") + ": " + num, L("Kundennummer", "Customer no.") + ": K" + digs(rng, 10, "0"),
                       L("Datum", "Date") + ": " + f.d(issue), L("Ihre USt-IdNr.", "Your VAT ID") + ": " + vat_p(b.vat, rng, 0)]], [60, 40], {"size": 9}),
            ("sp", 4),
            ("title", (L("Gutschrift", "Credit note") if credit else L("Rechnung", "Invoice")) + " " + num, 13),
            ("p", L(f"Leistungszeitraum {f.d(p0)} – {f.d(p1)}", f"Service period {f.d(p0)} – {f.d(p1)}"), {})]
    head = [L("Pos.", "Item"), L("Bezeichnung", "Description"), L("Menge", "Qty"), L("Einzelpreis", "Unit price"), L("Gesamt", "Amount")]
    rows = [[str(i + 1), it.desc + "\n" + f"{f.d(p0)} - {f.d(p1)}", qty_s(it.qty, f), f.m4(it.unit), f.m(sg * it.amount)] for i, it in enumerate(items)]
    flow.append(("table", head, rows, "llrrr", [7, 55, 8, 15, 15], {"size": 8}))
    tr = [(L("Summe netto", "Total (excl. VAT)"), f.m(sg * tot["sub"]), False),
          (L("USt. 19 %", "VAT 19%") if not rc else L("USt. 0 %", "VAT 0%"), f.m(sg * tot["vat"]), False),
          (L("Summe brutto", "Total (incl. VAT)"), f.m(sg * tot["total"]), True)]
    flow.append(("totals", tr, {"width": 40}))
    due = ib = amount_due = None
    if rc:
        flow.append(("p", RC_TEXT[lang] if lang == "de" else "Reverse charge: the recipient of the service is liable for VAT (Art. 196 Directive 2006/112/EC).", {"size": 8}))
    mode = rng.choice(["card", "sepa", "transfer"]) if not credit else "credit"
    if mode == "card":
        flow.append(("p", L("Der Rechnungsbetrag wird Ihrer Kreditkarte belastet.", "The invoice amount will be charged to your credit card."), {}))
    elif mode == "sepa":
        flow.append(("p", L(f"Der Betrag wird per SEPA-Lastschrift von Ihrem Konto {iban_p(b.iban)[:7]}…{b.iban[-4:]} eingezogen. Mandatsreferenz: {digs(rng, 9)}.",
                            f"The amount will be collected by SEPA direct debit from your account {iban_p(b.iban)[:7]}…{b.iban[-4:]}. Mandate reference: {digs(rng, 9)}."), {}))
    elif mode == "transfer":
        due = issue + timedelta(days=14)
        ib = s.iban
        flow.append(("p", L(f"Bitte überweisen Sie den Betrag von {f.m(tot['total'])} bis zum {f.d(due)} unter Angabe der Rechnungsnummer auf unser Konto: IBAN {iban_p(ib)}, BIC BYLADEM1001.",
                            f"Please transfer {f.m(tot['total'])} by {f.d(due)} quoting the invoice number to: IBAN {iban_p(ib)}, BIC BYLADEM1001."), {}))
    else:
        flow.append(("p", L("Der Betrag wird Ihrem Kundenkonto gutgeschrieben.", "The amount has been credited to your customer account."), {}))
    flow.append(("p", f"{s.name} · {', '.join(s.addr)} · {L('Geschäftsführer', 'Managing director')}: {person(rng)} · Amtsgericht Ansbach HRB {digs(rng, 4, '6')} · USt-IdNr. {s.vat}",
                 {"size": 6.5, "color": "#666666"}))
    th = Theme(font=rng.choice(["sans", "dejavu"]), size=8.5, accent="#d50c2d", rl_font=rng.choice(["DejaVuSans", "DejaVuSansCondensed"]))
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=amount_due, seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "variant": mode}


# 6. French cloud platform (Scaleway style): modern SaaS invoice, billed from / billed to, usage table.

def v_scaleway(rng, k):
    b = make_buyer(rng)
    lang = rng.choice(["en", "en", "fr"]) if b.cc != "FR" else rng.choice(["fr", "en"])
    f = Fmt(lang, money="post" if lang == "fr" else "sym", date_style="slash" if lang == "fr" else rng.choice(["us", "long"]))
    s = Party(rng, "FR", "Nimbo SAS")
    rc = b.cc != "FR"
    issue = rand_date(rng)
    p0, p1 = prev_month(issue)
    prods = [("Instances", "DEV1-S", "730 h", 5, 12), ("Instances", "PRO2-XS", "730 h", 40, 70), ("Object Storage", "Standard Multi-AZ", "412 GB", 3, 12),
             ("Block Storage", "b_ssd 50 GB", "730 h", 3, 6), ("Managed Database", "DB-DEV-S PostgreSQL", "730 h", 10, 20),
             ("Kubernetes Kapsule", "Control plane", "730 h", 0, 0), ("Load Balancer", "LB-S", "730 h", 8, 10),
             ("Flexible IP", "IPv4", "730 h", 2, 4), ("Domains", "example domain renewal", "1", 8, 15), ("Transactional Email", "TEM", "12 400 mails", 1, 5)]
    items = []
    for cat, res, usage, lo, hi in rng.sample(prods, rng.randint(3, 7)):
        if hi == 0:
            continue
        items.append(Item(cat, 1, amt(rng, lo, hi), 0 if rc else 20, extra={"res": res, "usage": usage}))
    tot = totals_net(items)
    num = str(rng.randint(1000000, 9999999)) if rng.random() < 0.5 else "FR" + str(issue.year) + "-" + digs(rng, 6)
    L = lambda fr, en: fr if lang == "fr" else en
    paid = rng.random() < 0.6
    flow = [("cols", [["**nimbo"], [L("Facture", "Invoice"), "**" + num]], [70, 30], {"size": 11}),
            ("sp", 3),
            ("kv", [(L("Émise le", "Issued on"), f.d(issue)), (L("Période", "Billing period"), f"{f.d(p0)} – {f.d(p1)}"),
                    (L("Échéance", "Due on"), f.d(issue + timedelta(days=15))),
                    (L("Organisation", "Organization ID"), "-".join(digs(rng, 4) for _ in range(3)))], {"size": 8.5, "width": 55}),
            ("cols", [[L("Émis par", "Billed from"), "**" + s.name] + s.addr + ["France", L("TVA ", "VAT ") + s.vat],
                      [L("Facturé à", "Billed to"), "**" + b.name] + b.addr + [COUNTRY_NAME["fr" if lang == "fr" else "en"][b.cc], L("TVA ", "VAT ") + b.vat]],
             [50, 50], {"size": 8.5})]
    due = issue + timedelta(days=15)
    head = [L("Produit", "Product"), L("Ressource", "Resource"), L("Consommation", "Usage"), L("Montant HT", "Amount excl. tax")]
    rows = [[it.desc, it.extra["res"], it.extra["usage"], f.m(it.amount)] for it in items]
    flow.append(("table", head, rows, "lllr", [25, 35, 20, 20], {"size": 8.5}))
    tr = [(L("Total HT", "Total excl. taxes"), f.m(tot["sub"]), False),
          ((L("TVA (20 %)", "VAT (20%)") if not rc else L("TVA autoliquidée (0 %)", "VAT reverse charged (0%)")), f.m(tot["vat"]), False),
          (L("Total TTC", "Total incl. taxes"), f.m(tot["total"]), True)]
    ib = None
    if paid:
        tr.append((L("Montant dû", "Amount due"), f.m(0), True))
        flow.append(("totals", tr, {"width": 45}))
        c, l4 = card(rng)
        flow.append(("box", L(f"PAYÉE – prélevée sur la carte {c} •••• {l4} le {f.d(issue)}", f"PAID – charged to {c} •••• {l4} on {f.d(issue)}"), {"bold": True}))
        amount_due = D(0)
    else:
        tr.append((L("Montant dû", "Amount due"), f.m(tot["total"]), True))
        flow.append(("totals", tr, {"width": 45}))
        ib = s.iban
        flow.append(("p", L(f"Merci d'effectuer le virement avant le {f.d(due)} : IBAN {iban_p(ib)} – BIC BNPAFRPP – référence {num}.",
                            f"Please pay by bank transfer before {f.d(due)}: IBAN {iban_p(ib)} – BIC BNPAFRPP – reference {num}."), {}))
        amount_due = tot["total"]
    if rc:
        flow.append(("p", RC_TEXT["fr" if lang == "fr" else "en"], {"size": 7.5}))
    flow.append(("p", f"{s.name} – SAS au capital de 214 410,50 € – RCS Paris {s.vat[4:7]} {s.vat[7:10]} {s.vat[10:]} – {', '.join(s.addr)}", {"size": 7, "color": "#777777"}))
    th = Theme(font="dejavu", size=8.5, accent="#4f0599", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=amount_due, seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib, kind="invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 7. Irish cloud / workspace entity (Google Workspace / Google Cloud style).

def v_google(rng, k):
    b = make_buyer(rng)
    lang = rng.choice(["en", "en", LANG_OF[b.cc]])
    f = Fmt(lang, money="sym" if lang == "en" else rng.choice(["post", "sym_sp"]), date_style="us" if lang == "en" else "long")
    s = Party(rng, "IE", "Quarry Cloud Ireland Limited")
    credit = is_credit(rng, 0.12)
    issue = month_end(rand_date(rng))
    p0 = month_start(issue)
    cloud = rng.random() < 0.5
    if cloud:
        prods = ["Compute Engine N2 Instance Core running in Belgium", "Compute Engine N2 Instance Ram running in Belgium",
                 "Cloud Storage Standard Storage Belgium", "Cloud SQL for PostgreSQL: Zonal - vCPU", "Networking Egress via Carrier Peering",
                 "BigQuery Analysis", "Cloud Run CPU Allocation Time", "Cloud Logging Log Volume", "Artifact Registry Storage",
                 "Cloud DNS ManagedZone", "Persistent Disk SSD Capacity", "Cloud Load Balancing Forwarding Rule"]
        n = rng.randint(4, 12) if k % 4 != 2 else rng.randint(35, 50)
        items = [Item(prods[i % len(prods)] + (f" ({'europe-west1' if i % 2 else 'europe-west4'})" if n > 12 else ""), 1, amt(rng, 0.5, 90), 0,
                      extra={"qty": f"{rng.randint(10, 9000)} {rng.choice(['hour', 'gibibyte month', 'count'])}"}) for i in range(n)]
    else:
        plan = rng.choice(["Business Starter", "Business Standard", "Business Plus"])
        price = {"Business Starter": D("6.80"), "Business Standard": D("13.60"), "Business Plus": D("20.80")}[plan]
        seats = rng.randint(2, 25)
        items = [Item(f"Workspace {plan} - Flexible Plan", seats, price, 0, extra={"qty": f"{seats * 30 if False else seats} users"})]
        if rng.random() < 0.5:
            items.append(Item("Workspace Additional Storage 1 TB", 1, D("8.00"), 0, extra={"qty": "1"}))
        if rng.random() < 0.4:
            items.append(Item(f"Workspace {plan} - prorated adjustment", 1, amt(rng, 3, 30), 0, extra={"qty": "1 user"}))
    tot = totals_net(items)
    num = digs(rng, 10, str(rng.randint(3, 5)))
    L = lambda **kw: T(lang, **kw)
    sg = -1 if credit else 1
    invoiced = rng.random() < 0.5 and not credit
    flow = [("cols", [["**Quarry Cloud"], [L(en="Invoice", nl="Factuur", fr="Facture", de="Rechnung") if not credit else L(en="Credit memo", nl="Creditnota", fr="Note de crédit", de="Gutschrift"),
                                            L(en="Invoice number", nl="Factuurnummer", fr="Numéro de facture", de="Rechnungsnummer") + ": " + num]], [60, 40], {"size": 10}),
            ("cols", [[s.name] + s.addr + ["Ireland", "VAT: " + s.vat],
                      [L(en="**Bill to", nl="**Factuur aan", fr="**Facturé à", de="**Rechnungsempfänger"), b.name] + b.addr + [COUNTRY_NAME[lang][b.cc], "VAT: " + b.vat]],
             [50, 50], {"size": 8.5}),
            ("kv", [(L(en="Invoice date", nl="Factuurdatum", fr="Date de facture", de="Rechnungsdatum"), f.d(issue)),
                    (L(en="Billing ID", nl="Facturerings-ID", fr="ID de facturation", de="Rechnungs-ID"), "-".join(digs(rng, 4) for _ in range(3))),
                    ((L(en="Billing account", nl="Factureringsaccount", fr="Compte de facturation", de="Rechnungskonto") if cloud else L(en="Domain name", nl="Domeinnaam", fr="Nom de domaine", de="Domainname")),
                     ("0" + digs(rng, 5) + "-" + digs(rng, 6)) if cloud else b.name.split()[0].lower().replace("&", "") + "." + {"BE": "be", "NL": "nl", "DE": "de", "FR": "fr"}[b.cc])],
             {"size": 8.5, "width": 60})]
    flow.append(("p", L(en=f"Summary for {f.d(p0)} - {f.d(issue)}", nl=f"Overzicht voor {f.d(p0)} - {f.d(issue)}", fr=f"Récapitulatif du {f.d(p0)} au {f.d(issue)}",
                        de=f"Übersicht für {f.d(p0)} – {f.d(issue)}"), {"bold": True, "size": 10}))
    tr = [(L(en="Subtotal in EUR", nl="Subtotaal in EUR", fr="Sous-total en EUR", de="Zwischensumme in EUR"), f.m(sg * tot["sub"]), False),
          (L(en="VAT (0%)", nl="Btw (0%)", fr="TVA (0 %)", de="USt. (0 %)"), f.m(sg * tot["vat"]), False),
          (L(en="Total in EUR", nl="Totaal in EUR", fr="Total en EUR", de="Gesamtbetrag in EUR"), f.m(sg * tot["total"]), True)]
    due = ib = amount_due = None
    if invoiced:
        due = issue + timedelta(days=30)
        amount_due = tot["total"]
        tr.append((L(en="Amount due in EUR", nl="Verschuldigd bedrag in EUR", fr="Montant dû en EUR", de="Fälliger Betrag in EUR"), f.m(tot["total"]), True))
        tr.append((L(en="Due date", nl="Vervaldatum", fr="Date d'échéance", de="Fälligkeitsdatum"), f.d(due), False))
    flow.append(("totals", tr, {"width": 60, "size": 10}))
    flow.append(("p", L(en="Services subject to the reverse charge – VAT to be accounted for by the recipient as per Article 196 of Council Directive 2006/112/EC.",
                        nl=RC_TEXT["nl"], fr=RC_TEXT["fr"], de=RC_TEXT["de"]), {"size": 7.5}))
    if invoiced:
        ib = s.iban
        flow.append(("box", L(en="Pay by bank transfer", nl="Betalen via overschrijving", fr="Paiement par virement", de="Zahlung per Überweisung") +
                     f"\nBank: Citibank Europe plc · IBAN: {iban_p(ib)} · SWIFT/BIC: CITIIE2X\n" +
                     L(en="Payment reference", nl="Betalingskenmerk", fr="Référence de paiement", de="Verwendungszweck") + f": {num}", {"size": 8.5}))
    elif not credit:
        flow.append(("p", L(en="You will be automatically charged for any amount due.", nl="Het verschuldigde bedrag wordt automatisch in rekening gebracht.",
                            fr="Le montant dû sera prélevé automatiquement.", de="Der fällige Betrag wird automatisch abgebucht."), {"size": 8.5}))
    flow.append(("pb",) if len(items) > 6 or rng.random() < 0.5 else ("hr",))
    flow.append(("p", L(en="Details", nl="Details", fr="Détails", de="Details") + f" – {num}", {"bold": True}))
    head = [L(en="Description", nl="Omschrijving", fr="Description", de="Beschreibung"), L(en="Interval", nl="Periode", fr="Période", de="Zeitraum"),
            L(en="Quantity", nl="Aantal", fr="Quantité", de="Menge"), L(en="Amount (€)", nl="Bedrag (€)", fr="Montant (€)", de="Betrag (€)")]
    rows = [[it.desc, f"{f.d(p0, 'short') if lang == 'en' else f.d(p0)} - {f.d(issue, 'short') if lang == 'en' else f.d(issue)}", it.extra["qty"], f.n(sg * it.amount)] for it in items]
    rows.append([L(en="Subtotal in EUR", nl="Subtotaal in EUR", fr="Sous-total en EUR", de="Zwischensumme in EUR"), "", "", f.n(sg * tot["sub"])])
    flow.append(("table", head, rows, "llrr", [46, 24, 15, 15], {"size": 8, "bold_rows": [len(rows) - 1]}))
    th = Theme(font=rng.choice(["sans", "dejavu"]), size=8.5, accent="#1a73e8", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=amount_due, seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "variant": "cloud" if cloud else "workspace"}


# 8. Irish software licensing entity (Microsoft 365 style): Sold to / Bill to, billing period, charges and credits.

def v_microsoft(rng, k):
    b = make_buyer(rng)
    lang = rng.choice(["en", LANG_OF[b.cc]])
    f = Fmt(lang, money=rng.choice(["code", "bare"]) if lang == "en" else rng.choice(["post", "code_post"]),
            date_style=rng.choice(["slash", "iso"]) if lang != "de" else "dot")
    s = Party(rng, "IE", "Fenestra Ireland Operations Limited")
    credit = is_credit(rng, 0.12)
    issue = rand_date(rng)
    p0 = issue
    p1 = issue + timedelta(days=29)
    local = rng.random() < 0.35
    rate = {"BE": 21, "NL": 21, "DE": 19, "FR": 20}[b.cc] if local else 0
    prods = [("Fenestra 365 Business Basic", D("5.60")), ("Fenestra 365 Business Standard", D("11.70")), ("Fenestra 365 Business Premium", D("20.60")),
             ("Exchange Online (Plan 1)", D("3.70")), ("Teamwork Phone Standard", D("7.50")), ("Copilot for Fenestra 365", D("28.10")),
             ("Power Automate Premium", D("14.00"))]
    items = []
    for d, p in rng.sample(prods, rng.randint(1, 4)):
        items.append(Item(d, rng.randint(1, 30), p, rate, extra={"type": rng.choice(["New", "Renew", "Cycle fee"])}))
    tot = totals_net(items)
    num = "E" + digs(rng, 9, "0") + rng.choice("ABCDEFGHJKLMN") + rng.choice("ABCDEFGHJKLMN")
    L = lambda **kw: T(lang, **kw)
    sg = -1 if credit else 1
    card_paid = rng.random() < 0.5 and not credit
    due = issue + timedelta(days=30)
    flow = [("cols", [["**Fenestra"], [L(en="Invoice", nl="Factuur", fr="Facture", de="Rechnung") if not credit else L(en="Credit Note", nl="Creditnota", fr="Avoir", de="Gutschrift")]],
             [70, 30], {"size": 13}),
            ("kv", [(L(en="Invoice Number", nl="Factuurnummer", fr="Numéro de facture", de="Rechnungsnummer"), num),
                    (L(en="Invoice Date", nl="Factuurdatum", fr="Date de facture", de="Rechnungsdatum"), f.d(issue)),
                    (L(en="Billing Period", nl="Factureringsperiode", fr="Période de facturation", de="Abrechnungszeitraum"), f"{f.d(p0)} - {f.d(p1)}"),
                    (L(en="Billing Account", nl="Factureringsaccount", fr="Compte de facturation", de="Abrechnungskonto"), digs(rng, 10, "1")),
                    (L(en="Due Date", nl="Vervaldatum", fr="Date d'échéance", de="Fälligkeitsdatum"), f.d(due)),
                    (L(en="Payment Terms", nl="Betalingsvoorwaarden", fr="Conditions de paiement", de="Zahlungsbedingungen"), "Net 30"),
                    (L(en="Currency", nl="Valuta", fr="Devise", de="Währung"), "EUR")],
             {"size": 8, "width": 50, "float": "r"}),
            ("cols", [[L(en="**Sold To", nl="**Verkocht aan", fr="**Vendu à", de="**Verkauft an"), b.name] + b.addr + [COUNTRY_NAME[lang][b.cc]],
                      [L(en="**Bill To", nl="**Factuur aan", fr="**Facturer à", de="**Rechnung an"), b.name, L(en="Attn: Accounts Payable", nl="T.a.v. crediteurenadministratie", fr="À l'att. de la comptabilité", de="z. Hd. Buchhaltung")] + b.addr,
                      [L(en="**Customer VAT No.", nl="**Btw-nr. klant", fr="**N° TVA client", de="**USt-IdNr. Kunde"), b.vat, "",
                       L(en="**Supplier", nl="**Leverancier", fr="**Fournisseur", de="**Lieferant"), s.name] + s.addr + ["VAT No. " + s.vat]], [33, 33, 34], {"size": 8})]
    head = [L(en="Product", nl="Product", fr="Produit", de="Produkt"), L(en="Charge Type", nl="Type", fr="Type", de="Art"),
            L(en="Qty", nl="Aantal", fr="Qté", de="Menge"), L(en="Unit Price", nl="Eenheidsprijs", fr="Prix unitaire", de="Einzelpreis"),
            L(en="Extended Amount", nl="Bedrag", fr="Montant", de="Betrag"), L(en="Tax %", nl="Btw %", fr="TVA %", de="USt. %"),
            L(en="Total", nl="Totaal", fr="Total", de="Gesamt")]
    rows = [[it.desc, it.extra["type"], qty_s(it.qty, f), f.n(it.unit), f.n(sg * it.amount), f.pct(it.rate), f.n(sg * q(it.amount * (100 + it.rate) / 100))] for it in items]
    flow.append(("table", head, rows, "llrrrrr", [32, 12, 7, 12, 13, 9, 15], {"size": 7.5, "grid": True}))
    tr = [(L(en="Charges", nl="Kosten", fr="Frais", de="Gebühren"), f.m(sg * tot["sub"]), False),
          (L(en="Credits", nl="Tegoeden", fr="Crédits", de="Gutschriften"), f.m(0), False),
          (L(en="Subtotal", nl="Subtotaal", fr="Sous-total", de="Zwischensumme"), f.m(sg * tot["sub"]), False),
          (L(en="Tax", nl="Btw", fr="TVA", de="Steuer") + f" ({f.pct(rate)})", f.m(sg * tot["vat"]), False),
          (L(en="Total Amount", nl="Totaalbedrag", fr="Montant total", de="Gesamtbetrag"), f.m(sg * tot["total"]), True)]
    ib = None
    if card_paid:
        c, l4 = card(rng)
        tr.append((L(en="Amount Paid", nl="Betaald bedrag", fr="Montant payé", de="Bezahlter Betrag"), f.m(tot["total"]), False))
        tr.append((L(en="Amount Due", nl="Verschuldigd bedrag", fr="Montant dû", de="Fälliger Betrag"), f.m(0), True))
        amount_due = D(0)
    elif not credit:
        tr.append((L(en="Amount Due", nl="Verschuldigd bedrag", fr="Montant dû", de="Fälliger Betrag"), f.m(tot["total"]), True))
        amount_due = tot["total"]
    else:
        amount_due = None
    flow.append(("totals", tr, {"width": 45}))
    if rate == 0:
        flow.append(("p", RC_TEXT[lang], {"size": 7.5}))
    if card_paid:
        flow.append(("p", L(en=f"This invoice has been charged to your {c} ending in {l4}.", nl=f"Deze factuur is afgeschreven van uw {c} eindigend op {l4}.",
                            fr=f"Cette facture a été débitée sur votre carte {c} se terminant par {l4}.", de=f"Diese Rechnung wurde Ihrer {c} mit Endziffern {l4} belastet."), {"size": 8}))
    elif not credit:
        ib = s.iban
        flow.append(("box", L(en="Payment instructions – electronic funds transfer", nl="Betalingsinstructies – overschrijving", fr="Instructions de paiement – virement", de="Zahlungsanweisung – Überweisung") +
                     f"\n{s.name} · Bank of Ireland · IBAN {iban_p(ib)} · BIC BOFIIE2D · " + L(en="Reference", nl="Referentie", fr="Référence", de="Referenz") + f": {num}", {"size": 8}))
    th = Theme(font=rng.choice(["sans", "narrow"]), size=8.5, accent="#0067b8", rl_font="DejaVuSansCondensed")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=amount_due, seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "variant": "local-vat" if local else "reverse-charge"}


# 9. App store receipt (Apple style): Apple-ID-like account, order ID, document no., VAT-inclusive prices, billed to a card.

def v_apple(rng, k):
    b = make_buyer(rng)
    lang = rng.choice(["en", LANG_OF[b.cc]])
    cur = "EUR"
    f = Fmt(lang, cur, money="sym" if lang == "en" else "post", date_style=rng.choice(["short", "long"]) if lang != "de" else "dot")
    s = Party(rng, "IE", "Pomona Distribution International Ltd")
    rate = {"BE": 21, "NL": 21, "DE": 19, "FR": 20}[b.cc]
    apps = [("Cloud storage 2 TB", "Monthly", D("9.99")), ("Logic Pro for iPad", "Monthly", D("4.99")), ("Fieldnotes Pro", "Yearly", D("49.99")),
            ("PDF Expert Suite", "Yearly", D("79.99")), ("Scanner Plus Business", "Monthly", D("7.99")), ("Project Planner X", "Yearly", D("119.99")),
            ("Final Cut for iPad", "Monthly", D("4.99")), ("Weather Pro Radar", "Yearly", D("24.99"))]
    sel = rng.sample(apps, rng.randint(1, 3))
    items = [Item(a, 1, p, rate, gross=True, extra={"kind": per}) for a, per, p in sel]
    tot = totals_gross(items)
    issue = rand_date(rng)
    order = "M" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(9))
    docno = digs(rng, 12, "1")
    c, l4 = card(rng)
    L = lambda **kw: T(lang, **kw)
    acct = person(rng).split()[0].lower() + "@" + b.name.split()[0].lower().replace("&", "") + ".example"
    flow = [("cols", [["**Pomona"], ["", ""]], [60, 40], {"size": 16}),
            ("title", L(en="Invoice", nl="Factuur", fr="Facture", de="Rechnung"), 20),
            ("table", [L(en="ACCOUNT", nl="ACCOUNT", fr="COMPTE", de="ACCOUNT"), L(en="DATE", nl="DATUM", fr="DATE", de="DATUM"),
                       L(en="ORDER ID", nl="BESTEL-ID", fr="N° DE COMMANDE", de="BESTELL-ID"), L(en="DOCUMENT NO.", nl="DOCUMENTNR.", fr="N° DE DOCUMENT", de="DOKUMENTNR.")],
             [[acct, f.d(issue), order, docno]], "llll", [34, 20, 23, 23], {"size": 8}),
            ("cols", [[L(en="BILLED TO", nl="GEFACTUREERD AAN", fr="FACTURÉ À", de="RECHNUNGSEMPFÄNGER"), f"{c} .... {l4}", "**" + b.name] + b.addr + [COUNTRY_NAME[lang][b.cc],
                       L(en="VAT No.", nl="Btw-nr.", fr="N° TVA", de="USt-IdNr.") + " " + b.vat],
                      [L(en="SOLD BY", nl="VERKOCHT DOOR", fr="VENDU PAR", de="VERKAUFT VON"), s.name] + s.addr + ["VAT No. " + s.vat]], [50, 50], {"size": 8})]
    rows = [[a.desc + "\n" + L(en=f"{a.extra['kind']} subscription · Renews {f.d(issue + timedelta(days=30 if a.extra['kind'] == 'Monthly' else 365))}",
                               nl=f"Abonnement · Wordt verlengd op {f.d(issue + timedelta(days=30 if a.extra['kind'] == 'Monthly' else 365))}",
                               fr=f"Abonnement · Renouvellement le {f.d(issue + timedelta(days=30 if a.extra['kind'] == 'Monthly' else 365))}",
                               de=f"Abonnement · Verlängerung am {f.d(issue + timedelta(days=30 if a.extra['kind'] == 'Monthly' else 365))}"),
             L(en="Report a problem", nl="Meld een probleem", fr="Signaler un problème", de="Problem melden"), f.m(a.amount)] for a in items]
    flow.append(("table", ["App Store", "", L(en="PRICE", nl="PRIJS", fr="PRIX", de="PREIS")], rows, "llr", [60, 22, 18], {"size": 8.5}))
    tr = [(L(en="Subtotal", nl="Subtotaal", fr="Sous-total", de="Zwischensumme"), f.m(tot["sub"]), False),
          (L(en=f"VAT charged at {f.pct(rate)}", nl=f"Btw à {f.pct(rate)}", fr=f"TVA facturée à {f.pct_sp(rate)}", de=f"USt. {f.pct_sp(rate)}"), f.m(tot["vat"]), False),
          (L(en="TOTAL", nl="TOTAAL", fr="TOTAL", de="GESAMT"), f.m(tot["total"]), True)]
    flow.append(("totals", tr, {"width": 45, "size": 10}))
    flow.append(("p", L(en=f"Paid with {c} .... {l4}. No amount is outstanding.", nl=f"Betaald met {c} .... {l4}. Er staat geen bedrag meer open.",
                        fr=f"Payé avec {c} .... {l4}. Aucun montant restant dû.", de=f"Bezahlt mit {c} .... {l4}. Es ist kein Betrag offen."), {"size": 8.5}))
    flow.append(("p", L(en="Subscriptions renew automatically until cancelled. Prices include VAT where applicable.",
                        nl="Abonnementen worden automatisch verlengd tot ze worden opgezegd. Prijzen inclusief btw.",
                        fr="Les abonnements sont renouvelés automatiquement jusqu'à leur résiliation. Prix TTC.",
                        de="Abonnements verlängern sich automatisch bis zur Kündigung. Preise inkl. USt."), {"size": 7, "color": "#888888", "align": "c"}))
    th = Theme(font="sans", size=9, accent="#333333", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=docno, issue_date=issue, currency=cur, subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=D(0), seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, kind="invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 10. Ride-hailing trip receipt (Uber style) with the tax invoice issued on the driver's behalf.

def v_uber(rng, k):
    b = make_buyer(rng, ("BE", "NL", "FR", "DE"), (3, 3, 2, 1))
    lang = rng.choice(["en", LANG_OF[b.cc]]) if b.cc != "BE" else rng.choice(["en", "nl", "fr"])
    f = Fmt(lang, money="sym" if lang == "en" else rng.choice(["post", "sym_sp"]), date_style="long")
    rate = {"BE": 6, "NL": 9, "FR": 10, "DE": 7}[b.cc]
    drv_names = {"BE": ["Taxi Lambrechts BV", "Brussels Drive SRL", "Cars Ouali SRL"], "NL": ["Taxibedrijf Yilmaz", "Rijservice Amstel B.V."],
                 "FR": ["VTC Benali SAS", "Transports Morel"], "DE": ["Fahrdienst Özdemir", "Mietwagen Krüger GmbH"]}
    drv = Party(rng, b.cc, rng.choice(drv_names[b.cc]))
    fare = amt(rng, 9, 55)
    items = [Item(T(lang, en="Trip fare", nl="Ritprijs", fr="Prix de la course", de="Fahrpreis"), 1, fare, rate, gross=True)]
    if rng.random() < 0.6:
        items.append(Item(T(lang, en="Booking fee", nl="Boekingskosten", fr="Frais de réservation", de="Buchungsgebühr"), 1, amt(rng, 1, 3), rate, gross=True))
    if rng.random() < 0.3:
        items.append(Item(T(lang, en="Airport surcharge", nl="Toeslag luchthaven", fr="Supplément aéroport", de="Flughafenzuschlag"), 1, D("4.00"), rate, gross=True))
    if rng.random() < 0.3:
        items.append(Item(T(lang, en="Wait time", nl="Wachttijd", fr="Temps d'attente", de="Wartezeit"), 1, amt(rng, 0.5, 3), rate, gross=True))
    tot = totals_gross(items)
    issue = rand_date(rng)
    rider = person(rng)
    c, l4 = card(rng)
    num = {"BE": "BEL", "NL": "NLD", "FR": "FRA", "DE": "DEU"}[b.cc] + "-" + digs(rng, 6) + "-" + str(issue.year)[2:] + "-" + digs(rng, 5)
    L = lambda **kw: T(lang, **kw)
    city = drv.city
    flow = [("cols", [["**Swiftride"], [f.d(issue)]], [70, 30], {"size": 12}),
            ("title", L(en=f"Thanks for riding, {rider.split()[0]}", nl=f"Bedankt voor je rit, {rider.split()[0]}", fr=f"Merci d'avoir voyagé avec nous, {rider.split()[0]}",
                        de=f"Danke für deine Fahrt, {rider.split()[0]}"), 18),
            ("p", L(en="We hope you enjoyed your ride this morning.", nl="We hopen dat je van je rit hebt genoten.", fr="Nous espérons que vous avez apprécié votre course.",
                    de="Wir hoffen, du hattest eine angenehme Fahrt."), {}),
            ("cols", [["**" + L(en="Total", nl="Totaal", fr="Total", de="Gesamt")], ["**" + f.m(tot["total"])]], [70, 30], {"size": 16}),
            ("hr",)]
    rows = [[it.desc, f.m(it.amount)] for it in items]
    flow.append(("table", [L(en="Fare breakdown", nl="Prijsopbouw", fr="Détail du prix", de="Preisaufschlüsselung"), ""], rows, "lr", [70, 30], {}))
    flow.append(("totals", [(L(en="Subtotal", nl="Subtotaal", fr="Sous-total", de="Zwischensumme"), f.m(tot["total"]), True)], {"width": 100}))
    flow.append(("p", L(en="Payments", nl="Betalingen", fr="Paiements", de="Zahlungen"), {"bold": True}))
    flow.append(("cols", [[f"{c} ••••{l4}", f.d(issue) + f" {rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}"], [f.m(tot["total"])]], [70, 30], {}))
    flow.append(("p", L(en=f"Business profile: {b.name}", nl=f"Zakelijk profiel: {b.name}", fr=f"Profil professionnel : {b.name}", de=f"Geschäftsprofil: {b.name}"), {"size": 8.5}))
    flow.append(("p", L(en=f"Swiftride Comfort · {amt(rng, 2, 25, 1)} km · {rng.randint(8, 45)} min", nl=f"Swiftride Comfort · {amt(rng, 2, 25, 1)} km · {rng.randint(8, 45)} min",
                        fr=f"Swiftride Confort · {amt(rng, 2, 25, 1)} km · {rng.randint(8, 45)} min", de=f"Swiftride Comfort · {amt(rng, 2, 25, 1)} km · {rng.randint(8, 45)} Min."), {"size": 8.5, "color": "#555555"}))
    flow.append(("pb",))
    flow.append(("title", L(en="Tax invoice", nl="Btw-factuur", fr="Facture", de="Rechnung"), 15))
    flow.append(("p", L(en=f"Issued by Swiftride B.V. on behalf of {drv.name}", nl=f"Uitgegeven door Swiftride B.V. namens {drv.name}",
                        fr=f"Émise par Swiftride B.V. au nom et pour le compte de {drv.name}", de=f"Ausgestellt von Swiftride B.V. im Namen von {drv.name}"), {"size": 8}))
    flow.append(("cols", [[L(en="**Supplier", nl="**Leverancier", fr="**Prestataire", de="**Leistungserbringer"), drv.name] + drv.addr +
                           [L(en="VAT number", nl="Btw-nummer", fr="N° TVA", de="USt-IdNr.") + ": " + vat_p(drv.vat, rng)],
                          [L(en="**Customer", nl="**Klant", fr="**Client", de="**Kunde"), b.name] + b.addr + [L(en="VAT number", nl="Btw-nummer", fr="N° TVA", de="USt-IdNr.") + ": " + b.vat]],
                 [50, 50], {"size": 8.5}))
    flow.append(("kv", [(L(en="Invoice number", nl="Factuurnummer", fr="Numéro de facture", de="Rechnungsnummer"), num),
                        (L(en="Invoice date", nl="Factuurdatum", fr="Date de facture", de="Rechnungsdatum"), f.d(issue)),
                        (L(en="Trip", nl="Rit", fr="Course", de="Fahrt"), f"{city} – {rng.choice(['Centraal Station', 'Airport', 'Gare du Midi', 'Hauptbahnhof', 'Zuidas'])}")], {"size": 8.5}))
    vt = [[it.desc, f.m(it.amount - q(it.amount * rate / (100 + rate))), f.pct(rate), f.m(q(it.amount * rate / (100 + rate))), f.m(it.amount)] for it in items]
    flow.append(("table", [L(en="Description", nl="Omschrijving", fr="Description", de="Beschreibung"), L(en="Net", nl="Netto", fr="HT", de="Netto"),
                           L(en="VAT rate", nl="Btw-tarief", fr="Taux", de="USt.-Satz"), L(en="VAT", nl="Btw", fr="TVA", de="USt."),
                           L(en="Gross", nl="Bruto", fr="TTC", de="Brutto")], vt, "lrrrr", [36, 16, 14, 16, 18], {"size": 8.5}))
    tr = [(L(en="Total net", nl="Totaal netto", fr="Total HT", de="Summe netto"), f.m(tot["sub"]), False),
          (L(en=f"VAT {f.pct(rate)}", nl=f"Btw {f.pct(rate)}", fr=f"TVA {f.pct_sp(rate)}", de=f"USt. {f.pct_sp(rate)}"), f.m(tot["vat"]), False),
          (L(en="Total amount", nl="Totaalbedrag", fr="Montant total TTC", de="Gesamtbetrag"), f.m(tot["total"]), True),
          (L(en="Amount due", nl="Te betalen", fr="Reste à payer", de="Offener Betrag"), f.m(0), False)]
    flow.append(("totals", tr, {"width": 50}))
    th = Theme(font=rng.choice(["sans", "dejavu"]), size=9, accent="#000000", rl_font="DejaVuSans")
    # per-line VAT rounding could differ from the rate total; print consistent sums
    t = mk_truth(invoice_number=num, issue_date=issue, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=D(0), seller_name=drv.name, seller_vat=drv.vat, buyer_name=b.name, kind="invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 11. Accommodation platform commission invoice (Booking.com style) to a hotel company.

def v_booking(rng, k):
    b = make_buyer(rng)
    b.name = rng.choice({"BE": ["Hotel Ter Reien BV", "B&B De Zilveren Maan BV", "Hôtel des Ardennes SRL"], "NL": ["Hotel De Gouden Leeuw B.V.", "Stadslogement Utrecht B.V."],
                         "DE": ["Hotel am Markt GmbH", "Pension Sonnenhof KG"], "FR": ["Hôtel du Vieux Port SARL", "Gîtes de la Loire SAS"]}[b.cc])
    lang = rng.choice(["en", "en", LANG_OF[b.cc]])
    f = Fmt(lang, money=rng.choice(["code", "sym"]) if lang == "en" else "post", date_style=rng.choice(["iso", "long"]) if lang == "en" else {"nl": "dash", "de": "dot", "fr": "slash"}[lang])
    s = Party(rng, "NL", "Stayfinder B.V.")
    rc = b.cc != "NL"
    credit = is_credit(rng, 0.1)
    issue = month_start(rand_date(rng)) + timedelta(days=rng.randint(0, 4))
    p0, p1 = prev_month(issue)
    n = rng.randint(3, 12) if k % 4 != 1 else rng.randint(40, 55)
    pct = D(rng.choice([15, 15, 17, 18]))
    first = ["J.", "M.", "A.", "S.", "L.", "K.", "P.", "E."]
    last = ["Müller", "Smith", "Dupont", "Jansen", "Rossi", "García", "Novak", "Andersson", "O'Brien", "Kowalski", "Lefebvre", "Schneider"]
    items = []
    for i in range(n):
        arr = p0 + timedelta(days=rng.randint(0, (p1 - p0).days - 1))
        nights = rng.randint(1, 4)
        room = amt(rng, 70, 180) * nights
        items.append(Item(digs(rng, 10, "4"), 1, q(room * pct / 100), 0 if rc else 21,
                          extra={"guest": rng.choice(first) + " " + rng.choice(last), "arr": arr, "dep": arr + timedelta(days=nights), "room": room}))
    tot = totals_net(items)
    num = digs(rng, 10, "1")
    L = lambda **kw: T(lang, **kw)
    due = issue + timedelta(days=14)
    sg = -1 if credit else 1
    flow = [("cols", [["**stayfinder", "", "**" + b.name] + b.addr + [COUNTRY_NAME[lang][b.cc], L(en="VAT number", nl="Btw-nummer", fr="N° TVA", de="USt-IdNr.") + ": " + b.vat],
                      [s.name] + s.addr + ["Netherlands" if lang == "en" else COUNTRY_NAME[lang]["NL"], "VAT: " + vat_p(s.vat, rng, 0), "KvK 3" + digs(rng, 7)]], [60, 40], {"size": 8.5}),
            ("title", (L(en="Credit note", nl="Creditnota", fr="Note de crédit", de="Gutschrift") if credit else L(en="Invoice", nl="Factuur", fr="Facture", de="Rechnung")), 16),
            ("kv", [(L(en="Invoice number", nl="Factuurnummer", fr="Numéro de facture", de="Rechnungsnummer"), num),
                    (L(en="Invoice date", nl="Factuurdatum", fr="Date de facture", de="Rechnungsdatum"), f.d(issue)),
                    (L(en="Property ID", nl="Accommodatie-ID", fr="ID de l'établissement", de="Unterkunfts-ID"), digs(rng, 7, "2")),
                    (L(en="Period", nl="Periode", fr="Période", de="Zeitraum"), f"{f.d(p0)} - {f.d(p1)}"),
                    (L(en="Due date", nl="Vervaldatum", fr="Date d'échéance", de="Fälligkeitsdatum"), f.d(due))], {"size": 8.5}),
            ("p", L(en=f"Commission for reservations with check-out in {MONTHS['en'][p0.month - 1]} {p0.year}",
                    nl=f"Commissie voor reserveringen met vertrek in {MONTHS['nl'][p0.month - 1]} {p0.year}",
                    fr=f"Commission pour les réservations avec départ en {MONTHS['fr'][p0.month - 1]} {p0.year}",
                    de=f"Provision für Buchungen mit Abreise im {MONTHS['de'][p0.month - 1]} {p0.year}"), {"bold": True})]
    head = [L(en="Reservation", nl="Reservering", fr="Réservation", de="Buchung"), L(en="Guest name", nl="Gast", fr="Client", de="Gast"),
            L(en="Arrival", nl="Aankomst", fr="Arrivée", de="Anreise"), L(en="Departure", nl="Vertrek", fr="Départ", de="Abreise"),
            L(en="Room sales", nl="Kameromzet", fr="Montant du séjour", de="Zimmerumsatz"), L(en="Commission %", nl="Commissie %", fr="Commission %", de="Provision %"),
            L(en="Commission", nl="Commissie", fr="Commission", de="Provision")]
    rows = [[it.desc, it.extra["guest"], f.d(it.extra["arr"], "dash" if lang == "nl" else "dot" if lang == "de" else "slash" if lang == "fr" else "iso"),
             f.d(it.extra["dep"], "dash" if lang == "nl" else "dot" if lang == "de" else "slash" if lang == "fr" else "iso"), f.n(it.extra["room"]), f.pct(pct), f.n(sg * it.amount)] for it in items]
    flow.append(("table", head, rows, "llllrrr", [15, 20, 13, 13, 14, 11, 14], {"size": 7.5, "zebra": True}))
    tr = [(L(en="Total commission", nl="Totaal commissie", fr="Total commission", de="Summe Provision"), f.m(sg * tot["sub"]), False),
          ((L(en="VAT 21%", nl="Btw 21%", fr="TVA 21 %", de="USt. 21 %") if not rc else L(en="VAT reverse charged", nl="Btw verlegd", fr="TVA autoliquidée", de="USt. (Reverse Charge)")),
           f.m(sg * tot["vat"]), False),
          (L(en="Total amount due", nl="Totaal te betalen", fr="Montant total dû", de="Zu zahlender Betrag") if not credit else L(en="Total credited", nl="Totaal gecrediteerd", fr="Total crédité", de="Gutgeschrieben"),
           f.m(sg * tot["total"]), True)]
    flow.append(("totals", tr, {"width": 50}))
    if rc:
        flow.append(("p", RC_TEXT[lang], {"size": 7.5}))
    ib = None
    if not credit:
        ib = s.iban
        flow.append(("box", L(en="Please transfer the amount due before the due date to", nl="Gelieve het bedrag vóór de vervaldatum over te maken naar",
                               fr="Veuillez virer le montant avant la date d'échéance sur le compte", de="Bitte überweisen Sie den Betrag bis zum Fälligkeitsdatum auf") +
                     f" IBAN {iban_p(ib)}, BIC ABNANL2A, " + L(en="stating", nl="met vermelding van", fr="en indiquant", de="unter Angabe von") + f" {num}.", {"size": 8.5}))
    th = Theme(font="sans", size=8.5, accent="#003580", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=None if credit else tot["total"], seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 12. Home-sharing host service fee invoice (Airbnb style).

def v_airbnb(rng, k):
    b = make_buyer(rng)
    b.name = rng.choice({"BE": ["Vakantiewoningen Kust BV", "Gîtes Ardennais SRL"], "NL": ["Logeren aan Zee B.V.", "Grachtenverhuur B.V."],
                         "DE": ["Ferienwohnungen Ostsee GmbH"], "FR": ["Locations Provence SARL"]}[b.cc])
    lang = rng.choice(["en", LANG_OF[b.cc]])
    f = Fmt(lang, money="sym" if lang == "en" else "post", date_style=rng.choice(["us", "long"]) if lang == "en" else "long")
    s = Party(rng, "IE", "Nestly Ireland UC")
    rc = rng.random() < 0.6
    rate = 0 if rc else 23
    issue = rand_date(rng)
    n = rng.randint(1, 5)
    items = []
    for i in range(n):
        code = "HM" + "".join(rng.choice("ABCDEFGHJKMNPQRSTWXYZ2345689") for _ in range(8))
        payout = amt(rng, 150, 1400)
        items.append(Item(code, 1, q(payout * D("0.03")), rate, extra={"payout": payout}))
    tot = totals_net(items)
    num = digs(rng, 10, "2") if rng.random() < 0.5 else "".join(rng.choice("ABCDEFGHJKMNPQRSTWXYZ23456789") for _ in range(10))
    L = lambda **kw: T(lang, **kw)
    flow = [("p", "nestly", {"size": 20, "bold": True, "color": "#ff385c"}),
            ("title", L(en="VAT invoice", nl="Btw-factuur", fr="Facture de TVA", de="Umsatzsteuerrechnung"), 15),
            ("kv", [(L(en="Invoice number", nl="Factuurnummer", fr="Numéro de facture", de="Rechnungsnummer"), num),
                    (L(en="Invoice date", nl="Factuurdatum", fr="Date de facture", de="Rechnungsdatum"), f.d(issue)),
                    (L(en="Host", nl="Host", fr="Hôte", de="Gastgeber"), b.name),
                    (L(en="Host VAT ID", nl="Btw-nummer host", fr="N° TVA de l'hôte", de="USt-IdNr. Gastgeber"), b.vat)], {"size": 9}),
            ("cols", [[L(en="**Issued by", nl="**Uitgegeven door", fr="**Émise par", de="**Ausgestellt von"), s.name] + s.addr + ["Ireland", "VAT: " + s.vat],
                      [L(en="**Billed to", nl="**Gefactureerd aan", fr="**Facturée à", de="**Rechnung an"), b.name] + b.addr + [COUNTRY_NAME[lang][b.cc]]], [50, 50], {"size": 8.5})]
    head = [L(en="Description", nl="Omschrijving", fr="Description", de="Beschreibung"), L(en="Confirmation code", nl="Bevestigingscode", fr="Code de confirmation", de="Bestätigungscode"),
            L(en="Host payout", nl="Uitbetaling", fr="Versement", de="Auszahlung"), L(en="Amount", nl="Bedrag", fr="Montant", de="Betrag")]
    rows = [[L(en="Host service fee (3.0%)", nl="Servicekosten host (3,0%)", fr="Frais de service hôte (3,0 %)", de="Gastgeber-Servicegebühr (3,0 %)"), it.desc, f.m(it.extra["payout"]), f.m(it.amount)] for it in items]
    flow.append(("table", head, rows, "llrr", [40, 22, 19, 19], {}))
    tr = [(L(en="Total excl. VAT", nl="Totaal excl. btw", fr="Total HT", de="Summe netto"), f.m(tot["sub"]), False),
          (L(en=f"VAT ({f.pct(rate)})", nl=f"Btw ({f.pct(rate)})", fr=f"TVA ({f.pct_sp(rate)})", de=f"USt. ({f.pct_sp(rate)})"), f.m(tot["vat"]), False),
          (L(en="Total incl. VAT", nl="Totaal incl. btw", fr="Total TTC", de="Gesamtbetrag"), f.m(tot["total"]), True),
          (L(en="Amount paid", nl="Betaald bedrag", fr="Montant payé", de="Bezahlt"), f.m(tot["total"]), False),
          (L(en="Balance due", nl="Openstaand saldo", fr="Solde dû", de="Restbetrag"), f.m(0), True)]
    flow.append(("totals", tr, {"width": 50}))
    flow.append(("p", L(en="The service fee was deducted from your payout.", nl="De servicekosten zijn ingehouden op je uitbetaling.",
                        fr="Les frais de service ont été déduits de votre versement.", de="Die Servicegebühr wurde von deiner Auszahlung abgezogen."), {"size": 8.5}))
    if rc:
        flow.append(("p", RC_TEXT[lang], {"size": 7.5}))
    th = Theme(font="dejavu", size=9, accent="#222222", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=D(0), seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, kind="invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 13. E-commerce platform bill (Shopify style), usually in USD.

def v_shopify(rng, k):
    b = make_buyer(rng)
    lang = "en"
    cur = rng.choice(["USD", "USD", "EUR", "GBP"]) if k % 4 != 0 else "USD"
    f = Fmt(lang, cur, money=rng.choice(["sym", "code"]), date_style=rng.choice(["us", "long"]))
    s = Party(rng, "IE", "Shopcraft International Limited")
    rc = rng.random() < 0.7
    rate = 0 if rc else {"BE": 21, "NL": 21, "DE": 19, "FR": 20}[b.cc]
    issue = rand_date(rng)
    p0 = issue - timedelta(days=30)
    store = b.name.split()[0].lower().replace("&", "") + "-shop"
    items = [Item(rng.choice(["Basic", "Grow", "Advanced"]) + " plan subscription", 1, D(rng.choice(["39.00", "105.00", "399.00"])), rate, extra={"sec": "Subscription"})]
    apps = ["Reviews Pro", "Bundle Builder", "Loyalty Points Plus", "Email Campaigns", "Invoice Generator", "Upsell Studio"]
    for a in rng.sample(apps, rng.randint(0, 3)):
        items.append(Item(a, 1, D(rng.choice(["4.99", "9.99", "14.99", "19.99", "29.00"])), rate, extra={"sec": "Apps"}))
    if rng.random() < 0.7:
        items.append(Item(f"Transaction fees ({rng.randint(20, 300)} orders)", 1, amt(rng, 5, 90), rate, extra={"sec": "Transaction fees"}))
    if rng.random() < 0.5:
        items.append(Item(f"Shipping labels ({rng.randint(5, 80)} labels)", 1, amt(rng, 20, 300), rate, extra={"sec": "Shipping"}))
    tot = totals_net(items)
    num = digs(rng, 9, "3")
    c, l4 = card(rng)
    flow = [("cols", [["**shopcraft"], ["Bill #" + num]], [65, 35], {"size": 14}),
            ("kv", [("Bill date", f.d(issue)), ("Billing period", f"{f.d(p0)} – {f.d(issue)}"), ("Store", f"{store}.shopcraft.example"), ("Currency", cur)],
             {"size": 8.5, "width": 60}),
            ("cols", [["**Bill to", b.name] + b.addr + [COUNTRY_NAME["en"][b.cc], "VAT ID: " + b.vat],
                      ["**From", s.name] + s.addr + ["Ireland", "VAT Reg. No. " + s.vat]], [50, 50], {"size": 8.5})]
    rows = [[it.extra["sec"], it.desc, f.m(it.amount)] for it in items]
    flow.append(("table", ["Type", "Description", "Amount"], rows, "llr", [22, 58, 20], {}))
    tr = [("Subtotal", f.m(tot["sub"]), False), (f"VAT {f.pct(rate)}" + (" (reverse charge)" if rc else ""), f.m(tot["vat"]), False),
          ("Total", f.m(tot["total"]) + ("" if f.money_style == "code" else f" {cur}"), True),
          (f"Paid with {c} ending in {l4}", f.m(-tot["total"]), False), ("Balance", f.m(0), True)]
    flow.append(("totals", tr, {"width": 55}))
    if rc:
        flow.append(("p", RC_TEXT["en"], {"size": 7.5}))
    flow.append(("p", "Questions about this bill? Visit your admin under Settings > Billing.", {"size": 8, "color": "#6d7175"}))
    th = Theme(font="dejavu", size=9, accent="#008060", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, currency=cur, subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=D(0), seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, kind="invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "currency": cur}


# 14. Payment processor fee invoice (Stripe style): fees deducted from the balance.

def v_stripe(rng, k):
    b = make_buyer(rng)
    lang = "en" if rng.random() < 0.7 else LANG_OF[b.cc]
    cur = "EUR" if rng.random() < 0.85 else "GBP"
    f = Fmt(lang, cur, money="sym" if lang == "en" else "post", date_style="us" if lang == "en" else "long")
    s = Party(rng, "IE", "Paystream Payments Europe, Limited")
    rc = rng.random() < 0.75
    rate = 0 if rc else 23
    issue = month_start(rand_date(rng))
    p0, p1 = prev_month(issue)
    L = lambda **kw: T(lang, **kw)
    fees = [L(en="Payment processing fees", nl="Transactiekosten", fr="Frais de traitement des paiements", de="Zahlungsabwicklungsgebühren"),
            L(en="Radar fraud screening", nl="Radar fraudedetectie", fr="Radar – détection de fraude", de="Radar-Betrugserkennung"),
            L(en="Billing usage fees", nl="Billing-kosten", fr="Frais Billing", de="Billing-Gebühren"),
            L(en="Currency conversion fees", nl="Valutaconversiekosten", fr="Frais de conversion", de="Währungsumrechnungsgebühren"),
            L(en="Invoicing fees", nl="Facturatiekosten", fr="Frais de facturation", de="Rechnungsstellungsgebühren"),
            L(en="Dispute fees", nl="Geschilkosten", fr="Frais de litige", de="Rückbuchungsgebühren")]
    items = [Item(fees[0], 1, amt(rng, 20, 900), rate)] + [Item(x, 1, amt(rng, 1, 60), rate) for x in rng.sample(fees[1:], rng.randint(1, 4))]
    tot = totals_net(items)
    num = "".join(rng.choice("ABCDEF0123456789") for _ in range(8)).upper() + "-" + digs(rng, 4, "0")
    flow = [("p", "paystream", {"size": 18, "bold": True, "color": "#635bff"}),
            ("title", L(en="Tax invoice", nl="Btw-factuur", fr="Facture", de="Steuerrechnung"), 14),
            ("cols", [[L(en="Invoice number", nl="Factuurnummer", fr="Numéro de facture", de="Rechnungsnummer"), L(en="Date of issue", nl="Uitgiftedatum", fr="Date d'émission", de="Ausstellungsdatum"),
                       L(en="Service period", nl="Dienstperiode", fr="Période de service", de="Leistungszeitraum"), L(en="Account ID", nl="Account-ID", fr="ID de compte", de="Konto-ID")],
                      [num, f.d(issue), f"{f.d(p0)} – {f.d(p1)}", "acct_" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz0123456789") for _ in range(16))]],
             [30, 70], {"size": 8.5}),
            ("cols", [["**" + s.name] + s.addr + ["Ireland", "VAT " + s.vat],
                      [L(en="**Bill to", nl="**Factuur aan", fr="**Facturer à", de="**Rechnung an"), b.name] + b.addr + [COUNTRY_NAME[lang][b.cc], "VAT " + b.vat]], [50, 50], {"size": 8.5})]
    rows = [[it.desc, f.m(it.amount), f.pct(rate), f.m(q(it.amount * rate / 100)), f.m(q(it.amount * (100 + rate) / 100))] for it in items]
    flow.append(("table", [L(en="Description", nl="Omschrijving", fr="Description", de="Beschreibung"), L(en="Amount excl. VAT", nl="Bedrag excl. btw", fr="Montant HT", de="Netto"),
                           L(en="VAT rate", nl="Btw", fr="Taux", de="Satz"), L(en="VAT", nl="Btw-bedrag", fr="TVA", de="USt."), L(en="Amount", nl="Bedrag", fr="Montant TTC", de="Brutto")],
                 rows, "lrrrr", [40, 16, 10, 14, 20], {}))
    tr = [(L(en="Subtotal", nl="Subtotaal", fr="Sous-total", de="Zwischensumme"), f.m(tot["sub"]), False),
          (L(en="Total VAT", nl="Totaal btw", fr="Total TVA", de="Summe USt."), f.m(tot["vat"]), False),
          (L(en="Total", nl="Totaal", fr="Total", de="Gesamt"), f.m(tot["total"]), True),
          (L(en="Amount paid", nl="Betaald bedrag", fr="Montant payé", de="Bezahlt"), f.m(tot["total"]), False),
          (L(en="Amount due", nl="Te betalen", fr="Montant dû", de="Fälliger Betrag"), f.m(0), True)]
    flow.append(("totals", tr, {"width": 50}))
    flow.append(("p", L(en=f"These fees were deducted from your account balance on {f.d(p1)}.", nl=f"Deze kosten zijn op {f.d(p1)} van je saldo afgetrokken.",
                        fr=f"Ces frais ont été déduits de votre solde le {f.d(p1)}.", de=f"Diese Gebühren wurden am {f.d(p1)} von Ihrem Guthaben abgezogen."), {"size": 8.5}))
    if rc:
        flow.append(("p", RC_TEXT[lang], {"size": 7.5}))
    th = Theme(font="sans", size=9, accent="#635bff", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, currency=cur, subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=D(0), seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, kind="invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "currency": cur}


# 15. Dutch payment service provider invoice (Mollie style): transaction costs per payment method.

def v_mollie(rng, k):
    b = make_buyer(rng, ("NL", "BE", "DE"), (4, 3, 1))
    lang = {"NL": "nl", "BE": rng.choice(["nl", "fr", "en"]), "DE": rng.choice(["de", "en"])}[b.cc]
    f = Fmt(lang, money="sym_sp" if lang == "nl" else "sym" if lang == "en" else "post", date_style={"nl": "long", "en": "long", "fr": "long", "de": "dot"}[lang])
    s = Party(rng, "NL", "Muntje B.V.")
    rc = b.cc != "NL"
    rate = 0 if rc else 21
    issue = month_start(rand_date(rng))
    p0, p1 = prev_month(issue)
    meths = [("iDEAL", D("0.29")), ("Bancontact", D("0.39")), ("Creditcard (EU)", None), ("PayPal", D("0.10")), ("SEPA-incasso", D("0.30")),
             ("Klarna", None), ("Apple Pay", None), ("Terugbetalingen", D("0.25")), ("Chargebacks", D("15.00"))]
    items = []
    for m, unit in rng.sample(meths, rng.randint(2, 6)):
        cnt = rng.randint(1, 800) if unit != D("15.00") else rng.randint(1, 3)
        if unit is None:
            items.append(Item(m + " (1,8% + € 0,25)" if lang != "en" else m + " (1.8% + €0.25)", 1, amt(rng, 10, 300), rate, extra={"cnt": cnt}))
        else:
            items.append(Item(m, cnt, unit, rate, extra={"cnt": cnt}))
    tot = totals_net(items)
    num = "M" + str(issue.year) + digs(rng, 7)
    L = lambda **kw: T(lang, **kw)
    flow = [("cols", [["**muntje"], [s.name] + s.addr + ["KvK 3" + digs(rng, 7), L(en="VAT", nl="Btw", fr="TVA", de="USt-IdNr.") + " " + vat_p(s.vat, rng)]], [60, 40], {"size": 8.5}),
            ("sp", 5),
            ("cols", [[b.name] + b.addr + [COUNTRY_NAME[lang][b.cc]],
                      [L(en="Invoice number", nl="Factuurnummer", fr="Numéro de facture", de="Rechnungsnummer") + ": " + num,
                       L(en="Invoice date", nl="Factuurdatum", fr="Date de facture", de="Rechnungsdatum") + ": " + f.d(issue),
                       L(en="Organisation ID", nl="Organisatie-ID", fr="ID d'organisation", de="Organisations-ID") + ": org_" + digs(rng, 8),
                       L(en="Your VAT number", nl="Uw btw-nummer", fr="Votre n° TVA", de="Ihre USt-IdNr.") + ": " + b.vat]], [55, 45], {"size": 8.5}),
            ("title", L(en="Invoice", nl="Factuur", fr="Facture", de="Rechnung") + f" {MONTHS[lang][p0.month - 1]} {p0.year}", 15)]
    rows = [[it.desc, str(it.extra["cnt"]), f.m(it.unit) if it.qty != 1 or it.extra["cnt"] == 1 else "", f.m(it.amount)] for it in items]
    flow.append(("table", [L(en="Description", nl="Omschrijving", fr="Description", de="Beschreibung"), L(en="Count", nl="Aantal", fr="Nombre", de="Anzahl"),
                           L(en="Rate", nl="Tarief", fr="Tarif", de="Tarif"), L(en="Amount", nl="Bedrag", fr="Montant", de="Betrag")], rows, "lrrr", [50, 14, 16, 20], {}))
    tr = [(L(en="Subtotal", nl="Subtotaal", fr="Sous-total", de="Zwischensumme"), f.m(tot["sub"]), False),
          ((L(en="VAT 21%", nl="Btw 21%", fr="TVA 21 %", de="USt. 21 %") if not rc else L(en="VAT reverse charged", nl="Btw verlegd", fr="TVA autoliquidée", de="USt. Reverse Charge")), f.m(tot["vat"]), False),
          (L(en="Total", nl="Totaal", fr="Total", de="Gesamt"), f.m(tot["total"]), True)]
    explicit = rng.random() < 0.6
    if explicit:
        tr.append((L(en="Outstanding", nl="Openstaand", fr="Solde restant", de="Offen"), f.m(0), True))
    flow.append(("totals", tr, {"width": 45}))
    flow.append(("p", L(en="This invoice has been settled with your payouts. No action is required.", nl="Deze factuur is verrekend met je uitbetalingen. Je hoeft niets te doen.",
                        fr="Cette facture a été réglée par compensation avec vos versements. Aucune action n'est requise.",
                        de="Diese Rechnung wurde mit Ihren Auszahlungen verrechnet. Sie müssen nichts tun."), {}))
    if rc:
        flow.append(("p", RC_TEXT[lang], {"size": 7.5}))
    th = Theme(font="sans", size=9, accent="#000000", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=D(0), seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, kind="invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 16. Telecom bill (Proximus / Telenet / KPN / Orange style): summary first, details after.

def v_telecom(rng, k):
    var = ["proximus", "kpn", "telenet", "orange"][k % 4] if rng.random() < 0.7 else rng.choice(["proximus", "kpn", "telenet", "orange"])
    cc = {"proximus": "BE", "telenet": "BE", "kpn": "NL", "orange": "FR"}[var]
    b = make_buyer(rng, (cc,), (1,))
    lang = be_lang(rng, b) if cc == "BE" else LANG_OF[cc]
    f = Fmt(lang, money="sym_sp" if lang == "nl" else "post", date_style="dash" if lang == "nl" else "slash")
    s = Party(rng, cc, {"proximus": "Connectis NV", "telenet": "Kabelnet BV", "kpn": "Telnova B.V.", "orange": "Citron Télécom SA"}[var])
    rate = 20 if cc == "FR" else 21
    credit = is_credit(rng, 0.1)
    issue = rand_date(rng)
    p0 = month_start(issue)
    p1 = month_end(issue)
    L = lambda nl, fr: fr if lang == "fr" else nl
    subs = [(L("Abonnement Business Fiber 500", "Abonnement Business Fibre 500"), 45, 90), (L("Mobiel abonnement Unlimited", "Abonnement mobile Illimité"), 15, 40),
            (L("Mobiel abonnement 20 GB", "Abonnement mobile 20 Go"), 10, 25), (L("Vaste lijn Business", "Ligne fixe Pro"), 15, 30),
            (L("Optie vast IP-adres", "Option adresse IP fixe"), 5, 10), (L("Huur modem", "Location modem"), 4, 8),
            (L("TV Business", "TV Pro"), 15, 30), (L("Verbruik buiten bundel", "Consommation hors forfait"), 1, 30), (L("Roaming buiten EU", "Roaming hors UE"), 2, 40),
            (L("Microsoft 365 via operator", "Microsoft 365 via l'opérateur"), 5, 15), (L("Cloud back-up 100 GB", "Sauvegarde cloud 100 Go"), 2, 5)]
    n = rng.randint(3, 7) if k % 4 != 2 else rng.randint(18, 26)
    items = []
    for i in range(n):
        d, lo, hi = subs[i % len(subs)] if n > 8 else rng.choice(subs)
        if n > 8 and i >= len(subs):
            d = L("Mobiel abonnement – 04", "Abonnement mobile – 06") + digs(rng, 2) + " " + digs(rng, 2) + " " + digs(rng, 2) + " " + digs(rng, 2)
        items.append(Item(d, 1, amt(rng, lo, hi), rate))
    if credit:
        items = [Item(L("Terugbetaling abonnement na opzegging", "Remboursement d'abonnement après résiliation"), 1, amt(rng, 10, 80), rate)]
    tot = totals_net(items)
    num = digs(rng, 10 if cc == "BE" else 12, "6")
    cust = digs(rng, 8, "5")
    direct_debit = rng.random() < 0.4 and not credit
    due = issue + timedelta(days=rng.choice([14, 20, 30]))
    ref = ogm(rng) if cc == "BE" else (kenmerk(rng) if cc == "NL" else None)
    sg = -1 if credit else 1
    brand = {"proximus": "connectis", "telenet": "kabelnet", "kpn": "telnova", "orange": "citron"}[var]
    accent = {"proximus": "#5c2d91", "telenet": "#ffc421", "kpn": "#00c300", "orange": "#ff7900"}[var]
    title = (L("Creditnota", "Note de crédit") if credit else L("Uw factuur", "Votre facture"))
    flow = [("cols", [["**" + brand], [title, L("Factuurnummer", "N° de facture") + " " + num, L("Klantnummer", "N° client") + " " + cust,
                                       L("Factuurdatum", "Date de facture") + " " + f.d(issue)]], [60, 40], {"size": 10}),
            ("sp", 4),
            ("cols", [[b.name, L("T.a.v. de boekhouding", "À l'attention de la comptabilité")] + b.addr,
                      [L("Btw-nummer klant", "N° TVA client") + ": " + vat_p(b.vat, rng), L("Periode", "Période") + f": {f.d(p0)} - {f.d(p1)}"]], [55, 45], {"size": 9})]
    pay = L("Te betalen", "Montant à payer") if not credit else L("In uw voordeel", "En votre faveur")
    box = [("p", L("Overzicht van uw factuur", "Résumé de votre facture"), {"bold": True, "size": 11}),
           ("totals", [(L("Abonnementen en opties", "Abonnements et options"), f.m(sg * tot["sub"]), False),
                       (L(f"Btw {rate}%", f"TVA {rate} %"), f.m(sg * tot["vat"]), False),
                       (L("Totaal incl. btw", "Total TVAC") if cc == "BE" else L("Totaal incl. btw", "Total TTC"), f.m(sg * tot["total"]), True)], {"width": 70}),
           ("cols", [["**" + pay], ["**" + f.m(tot["total"])]], [70, 30], {"size": 13})]
    flow += box
    ib = None
    if credit:
        flow.append(("p", L("Dit bedrag wordt verrekend met uw volgende factuur.", "Ce montant sera déduit de votre prochaine facture."), {}))
    elif direct_debit:
        flow.append(("box", L(f"Dit bedrag wordt rond {f.d(due)} via domiciliëring van uw rekening {b.iban[:4]} **** **** {b.iban[-4:]} afgeschreven. U hoeft niets te doen.",
                              f"Ce montant sera prélevé vers le {f.d(due)} de votre compte {b.iban[:4]} **** **** {b.iban[-4:]}. Vous ne devez rien faire."), {}))
    else:
        ib = s.iban
        flow.append(("kv", [(L("Te betalen vóór", "À payer avant le"), "**" + f.d(due)), ("IBAN", iban_p(ib)), ("BIC", "BBRUBEBB" if cc == "BE" else "ABNANL2A" if cc == "NL" else "BNPAFRPP")] +
                     ([(L("Gestructureerde mededeling", "Communication structurée") if cc == "BE" else "Betalingskenmerk", ref)] if ref else [(L("Référence", "Référence"), num)]),
                     {"size": 9, "width": 60}))
    flow.append(("pb",))
    flow.append(("title", L("Detail van uw factuur", "Détail de votre facture"), 12))
    rows = [[it.desc, f"{f.d(p0)} - {f.d(p1)}", f.m(sg * it.amount), f.pct(rate)] for it in items]
    flow.append(("table", [L("Omschrijving", "Description"), L("Periode", "Période"), L("Bedrag excl. btw", "Montant HTVA" if cc == "BE" else "Montant HT"), L("Btw", "TVA")],
                 rows, "llrr", [46, 28, 16, 10], {"size": 8.5}))
    flow.append(("totals", [(L("Totaal excl. btw", "Total HTVA" if cc == "BE" else "Total HT"), f.m(sg * tot["sub"]), True)], {"width": 50}))
    flow.append(("p", f"{s.name} · {', '.join(s.addr)} · " + L("Btw", "TVA") + f" {vat_p(s.vat, rng)} · " + ("RPR Brussel" if cc == "BE" else "KvK" if cc == "NL" else "RCS Nanterre"),
                 {"size": 7, "color": "#666666"}))
    th = Theme(font=rng.choice(["sans", "dejavu"]), size=9, accent=accent if var != "telenet" else "#333333", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=None if credit or direct_debit else due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=None if credit else tot["total"], seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "variant": var}


# 17. Energy advance / monthly bill (Engie / Eneco / Vattenfall style).

def v_energy(rng, k):
    var = rng.choice(["engie", "eneco", "vattenfall"])
    cc = {"engie": "BE", "eneco": "NL", "vattenfall": rng.choice(["NL", "DE"])}[var]
    b = make_buyer(rng, (cc,), (1,))
    lang = be_lang(rng, b) if cc == "BE" else LANG_OF[cc]
    f = Fmt(lang, money="sym_sp" if lang == "nl" else "post", date_style={"nl": "long", "fr": "long", "de": "dot"}[lang])
    s = Party(rng, cc, {"engie": "Enerya Belgium NV", "eneco": "Energiek Zakelijk B.V.", "vattenfall": "Stroomveld B.V." if cc == "NL" else "Stromwerk Vertrieb GmbH"}[var])
    rate = {"BE": 21, "NL": 21, "DE": 19}[cc]
    credit = is_credit(rng, 0.12)
    issue = rand_date(rng)
    L = lambda **kw: T(lang, **kw)
    ean1 = "54" + digs(rng, 16) if cc == "BE" else "871" + digs(rng, 15)
    items = [Item(L(nl="Voorschot elektriciteit", fr="Acompte électricité", de="Abschlag Strom"), 1, amt(rng, 60, 400), rate, extra={"ean": ean1})]
    if rng.random() < 0.7:
        items.append(Item(L(nl="Voorschot aardgas", fr="Acompte gaz naturel", de="Abschlag Erdgas"), 1, amt(rng, 40, 300), rate, extra={"ean": ("54" if cc == "BE" else "871") + digs(rng, 16 if cc == "BE" else 15)}))
    if credit:
        items = [Item(L(nl="Creditering te veel gefactureerd voorschot", fr="Crédit acompte facturé en trop", de="Gutschrift zu viel berechneter Abschlag"), 1, amt(rng, 30, 200), rate, extra={"ean": ean1})]
    tot = totals_net(items)
    num = digs(rng, 12, "3")
    due = issue + timedelta(days=15)
    debit = rng.random() < 0.4 and not credit
    ref = ogm(rng) if cc == "BE" else kenmerk(rng) if cc == "NL" else "RE" + num
    accent = {"engie": "#00aaff", "eneco": "#e4003a", "vattenfall": "#ffda00"}[var]
    brand = {"engie": "enerya", "eneco": "energiek", "vattenfall": "stroomveld" if cc == "NL" else "stromwerk"}[var]
    title = (L(nl="Creditnota", fr="Note de crédit", de="Gutschrift") if credit else L(nl="Voorschotfactuur", fr="Facture d'acompte", de="Abschlagsrechnung"))
    sg = -1 if credit else 1
    flow = [("p", brand, {"size": 20, "bold": True, "color": accent if var != "vattenfall" else "#1964a3"}),
            ("p", sender_line(s, ", "), {"size": 6.5}),
            ("cols", [[b.name] + b.addr,
                      [L(nl="**Uw gegevens", fr="**Vos données", de="**Ihre Daten"),
                       L(nl="Klantnummer", fr="Numéro client", de="Kundennummer") + ": " + digs(rng, 9, "1"),
                       L(nl="Contractnummer", fr="Numéro de contrat", de="Vertragskonto") + ": " + digs(rng, 10, "2"),
                       L(nl="Btw-nummer", fr="N° TVA", de="USt-IdNr.") + ": " + vat_p(b.vat, rng)]], [55, 45], {"size": 9}),
            ("title", title, 15),
            ("kv", [(L(nl="Factuurnummer", fr="Numéro de facture", de="Rechnungsnummer"), num), (L(nl="Factuurdatum", fr="Date de facture", de="Rechnungsdatum"), f.d(issue)),
                    (L(nl="Voorschot voor", fr="Acompte pour", de="Abschlag für"), f"{MONTHS[lang][issue.month - 1]} {issue.year}")], {"size": 9})]
    rows = [[it.desc, "EAN " + it.extra["ean"], f.m(sg * it.amount), f.pct(rate), f.m(sg * q(it.amount * (100 + rate) / 100))] for it in items]
    flow.append(("table", [L(nl="Omschrijving", fr="Description", de="Beschreibung"), L(nl="Aansluiting", fr="Point de fourniture", de="Zählpunkt"),
                           L(nl="Excl. btw", fr="HTVA", de="Netto"), L(nl="Btw", fr="TVA", de="USt."), L(nl="Incl. btw", fr="TVAC", de="Brutto")], rows, "llrrr", [26, 34, 14, 10, 16], {}))
    tr = [(L(nl="Totaal excl. btw", fr="Total HTVA", de="Summe netto"), f.m(sg * tot["sub"]), False),
          (L(nl=f"Btw {rate}%", fr=f"TVA {rate} %", de=f"USt. {rate} %"), f.m(sg * tot["vat"]), False),
          (L(nl="Totaal te betalen", fr="Total à payer", de="Zu zahlender Betrag") if not credit else L(nl="Totaal in uw voordeel", fr="Total en votre faveur", de="Gutschriftsbetrag"), f.m(sg * tot["total"]), True)]
    flow.append(("totals", tr, {"width": 50}))
    ib = None
    if credit:
        flow.append(("p", L(nl="Wij storten dit bedrag binnen 10 dagen terug op uw rekening.", fr="Nous vous remboursons ce montant dans les 10 jours.", de="Wir erstatten den Betrag innerhalb von 10 Tagen."), {}))
    elif debit:
        flow.append(("box", L(nl=f"Wij schrijven dit bedrag op of na {f.d(due)} af van uw rekening {b.iban[:4]}…{b.iban[-3:]}.",
                              fr=f"Ce montant sera domicilié à partir du {f.d(due)} sur votre compte {b.iban[:4]}…{b.iban[-3:]}.",
                              de=f"Wir buchen den Betrag ab dem {f.d(due)} von Ihrem Konto {b.iban[:4]}…{b.iban[-3:]} ab."), {}))
    else:
        ib = s.iban
        flow.append(("box", L(nl=f"Gelieve {f.m(tot['total'])} te betalen vóór {f.d(due)} op rekening {iban_p(ib)} met vermelding {ref}.",
                              fr=f"Veuillez payer {f.m(tot['total'])} avant le {f.d(due)} sur le compte {iban_p(ib)} avec la communication {ref}.",
                              de=f"Bitte überweisen Sie {f.m(tot['total'])} bis zum {f.d(due)} auf das Konto {iban_p(ib)}, Verwendungszweck {ref}."), {}))
    flow.append(("p", f"{s.name} · " + ", ".join(s.addr) + " · " + L(nl="Btw", fr="TVA", de="USt-IdNr.") + " " + vat_p(s.vat, rng), {"size": 7, "color": "#666666"}))
    th = Theme(font=rng.choice(["sans", "dejavu"]), size=9, accent="#1964a3", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=None if credit or debit else due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=None if credit else tot["total"], seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "variant": var}


# 18. Cash & carry / discounter till invoice (Makro / Metro / Lidl style), monospaced.

def v_till(rng, k):
    var = ["makro", "metro", "lidl"][k % 3] if rng.random() < 0.8 else rng.choice(["makro", "metro", "lidl"])
    cc = {"makro": "BE", "metro": "DE", "lidl": rng.choice(["BE", "NL"])}[var]
    b = make_buyer(rng, (cc,), (1,))
    lang = "de" if cc == "DE" else ("fr" if cc == "BE" and rng.random() < 0.3 else "nl")
    f = Fmt(lang, money="bare", date_style="dot" if cc == "DE" else "slash")
    legal = {"makro": "Groothandel Maxima NV", "metro": "Großmarkt Metrona Deutschland GmbH", "lidl": "Discountia Belgium NV" if cc == "BE" else "Discountia Nederland B.V."}[var]
    s = Party(rng, cc, legal)
    rates = RATES[cc][:2]
    codes = {rates[0]: "A", rates[1]: "B"} if var != "metro" else {rates[0]: "1", rates[1]: "2"}
    cat = [("KOFFIE BONEN 1KG", 1), ("SPA BLAUW 6X1,5L", 1), ("WC PAPIER 24 ROL", 0), ("VAATWASTABS 100ST", 0), ("MELK HALFVOL 1L", 1), ("BROOD WIT", 1),
           ("SCHOONMAAKAZIJN 5L", 0), ("AFVALZAK 60L 20ST", 0), ("SUIKER KLONTJES 1KG", 1), ("PRINTPAPIER A4 500", 0), ("BATTERIJ AA 8ST", 0),
           ("KAAS JONG BLOK", 1), ("FRUITMAND", 1), ("HANDZEEP 5L", 0)]
    if cc == "DE":
        cat = [("KAFFEE BOHNEN 1KG", 1), ("MINERALWASSER 12X1L", 1), ("TOILETTENPAPIER 24R", 0), ("SPUELMASCHINENTABS", 0), ("MILCH 1,5% 1L", 1),
               ("BROETCHEN 10ST", 1), ("ALLZWECKREINIGER 5L", 0), ("MUELLBEUTEL 60L", 0), ("ZUCKER 1KG", 1), ("KOPIERPAPIER A4", 0), ("BATTERIEN AA 8ST", 0)]
    n = rng.randint(4, 12)
    items = []
    for d, ri in rng.sample(cat, min(n, len(cat))):
        items.append(Item(d, rng.choice([1, 1, 2, 3, 6]), amt(rng, 0.8, 25), rates[ri], gross=var == "lidl"))
    tot = totals_gross(items) if var == "lidl" else totals_net(items)
    issue = rand_date(rng)
    W = 44 if var == "lidl" else 78
    c, l4 = card(rng)
    num = digs(rng, 4) + "/" + digs(rng, 6) if var != "lidl" else digs(rng, 4, "0")
    L = lambda **kw: T(lang, **kw)
    ln = []
    if var == "lidl":
        ln += ["DISCOUNTIA".center(W), s.addr[0].center(W), s.addr[1].center(W), ""]
        for it in items:
            if it.qty != 1:
                ln.append(f"  {qty_s(it.qty, f)} x {f.n(it.unit)}")
            ln.append(it.desc[:30].ljust(W - 12) + f.n(it.amount).rjust(10) + " " + codes[it.rate])
        ln += ["-" * W, (L(nl="TE BETALEN", fr="A PAYER") + " EUR").ljust(W - 12) + f.n(tot["total"]).rjust(10), "",
               f"{c.upper()}".ljust(W - 12) + f.n(tot["total"]).rjust(10), "",
               L(nl="BTW%", fr="TVA%").ljust(8) + L(nl="EXCL", fr="HTVA").rjust(11) + L(nl="BTW", fr="TVA").rjust(11) + L(nl="INCL", fr="TVAC").rjust(12)]
        for r, base, v in tot["rows"]:
            ln.append(f"{codes[r]} {f.pct(r)}".ljust(8) + f.n(base).rjust(11) + f.n(v).rjust(11) + f.n(base + v).rjust(12))
        ln.append(L(nl="SOM", fr="TOTAL").ljust(8) + f.n(tot["sub"]).rjust(11) + f.n(tot["vat"]).rjust(11) + f.n(tot["total"]).rjust(12))
        ln += ["", f"{f.d(issue)} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}  " + L(nl="FIL", fr="FIL") + f" {rng.randint(100, 999)} " + L(nl="KASSA", fr="CAISSE") + f" {rng.randint(1, 9)}",
               L(nl="TICKET", fr="TICKET") + " " + num, "", f"{c} ************{l4}", "TRANSACTIE AKKOORD" if lang == "nl" else "TRANSACTION ACCEPTEE", "",
               legal.center(W), (L(nl="BTW ", fr="TVA ") + vat_p(s.vat, rng, 2)).center(W), L(nl="BEDANKT EN TOT ZIENS", fr="MERCI ET A BIENTOT").center(W)]
        flow = [("pre", "\n".join(ln), {"size": 7.5})]
        th = Theme(font="mono", size=7.5, page=(80, 297 if len(ln) < 60 else 400), margin=4, rl_font="DejaVuSansMono")
        t = mk_truth(invoice_number=num, issue_date=issue, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"], amount_due=D(0),
                     seller_name=legal, seller_vat=s.vat, kind="invoice", lines=len(items))
        return flow, th, t, own_of(b), {"language": lang, "variant": var, "page": "receipt"}
    store = {"makro": "MAXIMA CASH & CARRY", "metro": "METRONA GROSSMARKT"}[var]
    cardno = digs(rng, 3) + " " + digs(rng, 6) + " " + digs(rng, 1)
    ln += [store.center(W), (L(nl="Vestiging", fr="Magasin", de="Markt") + f" {s.city}").center(W), legal.center(W), (", ".join(s.addr)).center(W),
           (L(nl="BTW", fr="TVA", de="USt-IdNr.") + " " + vat_p(s.vat, rng)).center(W), "",
           L(nl="FACTUUR", fr="FACTURE", de="RECHNUNG").center(W), "",
           L(nl="Klant", fr="Client", de="Kunde") + ": " + b.name, "        " + ", ".join(b.addr),
           L(nl="Klantkaart", fr="Carte client", de="Kundenkarte") + ": " + cardno + "   " + L(nl="BTW klant", fr="TVA client", de="USt-IdNr. Kunde") + ": " + b.vat,
           L(nl="Factuurnr.", fr="Facture n°", de="Rechnungs-Nr.") + ": " + num + "   " + L(nl="Datum", fr="Date", de="Datum") + ": " + f.d(issue) + f"  {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}",
           "=" * W,
           (L(nl="ART.NR", fr="ART.N°", de="ART.NR")).ljust(9) + L(nl="OMSCHRIJVING", fr="DESIGNATION", de="BEZEICHNUNG").ljust(28) + L(nl="AANT", fr="QTE", de="MENGE").rjust(6) +
           L(nl="PRIJS", fr="PRIX", de="PREIS").rjust(10) + L(nl="BEDRAG", fr="MONTANT", de="BETRAG").rjust(12) + L(nl="BTW", fr="TVA", de="MWST").rjust(6),
           "-" * W]
    for it in items:
        ln.append(digs(rng, 6).ljust(9) + it.desc[:27].ljust(28) + qty_s(it.qty, f).rjust(6) + f.n(it.unit).rjust(10) + f.n(it.amount).rjust(12) + codes[it.rate].rjust(6))
    ln += ["-" * W, L(nl="TOTAAL EXCL. BTW", fr="TOTAL HTVA", de="SUMME NETTO").ljust(W - 14) + f.n(tot["sub"]).rjust(14), ""]
    ln.append("  " + L(nl="CODE", fr="CODE", de="CODE").ljust(6) + L(nl="TARIEF", fr="TAUX", de="SATZ").rjust(8) + L(nl="BASIS", fr="BASE", de="NETTO").rjust(14) + L(nl="BTW", fr="TVA", de="MWST").rjust(12))
    for r, base, v in tot["rows"]:
        ln.append("  " + codes[r].ljust(6) + f.pct(r).rjust(8) + f.n(base).rjust(14) + f.n(v).rjust(12))
    ln += ["  " + L(nl="TOTAAL BTW", fr="TOTAL TVA", de="SUMME MWST").ljust(28) + f.n(tot["vat"]).rjust(12), "=" * W,
           (L(nl="TOTAAL TE BETALEN EUR", fr="TOTAL A PAYER EUR", de="GESAMTBETRAG EUR")).ljust(W - 14) + f.n(tot["total"]).rjust(14), "",
           (L(nl="BETAALD", fr="PAYE", de="BEZAHLT") + f" {c.upper()} ****{l4}").ljust(W - 14) + f.n(tot["total"]).rjust(14),
           L(nl="NOG TE BETALEN", fr="RESTE A PAYER", de="RESTBETRAG").ljust(W - 14) + f.n(0).rjust(14), "",
           f"{L(nl='Kassa', fr='Caisse', de='Kasse')} {rng.randint(1, 30)}  {L(nl='Kassier', fr='Caissier', de='Kassierer')} {rng.randint(100, 999)}  Bon {digs(rng, 5)}",
           L(nl="Bewaar deze factuur voor uw boekhouding.", fr="Conservez cette facture pour votre comptabilité.", de="Bitte bewahren Sie diese Rechnung auf.")]
    flow = [("pre", "\n".join(ln), {"size": 8})]
    th = Theme(font="mono", size=8, margin=12, rl_font="DejaVuSansMono")
    t = mk_truth(invoice_number=num, issue_date=issue, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"], amount_due=D(0),
                 seller_name=legal, seller_vat=s.vat, buyer_name=b.name, kind="invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "variant": var}


# 19. Furniture retailer business invoice (IKEA Business style).

def v_ikea(rng, k):
    b = make_buyer(rng)
    lang = be_lang(rng, b) if b.cc == "BE" else LANG_OF[b.cc]
    f = Fmt(lang, money="post" if lang != "nl" else "sym_sp", date_style={"nl": "dash", "fr": "slash", "de": "dot"}[lang])
    s = Party(rng, b.cc, {"BE": "Woonhuis Scandia Belgium NV", "NL": "Woonhuis Scandia B.V.", "DE": "Wohnhaus Skandia Deutschland GmbH & Co. KG", "FR": "Maison Scandia France SAS"}[b.cc])
    rate = RATES[b.cc][0]
    credit = is_credit(rng, 0.15)
    L = lambda **kw: T(lang, **kw)
    cat = ["BEKVÄMT bureau 160x80", "HÄLLAN kast 2 deuren", "MARKUS bureaustoel", "KALLAX open kast 4x4", "TRÅDFRI lamp", "LINNMON tafelblad",
           "ALEX ladekast", "IDÅSEN zit/sta-bureau", "VITTSJÖ wandplank", "STRANDMON fauteuil", "FLINTAN bureaustoel", "BILLY boekenkast"]
    items = [Item(d, rng.choice([1, 1, 2, 4, 6]), D(rng.choice([19, 29, 49, 79, 99, 149, 229, 349, 499])) - D("0.01"), rate, gross=True,
                  extra={"art": f"{digs(rng, 3)}.{digs(rng, 3)}.{digs(rng, 2)}"}) for d in rng.sample(cat, rng.randint(2, 6))]
    if not credit and rng.random() < 0.7:
        items.append(Item(L(nl="Leveringsdienst", fr="Service de livraison", de="Lieferservice"), 1, D(rng.choice([49, 59, 79, 99])), rate, gross=True, extra={"art": "SERV"}))
    if not credit and rng.random() < 0.4:
        items.append(Item(L(nl="Montagedienst", fr="Service de montage", de="Montageservice"), 1, amt(rng, 60, 300), rate, gross=True, extra={"art": "SERV"}))
    if credit:
        items = items[:rng.randint(1, 2)]
    tot = totals_gross(items)
    issue = rand_date(rng)
    num = digs(rng, 3, "4") + "-" + digs(rng, 9)
    order = digs(rng, 10, "1")
    on_account = rng.random() < 0.4 and not credit
    sg = -1 if credit else 1
    flow = [("cols", [["**WOONHUIS SCANDIA"], ["**" + (L(nl="CREDITNOTA", fr="NOTE DE CRÉDIT", de="GUTSCHRIFT") if credit else L(nl="FACTUUR", fr="FACTURE", de="RECHNUNG"))]], [60, 40], {"size": 14}),
            ("table", [L(nl="Factuurnummer", fr="N° de facture", de="Rechnungsnummer"), L(nl="Factuurdatum", fr="Date de facture", de="Rechnungsdatum"),
                       L(nl="Ordernummer", fr="N° de commande", de="Auftragsnummer"), L(nl="Business-klantnummer", fr="N° client Business", de="Business-Kundennummer")],
             [[num, f.d(issue), order, digs(rng, 9, "9")]], "llll", [25, 25, 25, 25], {"size": 8.5, "grid": True}),
            ("cols", [[L(nl="**Klant", fr="**Client", de="**Kunde"), b.name] + b.addr + [L(nl="Btw-nr.", fr="N° TVA", de="USt-IdNr.") + " " + vat_p(b.vat, rng)],
                      [L(nl="**Winkel", fr="**Magasin", de="**Einrichtungshaus"), s.name] + s.addr + [L(nl="Btw-nr.", fr="N° TVA", de="USt-IdNr.") + " " + vat_p(s.vat, rng)]], [50, 50], {"size": 8.5})]
    rows = [[it.extra["art"], it.desc, qty_s(it.qty, f), f.m(it.unit), f.pct(rate), f.m(sg * it.amount)] for it in items]
    flow.append(("table", [L(nl="Artikelnr.", fr="N° article", de="Artikelnr."), L(nl="Omschrijving", fr="Description", de="Bezeichnung"), L(nl="Aantal", fr="Qté", de="Menge"),
                           L(nl="Prijs incl. btw", fr="Prix TVAC", de="Preis inkl. MwSt."), L(nl="Btw", fr="TVA", de="MwSt."), L(nl="Totaal", fr="Total", de="Gesamt")],
                 rows, "llrrrr", [14, 38, 8, 15, 9, 16], {"size": 8.5, "grid": True}))
    tr = [(L(nl="Totaal excl. btw", fr="Total HTVA", de="Nettobetrag"), f.m(sg * tot["sub"]), False),
          (L(nl=f"Btw {rate}%", fr=f"TVA {f.pct_sp(rate)}", de=f"MwSt. {rate} %"), f.m(sg * tot["vat"]), False),
          (L(nl="Totaal incl. btw", fr="Total TVAC", de="Gesamtbetrag"), f.m(sg * tot["total"]), True)]
    due = ib = None
    amount_due = None
    if on_account:
        due = issue + timedelta(days=30)
        ib = s.iban
        amount_due = tot["total"]
        tr.append((L(nl="Te betalen", fr="À payer", de="Zahlbetrag"), f.m(tot["total"]), True))
    elif not credit:
        c, l4 = card(rng)
        tr.append((L(nl=f"Betaald ({c})", fr=f"Payé ({c})", de=f"Bezahlt ({c})"), f.m(tot["total"]), False))
        tr.append((L(nl="Saldo", fr="Solde", de="Restbetrag"), f.m(0), True))
        amount_due = D(0)
    flow.append(("totals", tr, {"width": 45}))
    if on_account:
        flow.append(("p", L(nl=f"Betaling op rekening: gelieve te betalen vóór {f.d(due)} op {iban_p(ib)} met vermelding van factuurnummer {num}.",
                            fr=f"Paiement sur compte : veuillez payer avant le {f.d(due)} sur {iban_p(ib)} en mentionnant le numéro de facture {num}.",
                            de=f"Zahlung auf Rechnung: bitte bis {f.d(due)} auf {iban_p(ib)} unter Angabe der Rechnungsnummer {num} überweisen."), {}))
    th = Theme(font="sans", size=9, accent="#0058a3", head_bg="#ffdb00", rl_font="DejaVuSans")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=amount_due, seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib, kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 20. Parcel and express carriers (DHL Express / PostNL / bpost style).

def v_shipping(rng, k):
    var = ["dhl", "postnl", "bpost"][k % 3] if rng.random() < 0.8 else rng.choice(["dhl", "postnl", "bpost"])
    b = make_buyer(rng, {"dhl": ("BE", "NL", "DE"), "postnl": ("NL",), "bpost": ("BE",)}[var], {"dhl": (2, 2, 1), "postnl": (1,), "bpost": (1,)}[var])
    scc = {"dhl": b.cc, "postnl": "NL", "bpost": "BE"}[var]
    lang = {"dhl": rng.choice(["en", LANG_OF[b.cc]]), "postnl": "nl", "bpost": be_lang(rng, b)}[var]
    f = Fmt(lang, money="bare" if var == "dhl" else ("sym_sp" if lang == "nl" else "post"), date_style={"en": "slash", "nl": "dash", "de": "dot", "fr": "slash"}[lang])
    s = Party(rng, scc, {"dhl": {"BE": "Expresso Parcel Belgium BV", "NL": "Expresso Parcel Nederland B.V.", "DE": "Expresso Parcel Deutschland GmbH"}[b.cc],
                         "postnl": "Pakketpost Nederland B.V.", "bpost": "Postbel NV"}[var])
    rate = RATES[scc][0]
    credit = is_credit(rng, 0.1)
    issue = rand_date(rng)
    L = lambda **kw: T(lang, **kw)
    items = []
    if var == "dhl":
        n = rng.randint(3, 10) if k % 3 != 2 else rng.randint(30, 42)
        dests = ["US", "GB", "CH", "CN", "NO", "FR", "DE", "IT", "ES", "AU"]
        for i in range(n):
            dest = rng.choice(dests)
            r = 0 if dest in ("US", "GB", "CH", "CN", "NO", "AU") else rate
            wt = amt(rng, 0.5, 25, 1)
            items.append(Item(digs(rng, 10, "1"), 1, amt(rng, 25, 180), r, extra={"date": issue - timedelta(days=rng.randint(2, 28)), "dest": dest, "wt": wt,
                                                                                 "prod": rng.choice(["EXPRESS WORLDWIDE", "EXPRESS 12:00", "ECONOMY SELECT"])}))
        fuel = q(sum(it.amount for it in items) * D("0.235"))
        items.append(Item(L(en="Fuel surcharge", nl="Brandstoftoeslag", de="Treibstoffzuschlag"), 1, fuel, rate, extra={"date": issue, "dest": "", "wt": "", "prod": "FF"}))
    else:
        prods = [(L(nl="Pakket standaard 0-23 kg", fr="Colis standard 0-30 kg"), 5, 8), (L(nl="Brievenbuspakje", fr="Colis boîte aux lettres"), 3, 5),
                 (L(nl="Pakket verzekerd", fr="Colis assuré"), 9, 15), (L(nl="Retourpakket", fr="Colis retour"), 5, 7),
                 (L(nl="Aangetekend", fr="Envoi recommandé"), 8, 10), (L(nl="Pakket buitenland EU", fr="Colis international UE"), 11, 20)]
        for d, lo, hi in rng.sample(prods, rng.randint(2, 5)):
            items.append(Item(d, rng.randint(3, 250), amt(rng, lo, hi), rate))
        if rng.random() < 0.5:
            items.append(Item(L(nl="Toeslag energie en tol", fr="Supplément énergie"), 1, amt(rng, 3, 40), rate))
    if credit:
        items = [Item(L(en="Correction – weight adjustment", nl="Correctie gewichtsaanpassing", de="Korrektur Gewichtsanpassung", fr="Correction de poids"), 1, amt(rng, 10, 80), rate,
                      extra={"date": issue, "dest": "", "wt": "", "prod": ""})]
    tot = totals_net(items)
    num = {"dhl": rng.choice(["BRU", "AMS", "CGN"]) + "R" + digs(rng, 9), "postnl": digs(rng, 10, "8"), "bpost": digs(rng, 10, "1")}[var]
    acct = digs(rng, 9, "9")
    due = issue + timedelta(days=rng.choice([14, 30]))
    sg = -1 if credit else 1
    brand = {"dhl": "EXPRESSO", "postnl": "pakketpost", "bpost": "postbel"}[var]
    title = (L(en="CREDIT NOTE", nl="CREDITNOTA", de="GUTSCHRIFT", fr="NOTE DE CRÉDIT") if credit else L(en="INVOICE", nl="FACTUUR", de="RECHNUNG", fr="FACTURE"))
    flow = [("cols", [["**" + brand], ["**" + title]], [60, 40], {"size": 15}),
            ("cols", [[s.name] + s.addr + [L(en="VAT No", nl="Btw-nr", de="USt-IdNr", fr="N° TVA") + ": " + vat_p(s.vat, rng)],
                      [L(en="Invoice No", nl="Factuurnr", de="Rechnungsnr", fr="N° facture") + ": " + num,
                       L(en="Invoice Date", nl="Factuurdatum", de="Rechnungsdatum", fr="Date facture") + ": " + f.d(issue),
                       L(en="Account No", nl="Klantnummer", de="Kundennummer", fr="N° client") + ": " + acct,
                       L(en="Payment Due", nl="Vervaldatum", de="Fällig am", fr="Échéance") + ": " + f.d(due),
                       L(en="Currency", nl="Valuta", de="Währung", fr="Devise") + ": EUR"]], [55, 45], {"size": 8.5}),
            ("cols", [[L(en="**Bill To", nl="**Factuuradres", de="**Rechnungsadresse", fr="**Adresse de facturation"), b.name] + b.addr +
                       [L(en="VAT No", nl="Btw-nr", de="USt-IdNr", fr="N° TVA") + ": " + b.vat]], [100], {"size": 8.5})]
    if var == "dhl" and not credit:
        head = [L(en="Waybill", nl="Vrachtbrief", de="Frachtbrief"), L(en="Date", nl="Datum", de="Datum"), L(en="Product", nl="Product", de="Produkt"),
                L(en="Dest.", nl="Best.", de="Ziel"), L(en="Weight kg", nl="Gewicht kg", de="Gewicht kg"), L(en="VAT %", nl="Btw %", de="MwSt %"),
                L(en="Net charge", nl="Netto", de="Netto")]
        rows = [[it.desc, f.d(it.extra["date"]), it.extra["prod"], it.extra["dest"], qty_s(it.extra["wt"], f) if it.extra["wt"] != "" else "", f.pct(it.rate), f.n(sg * it.amount)] for it in items]
        flow.append(("table", head, rows, "lllllrr", [18, 14, 24, 8, 12, 10, 14], {"size": 7.5, "zebra": True}))
    else:
        rows = [[it.desc, qty_s(it.qty, f), f.m(it.unit), f.pct(it.rate), f.m(sg * it.amount)] for it in items]
        flow.append(("table", [L(en="Description", nl="Omschrijving", de="Beschreibung", fr="Description"), L(en="Qty", nl="Aantal", de="Menge", fr="Qté"),
                               L(en="Unit price", nl="Stukprijs", de="Einzelpreis", fr="Prix unitaire"), L(en="VAT", nl="Btw", de="MwSt", fr="TVA"),
                               L(en="Amount", nl="Bedrag", de="Betrag", fr="Montant")], rows, "lrrrr", [46, 10, 16, 10, 18], {}))
    vrows = [(L(en="Net", nl="Netto", de="Netto", fr="Net") + f" {f.pct(r)}", f.m(sg * base), False) for r, base, v in tot["rows"]]
    tr = [(L(en="Total net", nl="Totaal excl. btw", de="Summe netto", fr="Total HTVA"), f.m(sg * tot["sub"]), False)]
    for r, base, v in tot["rows"]:
        tr.append((L(en=f"VAT {f.pct(r)}", nl=f"Btw {f.pct(r)}", de=f"MwSt {f.pct(r)}", fr=f"TVA {f.pct_sp(r)}"), f.m(sg * v), False))
    tr.append((L(en="Total amount due", nl="Totaal te betalen", de="Rechnungsbetrag", fr="Total à payer") if not credit else L(en="Total credit", nl="Totaal credit", de="Gutschrift gesamt", fr="Total crédit"),
               f.m(sg * tot["total"]) + (" EUR" if f.money_style == "bare" else ""), True))
    flow.append(("totals", tr if len(tot["rows"]) > 1 else tr, {"width": 50}))
    ib = None
    if not credit:
        ib = s.iban
        ref = ogm(rng) if scc == "BE" else num
        flow.append(("box", L(en=f"Please pay to IBAN {iban_p(ib)} quoting invoice {num} and account {acct}.",
                               nl=f"Gelieve te betalen op IBAN {iban_p(ib)} met vermelding {ref}.",
                               de=f"Bitte zahlen Sie auf IBAN {iban_p(ib)} unter Angabe von Rechnungsnr. {num} und Kundennr. {acct}.",
                               fr=f"Veuillez payer sur l'IBAN {iban_p(ib)} avec la communication {ref}."), {"size": 8.5}))
    if var == "dhl" and any(it.rate == 0 for it in items):
        flow.append(("p", L(en="VAT 0%: export services, Art. 146 Directive 2006/112/EC.", nl="Btw 0%: vrijgestelde uitvoer, art. 146 Richtlijn 2006/112/EG.",
                            de="0 % USt.: steuerfreie Ausfuhrleistung, Art. 146 MwStSystRL."), {"size": 7.5}))
    th = Theme(font=rng.choice(["sans", "narrow"]), size=8.5, accent={"dhl": "#d40511", "postnl": "#ed7000", "bpost": "#ef2637"}[var],
               head_bg="#ffcc00" if var == "dhl" else None, rl_font="DejaVuSansCondensed")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=tot["total"],
                 amount_due=None if credit else tot["total"], seller_name=s.name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang, "variant": var}


# 21. Belgian notary / accountant fee note (Ereloonnota / Note d'honoraires / Staat van kosten).

def v_notary(rng, k):
    b = make_buyer(rng, ("BE",), (1,))
    lang = be_lang(rng, b)
    f = Fmt(lang, money=rng.choice(["post", "sym_sp"]), date_style="long")
    L = lambda nl, fr: fr if lang == "fr" else nl
    notary = rng.random() < 0.5
    pers = person(rng)
    if notary:
        name = rng.choice([f"Notariskantoor {pers.split()[-1]} BV", f"{pers.split()[-1]} & Partners, geassocieerde notarissen BV"]) if lang == "nl" else \
            rng.choice([f"Étude du notaire {pers.split()[-1]} SRL", f"{pers.split()[-1]} & Associés, notaires associés SRL"])
    else:
        name = rng.choice([f"Boekhoudkantoor {pers.split()[-1]} BV", f"Accountancy {pers.split()[-1]} BV"]) if lang == "nl" else f"Fiduciaire {pers.split()[-1]} SRL"
    s = Party(rng, "BE", name)
    credit = is_credit(rng, 0.1) and not notary
    issue = rand_date(rng)
    items = []
    if notary:
        items.append(Item(L("Ereloon akte: oprichting vennootschap", "Honoraires acte : constitution de société"), 1, amt(rng, 600, 1500), 21))
        items.append(Item(L("Schrijfkosten en kosten van het dossier", "Frais d'écriture et de dossier"), 1, amt(rng, 80, 300), 21))
        items.append(Item(L("Opzoekingen en formaliteiten", "Recherches et formalités"), 1, amt(rng, 50, 200), 21))
        nonvat = [Item(L("Registratierechten", "Droits d'enregistrement"), 1, D("50.00"), 0), Item(L("Recht op geschriften", "Droit d'écriture"), 1, D("50.00"), 0),
                  Item(L("Publicatie Belgisch Staatsblad", "Publication au Moniteur belge"), 1, amt(rng, 150, 260), 0),
                  Item(L("Inschrijving KBO (ondernemingsloket)", "Inscription BCE (guichet d'entreprises)"), 1, D("100.50"), 0)]
    else:
        q0 = (issue.month - 1) // 3 + 1
        items.append(Item(L(f"Boekhouding en btw-aangiften Q{q0} {issue.year}", f"Tenue de comptabilité et déclarations TVA T{q0} {issue.year}"), 1, amt(rng, 400, 1500), 21))
        if rng.random() < 0.6:
            items.append(Item(L("Opmaak jaarrekening en neerlegging", "Établissement et dépôt des comptes annuels"), 1, amt(rng, 500, 1200), 21))
        if rng.random() < 0.5:
            items.append(Item(L("Adviesgesprek (uren)", "Consultation (heures)"), rng.choice([1, D("1.5"), 2, 3]), D(rng.choice([95, 110, 125])), 21))
        nonvat = [Item(L("Neerlegging jaarrekening NBB (doorgerekend)", "Dépôt des comptes BNB (refacturé)"), 1, D("72.00"), 0)] if rng.random() < 0.5 else []
    if credit:
        items, nonvat = items[:1], []
    tot = totals_net(items)
    out = sum((x.amount for x in nonvat), D(0))
    total = tot["total"] + out
    provision = q(total * D("0.5")) if notary and rng.random() < 0.5 else D(0)
    amount_due = total - provision
    num = f"{issue.year}/{rng.randint(100, 999)}" if rng.random() < 0.5 else f"{str(issue.year)[2:]}{digs(rng, 4)}"
    due = issue + timedelta(days=rng.choice([15, 30]))
    ref = ogm(rng)
    flow = [("p", name, {"size": 14, "bold": True}),
            ("p", ", ".join(s.addr) + " · " + L("Ondernemingsnummer", "Numéro d'entreprise") + f" {s.vat[2:6]}.{s.vat[6:9]}.{s.vat[9:]} · " + L("Btw", "TVA") + f" {vat_p(s.vat, rng, 0)}",
             {"size": 8}),
            ("hr",),
            ("cols", [[], [b.name, L("t.a.v. de zaakvoerder", "à l'attention du gérant")] + b.addr + [L("Btw", "TVA") + " " + vat_p(b.vat, rng)]], [55, 45], {"size": 9.5}),
            ("title", (L("Creditnota", "Note de crédit") if credit else (L("Staat van kosten en ereloon", "État de frais et honoraires") if notary else L("Ereloonnota", "Note d'honoraires"))), 14),
            ("kv", [(L("Nummer", "Numéro"), num), (L("Datum", "Date"), f.d(issue)), (L("Dossier", "Dossier"), f"{issue.year}-{digs(rng, 4)}"),
                    (L("Vervaldatum", "Échéance"), f.d(due))], {"size": 9.5})]
    sg = -1 if credit else 1
    rows = [[it.desc, f.m(sg * it.amount)] for it in items]
    flow.append(("table", [L("Onderworpen aan btw", "Soumis à la TVA"), L("Bedrag", "Montant")], rows, "lr", [75, 25], {}))
    tr = [(L("Totaal excl. btw", "Total hors TVA"), f.m(sg * tot["sub"]), False), (L("Btw 21%", "TVA 21 %"), f.m(sg * tot["vat"]), False)]
    if nonvat:
        flow.append(("totals", tr, {"width": 50}))
        rows2 = [[it.desc, f.m(it.amount)] for it in nonvat]
        flow.append(("table", [L("Niet onderworpen aan btw (voorgeschoten kosten)", "Non soumis à la TVA (débours)"), L("Bedrag", "Montant")], rows2, "lr", [75, 25], {}))
        tr = [(L("Totaal voorgeschoten kosten", "Total débours"), f.m(out), False)]
    tr.append((L("Totaal", "Total"), f.m(sg * total), True))
    if provision:
        tr.append((L("Ontvangen provisie", "Provision reçue"), f.m(-provision), False))
    if not credit:
        tr.append((L("Te betalen", "Solde à payer"), f.m(amount_due), True))
    flow.append(("totals", tr, {"width": 50}))
    ib = None
    if not credit:
        ib = s.iban
        flow.append(("p", L(f"Gelieve het bedrag van {f.m(amount_due)} te storten op rekening {iban_p(ib)} vóór {f.d(due)} met de gestructureerde mededeling {ref}.",
                            f"Merci de verser le montant de {f.m(amount_due)} sur le compte {iban_p(ib)} avant le {f.d(due)} avec la communication structurée {ref}."), {}))
    if notary:
        flow.append(("p", L("Ereloon berekend volgens het wettelijk barema (KB 16 december 1950).", "Honoraires calculés selon le barème légal (AR du 16 décembre 1950)."), {"size": 7.5}))
    th = Theme(font="serif", size=10, accent="#333333", rl_font="DejaVuSerif")
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR", subtotal=tot["sub"], vat_amount=tot["vat"], total=total,
                 amount_due=None if credit else amount_due, seller_name=name, seller_vat=s.vat, buyer_name=b.name, iban=ib,
                 kind="credit_note" if credit else "invoice", lines=len(items) + len(nonvat))
    return flow, th, t, own_of(b), {"language": lang, "variant": "notary" if notary else "accountant"}


# 22. French micro-entrepreneur invoice ("TVA non applicable, art. 293 B du CGI").

def v_autoentrepreneur(rng, k):
    b = make_buyer(rng, ("FR", "BE"), (3, 1))
    lang = "fr"
    f = Fmt(lang, money=rng.choice(["post", "post", "code_post"]), date_style=rng.choice(["slash", "long"]))
    pers = person(rng)
    trade = rng.choice(["Graphisme", "Développement web", "Photographie", "Traduction", "Conseil RH", "Rédaction web"])
    name = pers if rng.random() < 0.5 else f"{pers} – {trade}"
    s = Party(rng, "FR", name, vat=False)
    sir = siren(rng)
    credit = is_credit(rng, 0.12)
    issue = rand_date(rng)
    acts = [("Création d'identité visuelle (logo + charte)", 400, 1500), ("Journée de prestation", 250, 550), ("Shooting photo – demi-journée", 250, 600),
            ("Traduction EN>FR – 1 000 mots", 70, 120), ("Maintenance site WordPress – forfait mensuel", 60, 200), ("Rédaction d'articles de blog", 80, 200),
            ("Frais de déplacement (forfait)", 30, 90)]
    items = [Item(d, rng.choice([1, 1, 2, 3, D("0.5")]), amt(rng, lo, hi, 0), 0) for d, lo, hi in rng.sample(acts, rng.randint(1, 4))]
    tot = totals_net(items)
    num = rng.choice([f"F{issue.year}-{rng.randint(1, 150):03d}", f"{issue.year}{issue.month:02d}-{rng.randint(1, 30):02d}", f"FA-{rng.randint(10, 400)}"])
    if credit:
        num = "AV-" + num
    due = issue + timedelta(days=rng.choice([15, 30]))
    sg = -1 if credit else 1
    show_ht = rng.random() < 0.5
    flow = [("cols", [["**" + name, trade if name == pers else "", *s.addr, f"SIRET : {sir[:3]} {sir[3:6]} {sir[6:]} {digs(rng, 5, '0')}", "Entrepreneur individuel (EI)",
                       f"{pers.split()[0].lower()}@exemple.fr"],
                      ["", "", "", "**Client :", b.name] + b.addr + ([COUNTRY_NAME["fr"][b.cc]] if b.cc != "FR" else []) + ([f"N° TVA : {b.vat}"] if rng.random() < 0.6 or b.cc != "FR" else [])],
             [55, 45], {"size": 9}),
            ("title", ("AVOIR" if credit else "FACTURE") + f" N° {num}", 15),
            ("kv", [("Date d'émission", f.d(issue)), ("Date de la prestation", f.d(issue - timedelta(days=rng.randint(1, 20)))),
                    ("Date d'échéance", f.d(due))] if not credit else [("Date", f.d(issue)), ("Facture d'origine", num[3:])], {"size": 9})]
    rows = [[it.desc, qty_s(it.qty, f), f.m(it.unit), f.m(sg * it.amount)] for it in items]
    flow.append(("table", ["Désignation", "Quantité", "Prix unitaire", "Montant"], rows, "lrrr", [55, 12, 16, 17], {"grid": rng.random() < 0.5}))
    tr = []
    if show_ht:
        tr.append(("Total HT", f.m(sg * tot["sub"]), False))
    tr.append(("Net à payer" if not credit else "Total de l'avoir", f.m(sg * tot["total"]), True))
    flow.append(("totals", tr, {"width": 45}))
    flow.append(("p", "TVA non applicable, art. 293 B du CGI", {"bold": True, "size": 9}))
    ib = None
    if not credit:
        ib = iban(rng, "FR")
        flow.append(("p", f"Règlement par virement bancaire à réception, au plus tard le {f.d(due)}.\nIBAN : {iban_p(ib)} – BIC : {rng.choice(['CCBPFRPPXXX', 'AGRIFRPP882', 'SOGEFRPP', 'QNTOFRP1'])}", {}))
        flow.append(("p", "En cas de retard de paiement, des pénalités au taux de 3 fois le taux d'intérêt légal seront appliquées, ainsi qu'une indemnité forfaitaire "
                          "pour frais de recouvrement de 40 €. Pas d'escompte pour paiement anticipé.", {"size": 7.5, "color": "#555555"}))
    th = Theme(font=rng.choice(["sans", "serif", "dejavu"]), size=9.5, accent="#2c3e50", rl_font=rng.choice(["DejaVuSans", "DejaVuSerif"]))
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=None if credit else due, currency="EUR", subtotal=tot["sub"] if show_ht else None, total=tot["total"],
                 amount_due=None if credit else tot["total"], seller_name=name, buyer_name=b.name, iban=ib, kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# 23. German small-business invoice (Kleinunternehmer, § 19 UStG): letter with address window.

def v_kleinunternehmer(rng, k):
    b = make_buyer(rng, ("DE", "BE", "NL"), (4, 1, 1))
    lang = "de"
    f = Fmt(lang, money=rng.choice(["post", "code_post"]), date_style=rng.choice(["dot", "dot", "long"]))
    pers = person(rng)
    trade = rng.choice(["Grafikdesign", "Webentwicklung", "Fotografie", "Übersetzungen", "Hausmeisterservice", "Nachhilfe & Coaching"])
    name = rng.choice([pers, f"{trade} {pers.split()[-1]}", f"{pers} {trade}"])
    s = Party(rng, "DE", name, vat=False)
    credit = is_credit(rng, 0.12)
    issue = rand_date(rng)
    acts = [("Gestaltung Flyer DIN A5, beidseitig", 120, 400), ("Stundensatz Beratung", 45, 85), ("Fotoshooting Produktbilder (pauschal)", 150, 600),
            ("Übersetzung DE>NL, Normseite", 25, 45), ("Pflege Website, monatliche Pauschale", 40, 150), ("Anfahrtspauschale", 15, 40), ("Materialkosten", 10, 80)]
    items = [Item(d, rng.choice([1, 1, 2, 4, D("2.5")]), amt(rng, lo, hi, rng.choice([0, 2])), 0) for d, lo, hi in rng.sample(acts, rng.randint(1, 4))]
    tot = totals_net(items)
    num = rng.choice([f"{issue.year}-{rng.randint(1, 120):03d}", f"RE{issue.year}{rng.randint(1, 99):02d}", str(rng.randint(1000, 1999))])
    due = issue + timedelta(days=rng.choice([7, 14, 30]))
    stnr = f"{rng.randint(100, 299)}/{rng.randint(100, 999)}/{rng.randint(10000, 99999)}"
    sg = -1 if credit else 1
    ib = iban(rng, "DE")
    flow = [("p", name, {"size": 15, "bold": True, "align": "r"}),
            ("p", "\n".join(s.addr) + f"\nTel. 0{rng.randint(151, 179)} {digs(rng, 7)}", {"size": 8.5, "align": "r"}),
            ("p", sender_line(s, " · "), {"size": 6.5}),
            ("p", "\n".join([b.name] + b.addr + ([COUNTRY_NAME["de"][b.cc].upper()] if b.cc != "DE" else [])), {"size": 10}),
            ("sp", 8),
            ("kv", [("Rechnungsnummer" if not credit else "Stornorechnung Nr.", num), ("Rechnungsdatum", f.d(issue)),
                    ("Leistungszeitraum", f"{f.d(issue - timedelta(days=30), 'dot')} – {f.d(issue - timedelta(days=1), 'dot')}")],
             {"size": 9.5, "float": "r", "width": 50}),
            ("title", "Stornorechnung" if credit else "Rechnung", 15),
            ("p", "Sehr geehrte Damen und Herren,\n" + ("hiermit storniere ich die folgenden Positionen:" if credit else "für meine Leistungen erlaube ich mir, wie folgt zu berechnen:"), {})]
    rows = [[str(i + 1), it.desc, qty_s(it.qty, f), f.m(it.unit), f.m(sg * it.amount)] for i, it in enumerate(items)]
    flow.append(("table", ["Pos.", "Beschreibung", "Menge", "Einzelpreis", "Gesamtpreis"], rows, "llrrr", [7, 51, 10, 16, 16], {}))
    flow.append(("totals", [("Gesamtbetrag", f.m(sg * tot["total"]), True)], {"width": 45}))
    flow.append(("p", "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.", {"bold": rng.random() < 0.5}))
    if not credit:
        flow.append(("p", f"Bitte überweisen Sie den Rechnungsbetrag bis zum {f.d(due)} ohne Abzug auf das unten genannte Konto.", {}))
    flow.append(("p", "Mit freundlichen Grüßen\n" + pers, {}))
    flow.append(("hr",))
    flow.append(("cols", [[name] + s.addr, [f"Steuernummer: {stnr}", f"Finanzamt {s.city}"], ["Bankverbindung:", f"IBAN {iban_p(ib)}", f"BIC {rng.choice(['GENODEF1', 'COBADEFF', 'DEUTDEDB', 'SSKMDEMM'])}{digs(rng, 3)}"]],
                         [34, 30, 36], {"size": 7.5}))
    th = Theme(font=rng.choice(["sans", "serif", "dejavu"]), size=9.5, accent="#444444", margin=18, rl_font=rng.choice(["DejaVuSans", "DejaVuSerif"]))
    t = mk_truth(invoice_number=num, issue_date=issue, due_date=None if credit else due, currency="EUR", total=tot["total"],
                 seller_name=name, buyer_name=b.name, iban=None if credit else ib, kind="credit_note" if credit else "invoice", lines=len(items))
    return flow, th, t, own_of(b), {"language": lang}


# ---------------------------------------------------------------------------------------------

STYLES = {
    "amazon": v_amazon, "bol": v_bol, "coolblue": v_coolblue, "ovh": v_ovh, "hetzner": v_hetzner, "scaleway": v_scaleway,
    "google": v_google, "microsoft": v_microsoft, "apple": v_apple, "uber": v_uber, "booking": v_booking, "airbnb": v_airbnb,
    "shopify": v_shopify, "stripe": v_stripe, "mollie": v_mollie, "telecom": v_telecom, "energy": v_energy, "till": v_till,
    "ikea": v_ikea, "shipping": v_shipping, "notary": v_notary, "autoentrepreneur": v_autoentrepreneur, "kleinunternehmer": v_kleinunternehmer,
}
CYCLE = ["chromium", "reportlab", "chromium", "libreoffice", "chromium", "reportlab", "chromium"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=4, help="documents per vendor style")
    ap.add_argument("--seed", type=int, default=90)
    ap.add_argument("--styles", default=",".join(STYLES))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-vendors-")
    try:
        for si, style in enumerate(args.styles.split(",")):
            si = list(STYLES).index(style)
            for k in range(args.count):
                rng = random.Random(hashlib.sha256(f"{args.seed}-{style}-{k}".encode()).hexdigest())
                flow, th, truth, own, meta = STYLES[style](rng, k)
                renderer = CYCLE[(k + si) % len(CYCLE)]
                if meta.pop("page", None) == "receipt" and renderer == "libreoffice":
                    renderer = "reportlab"
                os.makedirs(os.path.join(args.out, renderer), exist_ok=True)
                rel = f"{renderer}/{style}-{k:02d}.pdf"
                out = os.path.join(args.out, rel)
                if renderer == "reportlab":
                    pen = RL(out, th)
                    pen.draw(flow)
                    pen.save()
                else:
                    h = to_html(flow, th)
                    (render_chromium if renderer == "chromium" else render_libreoffice)(h, out, tmp)
                manifest.append(dict(path=rel, producer=style, family=style, renderer=renderer, split="tune" if k % 2 == 0 else "heldout",
                                     own=own, truth=truth, **meta))
                print(f"{rel} {meta}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
