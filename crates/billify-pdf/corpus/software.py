#!/usr/bin/env python3
"""Invoices laid out the way real invoicing software lays them out, with ground truth.

Each layout below is written for this corpus (no template text or code of those products is
used); it imitates the *structure* of one product's PDF: where the seller and buyer blocks sit,
which labels it prints, its header table, totals block, footer and page numbering. The layouts
were studied from the products' public sources and documentation:

* ``ninja_clean``: Invoice Ninja's clean/plain designs: company name, details and address in
  three columns on top, an entity table (number, PO number, dates, balance due) at the right,
  client details unlabelled at the left, "Paid to Date" and "Balance Due" under the total;
* ``ninja_hipster``: Invoice Ninja's hipster/playful designs: "FROM:" and "TO:" columns side by
  side, a big title and the entity details in one row (label over value);
* ``odoo``: Odoo's invoice report in the standard external layout: company address top left,
  partner address top right, the number in the title ("Invoice INV/2024/00012"), an information
  row with labels over values (Invoice Date, Due Date, Source, Customer Code), taxes per line,
  "VAT 21% on 1,000.00" rows, "Paid on <date>" and "Amount Due", the payment communication,
  a footer with phone, e-mail, website and "Page: 1 / 2", the header repeated on every page;
* ``dolibarr``: Dolibarr's crabe/sponge models: "Facture FA2401-0012" top right with dates and
  customer code below, two boxes "Émetteur" / "Adressé à", "Total HT / Total TVA 20% / Total
  TTC / Payé / Reste à payer", bank details, legal footer line joined by " - ", "Page 1/2"
  (exported by LibreOffice);
* ``erpnext``: ERPNext's standard Sales Invoice print format: letterhead, document name top
  right ("ACC-SINV-2024-00012"), two columns of "Label: value" (Customer Name, Date, Due Date,
  Customer's Purchase Order), a numbered item table, "Net Total", taxes as "VAT @ 20.0",
  "Grand Total", "Rounded Total", "In Words", "Outstanding Amount";
* ``invoiceplane``: InvoicePlane's default PDF template: client left, company right, "Invoice
  42" heading, a small table Invoice Date / Due Date / Amount Due, totals Subtotal / Item Tax /
  Total / Paid / Balance (exported by LibreOffice);
* ``kimai``: a German time-tracking invoice (Kimai-like): letter with sender line, address
  window, right column "Rechnungsnummer / Kundennummer / Datum / Zahlungsziel", hours table, bank
  details in a three-column footer;
* ``woo``: the WooCommerce "PDF Invoices & Packing Slips" Simple template: shop name top left,
  shop address top right, billing address, "Ship To:" address and order data (Invoice Number,
  Invoice Date, Order Number, Order Date, Payment Method) side by side, shipping as a line,
  totals with "(includes ... VAT)";
* ``stripe``: a Stripe-style invoice: "Invoice number / Date of issue / Date due" top left,
  seller and "Bill to" columns, "€1,234.56 due 5 January 2025", "Total excluding tax", "VAT -
  Netherlands (21% on €…)", "Amount due", a footer line "<number> · <amount> due <date> · Page
  1 of 1", and the buyer's own IBAN in a direct-debit note;
* ``aws``: a cloud-provider tax invoice (AWS-like): "Tax Invoice", account number, billing
  period, "Bill to Address:", a summary "TOTAL AMOUNT DUE ON <date>", many service lines over
  several pages and a VAT summary table per rate;
* ``hetzner``: a German hosting invoice (Hetzner/OVH-like): "Rechnungsnr. / Kundennummer /
  Datum" at the right, many lines with periods, "Summe netto / USt. 19 % / Summe brutto",
  "Der Betrag wird von Ihrem Konto abgebucht" with the buyer's IBAN, company data in the footer;
* ``amazon``: a marketplace invoice (Amazon-like), in English, German or French: "Sold by" with
  the seller's VAT number, "Invoice details" (invoice date, invoice number, order number), billing
  and delivery addresses, unit prices excl. and incl. VAT, a VAT summary table, "Invoice total";
* ``moneybird``: a Dutch SME invoice (Moneybird/e-Boekhouden-like): seller top right, buyer
  address left, "Factuurnummer / Factuurdatum / Vervaldatum", "Totaal excl. btw / 21% btw /
  Totaal", a payment request with amount, date and IBAN in the text, KvK/BTW/IBAN footer.

Most layouts are printed by headless Chromium (as SaaS tools do); ``dolibarr`` and
``invoiceplane`` are opened in LibreOffice Writer and exported. Multi-page documents are laid out
as the products do: the header (or a short one) repeated on each page, "Page 1 of 2", the totals
on the last page. In most documents the reading organisation (``own``) is the buyer, known by name
and VAT number (and, where the buyer's IBAN is printed for a direct debit, by that IBAN).

Output: ``<out>/<layout>/<id>.pdf`` and ``<out>/manifest.json``; ``producer`` is the layout (so
the scorer reports per layout), ``renderer`` the PDF producer. ``split``: even instances
``tune``, odd ``heldout`` (each instance is its own document, drawn from its own seed).

Usage: ``python3 software.py OUT [--count N] [--layouts a,b]`` (default 10 per layout).
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import (  # noqa: E402
    CITIES, FIRST, FORMS, SECOND, STREETS, add_days, esc, fmt_date, fmt_num, iban, iban_print, q, render_chromium,
    render_libreoffice, vat, vat_print,
)

LAYOUTS = ["ninja_clean", "ninja_hipster", "odoo", "dolibarr", "erpnext", "invoiceplane", "kimai", "woo", "stripe", "aws",
           "hetzner", "amazon", "moneybird"]
LANGS = {
    "ninja_clean": ["en", "nl", "de", "fr"], "ninja_hipster": ["en", "nl"], "odoo": ["en", "nl", "fr", "de"],
    "dolibarr": ["fr", "fr", "en", "nl"], "erpnext": ["en", "en", "de"], "invoiceplane": ["en", "de", "fr"],
    "kimai": ["de", "de", "en"], "woo": ["en", "nl", "de"], "stripe": ["en", "nl", "fr", "de"], "aws": ["en"],
    "hetzner": ["de", "en"], "amazon": ["en", "de", "fr"], "moneybird": ["nl"],
}
LIBREOFFICE = {"dolibarr", "invoiceplane"}
COUNTRY = {"en": ["uk", "nl", "be"], "nl": ["nl", "be"], "fr": ["fr", "be"], "de": ["de", "de"]}
VATC = {"be": "BE", "nl": "NL", "de": "DE", "fr": "FR", "uk": "GB", "lu": "LU"}
RATES = {"be": ["21", "6", "12"], "nl": ["21", "9"], "de": ["19", "7"], "fr": ["20", "10", "5.5"], "uk": ["20", "5"], "lu": ["17", "8"]}
ITEMS = {
    "en": ["Website maintenance", "Consulting (hours)", "Office desk", "Logo design", "Annual licence", "Support package",
           "USB-C dock", "Translation services", "Workshop day", "Printed brochures", "Shipping materials", "Monitor 27 inch"],
    "nl": ["Websiteonderhoud", "Advies (uren)", "Bureaustoel", "Logo-ontwerp", "Jaarlicentie", "Supportpakket",
           "Vertaalwerk", "Workshop", "Drukwerk folders", "Koffiebonen 1 kg", "Monitor 27 inch"],
    "fr": ["Maintenance site web", "Conseil (heures)", "Chaise de bureau", "Création de logo", "Licence annuelle",
           "Forfait support", "Traduction", "Atelier", "Impression dépliants", "Écran 27 pouces"],
    "de": ["Website-Wartung", "Beratung (Stunden)", "Bürostuhl", "Logo-Entwurf", "Jahreslizenz", "Supportpaket",
           "Übersetzung", "Workshop-Tag", "Druck Flyer", "Monitor 27 Zoll"],
}
CLOUD_ITEMS = ["Amazon Elastic Compute Cloud", "Amazon Simple Storage Service", "AWS Data Transfer", "Amazon RDS",
               "Amazon CloudFront", "AWS Lambda", "Amazon Route 53", "Elastic Load Balancing", "Amazon DynamoDB",
               "Amazon CloudWatch", "AWS Key Management Service", "Amazon SES"]
HOST_ITEMS = ["Dedicated Server AX41", "Cloud Server CX22", "Storage Box BX11", "Zusätzliche IPv4-Adresse", "Backup-Speicher",
              "Load Balancer LB11", "Volume 100 GB", "Snapshot-Speicher", "Traffic", "Floating IP"]

WORDS = {
    "en": dict(invoice="Invoice", number="Invoice Number", date="Invoice Date", due="Due Date", po="PO Number",
               customer="Customer No.", order="Order Number", subtotal="Subtotal", vat="VAT", total="Total",
               paid="Paid to Date", balance="Balance Due", qty="Quantity", price="Unit Price", desc="Description",
               amount="Amount", page="Page {p} of {n}", bill_to="Bill To", ship_to="Ship To", terms="Payment terms: {n} days net",
               terms2="Please pay within {n} days of the invoice date.", on="on", disc="Discount", iban="IBAN", vat_no="VAT No."),
    "nl": dict(invoice="Factuur", number="Factuurnummer", date="Factuurdatum", due="Vervaldatum", po="Inkoopnummer",
               customer="Klantnummer", order="Bestelnummer", subtotal="Subtotaal", vat="btw", total="Totaal",
               paid="Reeds betaald", balance="Openstaand saldo", qty="Aantal", price="Prijs", desc="Omschrijving",
               amount="Bedrag", page="Pagina {p} van {n}", bill_to="Factuuradres", ship_to="Afleveradres",
               terms="Betaalbaar binnen {n} dagen", terms2="Gelieve te betalen binnen {n} dagen na factuurdatum.",
               on="over", disc="Korting", iban="IBAN", vat_no="Btw-nummer"),
    "fr": dict(invoice="Facture", number="Numéro de facture", date="Date de facture", due="Date d'échéance", po="Bon de commande",
               customer="Code client", order="N° de commande", subtotal="Sous-total", vat="TVA", total="Total",
               paid="Déjà payé", balance="Solde dû", qty="Quantité", price="Prix unitaire", desc="Description",
               amount="Montant", page="Page {p}/{n}", bill_to="Facturé à", ship_to="Livré à",
               terms="Paiement à {n} jours", terms2="Conditions de règlement : {n} jours net", on="sur", disc="Remise",
               iban="IBAN", vat_no="N° TVA"),
    "de": dict(invoice="Rechnung", number="Rechnungsnummer", date="Rechnungsdatum", due="Fälligkeitsdatum", po="Bestellnummer",
               customer="Kundennummer", order="Auftragsnummer", subtotal="Zwischensumme", vat="MwSt.", total="Gesamt",
               paid="Bereits bezahlt", balance="Offener Betrag", qty="Menge", price="Einzelpreis", desc="Beschreibung",
               amount="Betrag", page="Seite {p} von {n}", bill_to="Rechnungsadresse", ship_to="Lieferadresse",
               terms="Zahlbar innerhalb von {n} Tagen ohne Abzug", terms2="Bitte überweisen Sie den Betrag innerhalb von {n} Tagen.",
               on="auf", disc="Rabatt", iban="IBAN", vat_no="USt-IdNr."),
}
PARTY_COUNTRY_NAME = {"be": "Belgium", "nl": "Netherlands", "de": "Germany", "fr": "France", "uk": "United Kingdom", "lu": "Luxembourg"}


def company(rng, country, legal=True):
    name = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
    return name + " " + rng.choice(FORMS[country]) if legal else name


def party(rng, country, person=False):
    name = company(rng, country)
    p = dict(country=country, name=name, addr=[rng.choice(STREETS[country]).format(n=rng.randrange(1, 250)), rng.choice(CITIES[country])])
    p["vat"] = vat(rng, VATC[country])
    p["iban"] = iban(rng, VATC[country])
    slug = name.split()[0].lower()
    p["email"] = f"{rng.choice(['info', 'billing', 'accounts', 'hello'])}@{slug}.{'co.uk' if country == 'uk' else country}"
    p["web"] = f"www.{slug}{rng.choice(['', '-online', 'hq'])}.{'co.uk' if country == 'uk' else country}"
    p["phone"] = f"+{ {'be': 32, 'nl': 31, 'de': 49, 'fr': 33, 'uk': 44, 'lu': 352}[country]} {rng.randrange(10, 99)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    p["bic"] = rng.choice(["GEBABEBB", "KREDBEBB", "INGBNL2A", "RABONL2U", "COBADEFFXXX", "BNPAFRPP", "NWBKGB2L"])
    return p


def money_fn(lang, cur, rng):
    sym = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}[cur]
    if lang == "en":
        style = "en" if cur != "EUR" or rng.random() < 0.6 else "eu"
        return lambda x: ("-" if x < 0 else "") + f"{sym}{fmt_num(abs(x), style)}"
    if lang == "nl":
        return lambda x: ("-" if x < 0 else "") + f"{sym} {fmt_num(abs(x), 'eu')}"
    if lang == "fr":
        style = rng.choice(["fr", "frs"])
        return lambda x: f"{fmt_num(x, style)} {sym}"
    style = "eu" if cur != "CHF" else "ch"
    code = rng.choice([sym, "EUR"]) if cur == "EUR" else sym
    return lambda x: f"{fmt_num(x, style)} {code}"


def date_fn(lang, rng):
    style = {"en": rng.choice(["en_long", "dmy_slash", "us_short"]), "nl": rng.choice(["dmy_dash", "nl_long"]),
             "fr": rng.choice(["dmy_slash", "fr_long"]), "de": rng.choice(["dmy_dot", "de_long"])}[lang]
    return lambda d: fmt_date(d, style)


def make(rng, layout):
    lang = rng.choice(LANGS[layout])
    sc = rng.choice(COUNTRY[lang])
    if layout in ("aws", "amazon"):
        sc = "lu"
    if layout in ("hetzner", "kimai"):
        sc = "de"
    if layout == "moneybird":
        sc = "nl"
    bc = rng.choice(["be", "nl", "be", "de", "fr"]) if layout in ("aws", "stripe", "amazon") else (sc if rng.random() < 0.8 else rng.choice(["be", "nl"]))
    cur = "GBP" if sc == "uk" else "EUR"
    if layout in ("stripe", "aws") and rng.random() < 0.25:
        cur = "USD"
    seller, buyer = party(rng, sc), party(rng, bc)
    seller["brand"] = seller["name"].split()[0] + rng.choice(["", "", "works", " Studio", "ly"])
    money, dfmt = money_fn(lang, cur, rng), date_fn(lang, rng)
    year = rng.choice([2024, 2025])
    issue = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
    seq = rng.randrange(1, 9999)
    number = {
        "ninja_clean": rng.choice([f"{seq:04d}", f"INV-{seq:04d}", f"{year}-{seq:04d}"]),
        "ninja_hipster": rng.choice([f"{seq:04d}", f"INV-{seq:04d}"]),
        "odoo": f"{rng.choice(['INV', 'FAC', 'F', 'RE'])}/{year}/{seq:05d}",
        "dolibarr": f"FA{year % 100:02d}{issue.month:02d}-{seq:04d}",
        "erpnext": rng.choice([f"ACC-SINV-{year}-{seq:05d}", f"SINV-{year % 100}-{seq:05d}"]),
        "invoiceplane": rng.choice([f"INV-{seq}", str(seq)]),
        "kimai": rng.choice([f"{year}-{seq:04d}", f"RE-{year}-{seq:03d}"]),
        "woo": rng.choice([f"{seq + 1000}", f"INV-{seq + 1000}", f"WC-{year}-{seq:05d}"]),
        "stripe": f"{''.join(rng.choice('ABCDEF0123456789') for _ in range(8))}-{rng.randrange(1, 30):04d}",
        "aws": f"EUINNL{year % 100}-{rng.randrange(100000, 999999)}",
        "hetzner": f"R{rng.randrange(10**9, 10**10)}",
        "amazon": f"{rng.choice(['DE', 'FR', 'NL', 'IT'])}{rng.randrange(4, 6)}{''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ') for _ in range(4))}{rng.randrange(10000, 99999)}",
        "moneybird": rng.choice([f"{year}-{seq:04d}", f"{year}{seq:04d}"]),
    }[layout]
    # Lines: several rates, line discounts, shipping.
    rates = [Decimal(r) for r in RATES[sc]]
    use = rates[:1] if rng.random() < 0.45 else rates[: rng.choice([2, len(rates)])]
    many = layout in ("aws", "hetzner") or (layout in ("odoo", "dolibarr", "erpnext") and rng.random() < 0.3)
    n = rng.randrange(22, 48) if many else rng.randrange(1, 8)
    pool = CLOUD_ITEMS if layout == "aws" else HOST_ITEMS if layout == "hetzner" else ITEMS[lang]
    discounts = layout in ("odoo", "dolibarr", "erpnext") and rng.random() < 0.4
    lines = []
    for i in range(n):
        qty = Decimal(rng.choice([1, 1, 1, 2, 3, 4, 8, 10, 24]))
        unit = q(Decimal(rng.randrange(50, 400000 if layout in ("aws",) else 180000)) / 100)
        disc = Decimal(rng.choice([0, 0, 5, 10, 15])) if discounts else Decimal(0)
        amount = q(qty * unit * (100 - disc) / 100)
        rate = use[i % len(use)]
        lines.append(dict(desc=rng.choice(pool), qty=qty, unit=unit, disc=disc, rate=rate, amount=amount))
    if layout in ("woo", "amazon") or rng.random() < 0.15:
        ship = q(Decimal(rng.randrange(395, 2500)) / 100)
        lines.append(dict(desc={"en": "Shipping", "nl": "Verzendkosten", "fr": "Frais de port", "de": "Versandkosten"}[lang],
                          qty=Decimal(1), unit=ship, disc=Decimal(0), rate=use[0], amount=ship))
    by = {}
    for ln in lines:
        by[ln["rate"]] = by.get(ln["rate"], Decimal(0)) + ln["amount"]
    breakdown = [(r, b, q(b * r / 100)) for r, b in sorted(by.items(), reverse=True)]
    subtotal = sum((b for _, b, _ in breakdown), Decimal(0))
    vat_total = sum((v for _, _, v in breakdown), Decimal(0))
    total = subtotal + vat_total
    paid = Decimal(0)
    if layout not in ("aws", "amazon", "hetzner") and rng.random() < 0.3:
        paid = q(total * Decimal(rng.choice(["0.2", "0.3", "0.5"])))
    if layout == "amazon":
        paid = total if rng.random() < 0.5 else Decimal(0)
    due_amount = total - paid
    days = rng.choice([8, 14, 14, 30, 30, 60])
    due = add_days(issue, days)
    due_printed = rng.random() < 0.7
    d = dict(layout=layout, lang=lang, w=WORDS[lang], cur=cur, money=money, dfmt=dfmt, number=number, issue=issue, due=due,
             days=days, due_printed=due_printed, seller=seller, buyer=buyer, lines=lines, breakdown=breakdown, subtotal=subtotal,
             vat_total=vat_total, total=total, paid=paid, due_amount=due_amount, discounts=discounts,
             order_no=rng.choice([f"SO{rng.randrange(10000, 99999)}", f"{rng.randrange(100, 999)}-{rng.randrange(10**6, 10**7)}-{rng.randrange(10**6, 10**7)}", f"PO-{rng.randrange(1000, 99999)}"]),
             customer_no=rng.choice([f"CU{year % 100}{rng.randrange(10, 99)}-{rng.randrange(10000, 99999)}", str(rng.randrange(10000, 999999)), f"K{rng.randrange(10**6, 10**7)}"]),
             paid_date=add_days(issue, rng.randrange(0, 5)))
    # A due date printed only as terms is computable from the issue date.
    truth = dict(
        invoice_number=number, issue_date=issue.isoformat(), due_date=due.isoformat(), currency=cur, subtotal=str(subtotal),
        vat_amount=str(vat_total), total=str(total), amount_due=str(due_amount), seller_name=seller["name"], seller_vat=seller["vat"],
        buyer_name=buyer["name"], iban=seller["iban"], kind="invoice", lines=len(lines),
    )
    own = dict(names=[buyer["name"]], vat_numbers=[buyer["vat"]], ibans=[]) if rng.random() < 0.85 else dict(names=[], vat_numbers=[], ibans=[])
    return d, truth, own


# ---------------------------------------------------------------------------------------------
# HTML pieces.

BASE_CSS = """
@page { size: A4; margin: 0; }
body { margin: 0; font-family: %(font)s; font-size: %(size)spt; color: #222; }
.page { position: relative; height: 296mm; padding: 14mm 15mm 0 15mm; box-sizing: border-box; page-break-after: always; overflow: hidden; }
.page:last-child { page-break-after: auto; }
.foot { position: absolute; left: 15mm; right: 15mm; bottom: 10mm; font-size: 7.5pt; color: #555; }
table { border-collapse: collapse; }
td, th { vertical-align: top; }
.lines { width: 100%%; margin-top: 14px; }
.lines th { text-align: left; border-bottom: 1px solid #888; padding: 4px 5px; font-size: 8.5pt; }
.lines td { padding: 3px 5px; border-bottom: 1px solid #eee; }
.r { text-align: right; }
.tot { margin-left: auto; margin-top: 10px; }
.tot td { padding: 2px 8px; }
.b { font-weight: bold; }
.muted { color: #666; font-size: 8.5pt; }
.big { font-size: 22pt; font-weight: bold; }
.row { display: flex; justify-content: space-between; gap: 18px; }
"""


def css(rng, extra=""):
    return BASE_CSS % dict(font=rng.choice(["'DejaVu Sans', sans-serif", "'Liberation Sans', Arial, sans-serif", "'Liberation Serif', serif"]),
                           size=rng.choice(["8.5", "9", "9.5", "10"])) + extra


def div(lines, cls=""):
    return f"<div class='{cls}'>" + "".join(f"<div>{esc(x)}</div>" for x in lines) + "</div>"


def kv_table(rows, cls="", colon=True):
    return f"<table class='{cls}'>" + "".join(
        f"<tr><td>{esc(k)}{':' if colon else ''}</td><td class='r'>{esc(v)}</td></tr>" for k, v in rows) + "</table>"


def cols_table(rows, cls=""):
    """Labels on one row, values on the row below."""
    return (f"<table class='{cls}'><tr>" + "".join(f"<td class='b' style='padding-right:18px'>{esc(k)}</td>" for k, _ in rows) + "</tr><tr>"
            + "".join(f"<td style='padding-right:18px'>{esc(v)}</td>" for _, v in rows) + "</tr></table>")


def rate_s(r, lang):
    s = f"{r.normalize():f}"
    return s.replace(".", ",") if lang != "en" else s


def line_rows(d, cols):
    """cols: list of (header, fn(line, index), right-aligned)."""
    head = "<tr>" + "".join(f"<th class='{'r' if r else ''}'>{esc(h)}</th>" for h, _, r in cols) + "</tr>"
    return head, ["<tr>" + "".join(f"<td class='{'r' if r else ''}'>{esc(f(ln, i))}</td>" for _, f, r in cols) + "</tr>"
                  for i, ln in enumerate(d["lines"])]


def paginate(rows, first, other, last=12):
    """Splits table rows into pages: `first` rows on page one, `other` on the next ones, and at
    most `last` on the page that also carries the totals (the rest moves to a page of its own),
    so that nothing runs off a page."""
    pages, rest = [rows[:first]], rows[first:]
    while rest:
        pages.append(rest[:other])
        rest = rest[other:]
    if len(pages) > 1 and len(pages[-1]) > last:
        tail = pages.pop()
        pages += [tail[:-last], tail[-last:]]
    elif len(pages) == 1 and len(pages[0]) > last + 4:
        pages = [pages[0][:-last], pages[0][-last:]]
    return pages


def doc(rng, pages, extra_css=""):
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{css(rng, extra_css)}</style></head><body>" + "".join(
        f"<div class='page'>{p}</div>" for p in pages) + "</body></html>"


def terms_text(d, rng):
    w = d["w"]
    return rng.choice([w["terms"], w["terms2"]]).format(n=d["days"])


def vat_rows(d, rng, fmt):
    """One totals row per VAT rate."""
    out = []
    for r, base, v in d["breakdown"]:
        out.append((fmt(r, base), d["money"](v)))
    return out


# ---------------------------------------------------------------------------------------------
# Layouts.


def ninja_clean(d, rng):
    w, m, s, b = d["w"], d["money"], d["seller"], d["buyer"]
    top = (f"<div class='row'><div><div class='b' style='font-size:13pt'>{esc(s['name'])}</div>{div([s['vat'] and w['vat_no'] + ' ' + s['vat'], s['web'], s['email'], s['phone']])}</div>"
           f"{div(s['addr'] + [PARTY_COUNTRY_NAME[s['country']]])}<div class='big' style='color:#2a6'>{esc(s['brand'].upper())}</div></div>")
    ent = [(w["number"], d["number"])]
    if rng.random() < 0.6:
        ent.append((w["po"], d["order_no"]))
    ent.append((w["date"], d["dfmt"](d["issue"])))
    if d["due_printed"]:
        ent.append((w["due"], d["dfmt"](d["due"])))
    ent.append((w["balance"], m(d["due_amount"])))
    client = div([b["name"], *b["addr"], f"{w['vat_no']}: {b['vat']}", b["email"]])
    mid = f"<div class='row' style='margin-top:30px'>{client}{kv_table(ent)}</div>"
    head, rows = line_rows(d, [(w["desc"], lambda ln, i: ln["desc"], False), (w["price"], lambda ln, i: m(ln["unit"]), True),
                               (w["qty"], lambda ln, i: f"{ln['qty']}", True), (w["vat"], lambda ln, i: rate_s(ln["rate"], d["lang"]) + "%", True),
                               (w["amount"], lambda ln, i: m(ln["amount"]), True)])
    tot = [(w["subtotal"], m(d["subtotal"]))] + vat_rows(d, rng, lambda r, base: f"{w['vat']} {rate_s(r, d['lang'])}%") + [(w["total"], m(d["total"]))]
    tot += [(w["paid"], m(d["paid"])), (w["balance"], m(d["due_amount"]))]
    notes = [terms_text(d, rng)] if not d["due_printed"] or rng.random() < 0.4 else []
    notes.append(f"{w['iban']}: {iban_print(s['iban'])} · BIC {s['bic']}")
    body = (top + mid + f"<table class='lines'>{head}{''.join(rows)}</table>" + kv_table(tot, "tot", colon=False)
            + div(notes, "muted") + f"<div class='foot'>{esc(w['page'].format(p=1, n=1))}</div>")
    return doc(rng, [body])


def ninja_hipster(d, rng):
    w, m, s, b = d["w"], d["money"], d["seller"], d["buyer"]
    frm, to = ("FROM:", "TO:") if d["lang"] == "en" else ("VAN:", "AAN:")
    top = (f"<div class='row'><div style='border-left:1px solid #000;padding-left:8px'><div class='b' style='color:#b80'>{frm}</div>"
           f"{div([s['name'], s['phone'], s['email'], *s['addr'], w['vat_no'] + ': ' + s['vat']])}</div>"
           f"<div style='border-left:1px solid #000;padding-left:8px'><div class='b' style='color:#b80'>{to}</div>{div([b['name'], *b['addr'], b['vat']])}</div>"
           f"<div class='big'>{esc(s['brand'])}</div></div>")
    ent = [(w["number"], d["number"]), (w["date"], d["dfmt"](d["issue"]))]
    if d["due_printed"]:
        ent.append((w["due"], d["dfmt"](d["due"])))
    ent.append((w["balance"], m(d["due_amount"])))
    title = f"<div style='font-size:34pt;font-weight:600;margin-top:20px'>{esc(w['invoice'].upper())}</div>" + cols_table(ent)
    head, rows = line_rows(d, [(w["desc"], lambda ln, i: ln["desc"], False), (w["qty"], lambda ln, i: f"{ln['qty']}", True),
                               (w["price"], lambda ln, i: m(ln["unit"]), True), (w["amount"], lambda ln, i: m(ln["amount"]), True)])
    tot = [(w["subtotal"], m(d["subtotal"]))] + vat_rows(d, rng, lambda r, base: f"{w['vat'].upper()} {rate_s(r, d['lang'])}%")
    tot.append((w["total"], m(d["total"])))
    if d["paid"]:
        tot += [(w["paid"], m(d["paid"]))]
    tot.append((w["balance"], m(d["due_amount"])))
    notes = [terms_text(d, rng), f"{w['iban']} {iban_print(s['iban'])}"]
    body = top + title + f"<table class='lines'>{head}{''.join(rows)}</table>" + kv_table(tot, "tot", colon=False) + div(notes, "muted")
    return doc(rng, [body])


ODOO = {
    "en": dict(inv="Invoice", date="Invoice Date", due="Due Date", src="Source", code="Customer Code", taxes="Taxes", untaxed="Untaxed Amount",
               paid="Paid on", due_amt="Amount Due", comm="Please use the following communication for your payment:", page="Page: {p} / {n}",
               disc="Disc.%", qty="Quantity", price="Unit Price", desc="Description", amount="Amount", tax="VAT {r}%"),
    "nl": dict(inv="Factuur", date="Factuurdatum", due="Vervaldatum", src="Bron", code="Klantcode", taxes="Btw", untaxed="Bedrag excl. btw",
               paid="Betaald op", due_amt="Verschuldigd bedrag", comm="Gebruik de volgende mededeling voor uw betaling:", page="Pagina: {p} / {n}",
               disc="Kort.%", qty="Aantal", price="Prijs per eenheid", desc="Omschrijving", amount="Bedrag", tax="{r}% btw"),
    "fr": dict(inv="Facture", date="Date de facturation", due="Date d'échéance", src="Origine", code="Code client", taxes="Taxes", untaxed="Montant hors taxes",
               paid="Payé le", due_amt="Montant dû", comm="Merci d'utiliser la communication suivante pour votre paiement :", page="Page : {p} / {n}",
               disc="Rem.%", qty="Quantité", price="Prix unitaire", desc="Description", amount="Montant", tax="TVA {r}%"),
    "de": dict(inv="Rechnung", date="Rechnungsdatum", due="Fälligkeitsdatum", src="Quelle", code="Kundennummer", taxes="Steuern", untaxed="Nettobetrag",
               paid="Bezahlt am", due_amt="Fälliger Betrag", comm="Bitte verwenden Sie folgenden Verwendungszweck für Ihre Zahlung:", page="Seite: {p} / {n}",
               disc="Rab.%", qty="Menge", price="Einzelpreis", desc="Beschreibung", amount="Betrag", tax="{r}% USt."),
}


def odoo(d, rng):
    o, m, s, b, lang = ODOO[d["lang"]], d["money"], d["seller"], d["buyer"], d["lang"]
    header = (f"<div class='row' style='border-bottom:1px solid #000;padding-bottom:4px'><div class='big' style='color:#714b67'>{esc(s['brand'])}</div>"
              f"<div class='muted'>{esc(rng.choice(['Your partner in quality', 'Since 1998', '']))}</div></div>"
              f"<div style='margin-top:6px'>{div([s['name'], *s['addr'], PARTY_COUNTRY_NAME[s['country']]])}</div>")
    addr = f"<div style='margin-left:55%;margin-top:10px'>{div([b['name'], *b['addr'], PARTY_COUNTRY_NAME[b['country']]])}<div style='margin-top:8px'>{esc(WORDS[lang]['vat_no'])}: {esc(b['vat'])}</div></div>"
    title = f"<h2 style='margin-top:18px'>{esc(o['inv'])} {esc(d['number'])}</h2>"
    info = [(o["date"], d["dfmt"](d["issue"]))]
    if d["due_printed"]:
        info.append((o["due"], d["dfmt"](d["due"])))
    if rng.random() < 0.6:
        info.append((o["src"], d["order_no"]))
    if rng.random() < 0.5:
        info.append((o["code"], d["customer_no"]))
    cols = [(o["desc"], lambda ln, i: ln["desc"], False), (o["qty"], lambda ln, i: f"{ln['qty']:.2f}", True),
            (o["price"], lambda ln, i: fmt_num(ln["unit"], "en" if lang == "en" else "eu"), True)]
    if d["discounts"]:
        cols.append((o["disc"], lambda ln, i: f"{ln['disc']:.2f}", True))
    cols += [(o["taxes"], lambda ln, i: o["tax"].format(r=rate_s(ln["rate"], lang)), False), (o["amount"], lambda ln, i: m(ln["amount"]), True)]
    head, rows = line_rows(d, cols)
    chunks = paginate(rows, 18, 30)
    multi = len(d["breakdown"]) > 1
    tot = [(o["untaxed"], m(d["subtotal"]))]
    for r, base, v in d["breakdown"]:
        lab = o["tax"].format(r=rate_s(r, lang)) + (f" {WORDS[lang]['on']} {m(base)}" if multi else "")
        tot.append((lab, m(v)))
    tot.append(("Total" if lang != "de" else "Gesamt", m(d["total"])))
    if d["paid"]:
        tot.append((f"{o['paid']} {d['dfmt'](d['paid_date'])}", m(d["paid"])))
        tot.append((o["due_amt"], m(d["due_amount"])))
    extra = f"<p>{esc(o['comm'])} <b>{esc(d['number'])}</b></p>"
    if not d["due_printed"] or rng.random() < 0.3:
        extra += f"<p>{esc(terms_text(d, rng))}</p>"
    extra += f"<p class='muted'>{esc(WORDS[lang]['iban'])}: {esc(iban_print(s['iban']))}</p>"
    foot_line = " | ".join([s["phone"], s["email"], s["web"], f"{WORDS[lang]['vat_no']}: {s['vat']}"])
    pages = []
    for k, ch in enumerate(chunks):
        top = header + (addr + title + cols_table(info) if k == 0 else "")
        body = top + f"<table class='lines'>{head}{''.join(ch)}</table>"
        if k == len(chunks) - 1:
            body += kv_table(tot, "tot", colon=False) + extra
        body += f"<div class='foot' style='text-align:center;border-top:1px solid #000'>{esc(foot_line)}<br>{esc(o['page'].format(p=k + 1, n=len(chunks)))}</div>"
        pages.append(body)
    return doc(rng, pages)


DOLI = {
    "fr": dict(inv="Facture", date="Date facturation", due="Date échéance", code="Code client", ref="Réf. client", from_="Émetteur", to="Adressé à",
               ht="Total HT", tva="Total TVA {r}%", ttc="Total TTC", paid="Payé", rest="Reste à payer", cond="Conditions de règlement",
               mode="Mode de règlement", vir="Virement bancaire", desc="Désignation", tvacol="TVA", pu="P.U. HT", qty="Qté", red="Réduc.",
               tot="Total HT", page="Page {p}/{n}", days="{n} jours", amounts="Montants exprimés en {c}"),
    "en": dict(inv="Invoice", date="Invoice date", due="Due date", code="Customer code", ref="Customer ref.", from_="Sender", to="Bill to",
               ht="Total (excl. tax)", tva="Total VAT {r}%", ttc="Total (inc. tax)", paid="Paid", rest="Remaining unpaid", cond="Payment terms",
               mode="Payment type", vir="Bank transfer", desc="Description", tvacol="VAT", pu="U.P. (net)", qty="Qty", red="Disc.",
               tot="Total (excl. tax)", page="Page {p}/{n}", days="{n} days", amounts="Amounts in {c}"),
    "nl": dict(inv="Factuur", date="Factuurdatum", due="Vervaldatum", code="Klantcode", ref="Klantreferentie", from_="Afzender", to="Gericht aan",
               ht="Totaal excl. BTW", tva="Totaal BTW {r}%", ttc="Totaal incl. BTW", paid="Betaald", rest="Resterend onbetaald", cond="Betalingsvoorwaarden",
               mode="Betaalwijze", vir="Overschrijving", desc="Omschrijving", tvacol="BTW", pu="Prijs/st.", qty="Aantal", red="Korting",
               tot="Totaal excl. BTW", page="Pagina {p}/{n}", days="{n} dagen", amounts="Bedragen in {c}"),
}


def dolibarr(d, rng):
    o, s, b, lang = DOLI[d["lang"]], d["seller"], d["buyer"], d["lang"]
    num = lambda x: fmt_num(x, "frs" if lang == "fr" else "en" if lang == "en" else "eu")  # noqa: E731
    right = [f"{o['inv']} {d['number']}", f"{o['date']} : {d['dfmt'](d['issue'])}"]
    if d["due_printed"]:
        right.append(f"{o['due']} : {d['dfmt'](d['due'])}")
    right.append(f"{o['code']} : {d['customer_no']}")
    if rng.random() < 0.5:
        right.append(f"{o['ref']} : {d['order_no']}")
    short = f"<div class='row'><div class='big'>{esc(s['brand'].upper())}</div><div class='r'><b>{esc(right[0])}</b>{div(right[1:])}</div></div>"
    boxes = (f"<table style='width:100%;margin-top:12px'><tr><td style='width:48%'><div class='muted'>{esc(o['from_'])}</div>"
             f"<div style='background:#eee;padding:6px'><b>{esc(s['name'])}</b>{div(s['addr'] + ['Tél. : ' + s['phone'], s['email']])}</div></td><td style='width:4%'></td>"
             f"<td><div class='muted'>{esc(o['to'])}</div><div style='border:1px solid #000;padding:6px'><b>{esc(b['name'])}</b>{div(b['addr'] + [WORDS[lang]['vat_no'] + ' : ' + b['vat']])}</div></td></tr></table>")
    cols = [(o["desc"], lambda ln, i: ln["desc"], False), (o["tvacol"], lambda ln, i: rate_s(ln["rate"], lang) + "%", True),
            (o["pu"], lambda ln, i: num(ln["unit"]), True), (o["qty"], lambda ln, i: f"{ln['qty']}", True)]
    if d["discounts"]:
        cols.append((o["red"], lambda ln, i: f"{ln['disc']}%" if ln["disc"] else "", True))
    cols.append((o["tot"], lambda ln, i: num(ln["amount"]), True))
    head, rows = line_rows(d, cols)
    chunks = paginate(rows, 16, 28)
    tot = [(o["ht"], num(d["subtotal"]))] + [(o["tva"].format(r=rate_s(r, lang)), num(v)) for r, _, v in d["breakdown"]]
    tot.append((o["ttc"], num(d["total"])))
    if d["paid"]:
        tot += [(o["paid"], num(d["paid"])), (o["rest"], num(d["due_amount"]))]
    cond = (f"<table style='margin-top:10px'><tr><td><b>{esc(o['cond'])}</b> : {esc(o['days'].format(n=d['days']))}</td></tr>"
            f"<tr><td><b>{esc(o['mode'])}</b> : {esc(o['vir'])}</td></tr>"
            f"<tr><td>IBAN : {esc(iban_print(s['iban']))} — BIC : {esc(s['bic'])}</td></tr></table>")
    legal = " - ".join([f"{s['name']}", f"{rng.choice(['SAS', 'SARL', 'SA'])} au capital de {rng.randrange(1, 90)} 000 €" if lang == "fr" else s["addr"][1],
                        f"SIRET : {rng.randrange(10**13, 10**14)}" if lang == "fr" else f"{s['web']}", f"{WORDS[lang]['vat_no']} : {s['vat']}"])
    pages = []
    for k, ch in enumerate(chunks):
        body = short + (boxes if k == 0 else "") + f"<div class='muted r' style='margin-top:8px'>{esc(o['amounts'].format(c={'EUR': 'Euros', 'GBP': 'Pounds sterling (GBP)'}[d['cur']]))}</div><table class='lines' border='1'>{head}{''.join(ch)}</table>"
        if k == len(chunks) - 1:
            body += f"<table style='width:100%'><tr><td style='width:55%'>{cond}</td><td>{kv_table(tot, 'tot', colon=False)}</td></tr></table>"
        body += f"<div class='foot' style='text-align:center'>{esc(legal)}<br>{esc(o['page'].format(p=k + 1, n=len(chunks)))}</div>"
        pages.append(body)
    return doc(rng, pages)


def erpnext(d, rng):
    s, b, m, lang = d["seller"], d["buyer"], d["money"], d["lang"]
    de = lang == "de"
    letter = f"<div style='border-bottom:2px solid #333'><div class='big'>{esc(s['name'])}</div><div class='muted'>{esc(', '.join(s['addr']))} · {esc(s['phone'])} · {esc(s['email'])}</div></div>"
    title = f"<div class='row' style='margin-top:8px'><h2>{'Ausgangsrechnung' if de else rng.choice(['Sales Invoice', 'Tax Invoice'])}</h2><h3>{esc(d['number'])}</h3></div>"
    left = [("Kundenname" if de else "Customer Name", b["name"])]
    left.append(("Rechnungsadresse" if de else "Address", ", ".join(b["addr"])))
    left.append(("Steuer-ID" if de else "Tax Id", b["vat"]))
    right = [("Datum" if de else "Date", d["dfmt"](d["issue"]))]
    if d["due_printed"]:
        right.append(("Fälligkeitsdatum" if de else "Due Date", d["dfmt"](d["due"])))
    if rng.random() < 0.6:
        right.append(("Bestellnummer des Kunden" if de else "Customer's Purchase Order", d["order_no"]))
    grid = f"<div class='row' style='margin-top:6px'>{kv_table(left)}{kv_table(right)}</div>"
    cols = [("Nr." if de else "Sr", lambda ln, i: str(i + 1), False), ("Artikel" if de else "Item", lambda ln, i: ln["desc"], False),
            ("Menge" if de else "Qty", lambda ln, i: f"{ln['qty']:.3f}", True), ("Preis" if de else "Rate", lambda ln, i: m(ln["unit"]), True)]
    if d["discounts"]:
        cols.append(("Rabatt (%)" if de else "Discount (%)", lambda ln, i: f"{ln['disc']}", True))
    cols.append(("Betrag" if de else "Amount", lambda ln, i: m(ln["amount"]), True))
    head, rows = line_rows(d, cols)
    chunks = paginate(rows, 22, 32)
    tot = [("Nettosumme" if de else "Net Total", m(d["subtotal"]))]
    for r, base, v in d["breakdown"]:
        tot.append((f"{'USt' if de else 'VAT'} {rate_s(r, lang)}% @ {float(r):.1f}", m(v)))
    tot.append(("Gesamtsumme" if de else "Grand Total", m(d["total"])))
    if rng.random() < 0.5:
        tot.append(("Gerundeter Gesamtbetrag" if de else "Rounded Total", m(d["total"])))
    if d["paid"]:
        tot.append(("Gezahlter Betrag" if de else "Paid Amount", m(d["paid"])))
    tot.append(("Ausstehender Betrag" if de else "Outstanding Amount", m(d["due_amount"])))
    words = f"<p><b>{'In Worten' if de else 'In Words'}:</b> {esc(d['cur'])} {int(d['total'])} {'und' if de else 'and'} {int((d['total'] % 1) * 100)}/100 {'only' if not de else ''}</p>"
    bank = f"<p class='muted'>{'Bankverbindung' if de else 'Bank details'}: {esc(iban_print(s['iban']))} ({esc(s['bic'])}) · {esc(WORDS[lang]['vat_no'])} {esc(s['vat'])}</p>"
    if not d["due_printed"]:
        bank = f"<p>{esc(terms_text(d, rng))}</p>" + bank
    pages = []
    for k, ch in enumerate(chunks):
        body = (letter + title + grid if k == 0 else f"<div class='r muted'>{esc(d['number'])}</div>") + f"<table class='lines'>{head}{''.join(ch)}</table>"
        if k == len(chunks) - 1:
            body += kv_table(tot, "tot", colon=False) + words + bank
        body += f"<div class='foot r'>{'Seite' if de else 'Page'} {k + 1} {'von' if de else 'of'} {len(chunks)}</div>"
        pages.append(body)
    return doc(rng, pages)


IP = {
    "en": dict(inv="Invoice", date="Invoice Date", due="Due Date", amt="Amount Due", item="Item", desc="Description", qty="Qty", price="Price",
               disc="Discount", total="Total", sub="Subtotal", item_tax="Item Tax", paid="Paid", bal="Balance", terms="Terms"),
    "de": dict(inv="Rechnung", date="Rechnungsdatum", due="Fälligkeitsdatum", amt="Fälliger Betrag", item="Artikel", desc="Beschreibung", qty="Menge",
               price="Preis", disc="Rabatt", total="Gesamt", sub="Zwischensumme", item_tax="Artikelsteuer", paid="Bezahlt", bal="Saldo", terms="Bedingungen"),
    "fr": dict(inv="Facture", date="Date de facture", due="Date d'échéance", amt="Montant dû", item="Article", desc="Description", qty="Qté", price="Prix",
               disc="Remise", total="Total", sub="Sous-total", item_tax="Taxe article", paid="Payé", bal="Solde", terms="Conditions"),
}


def invoiceplane(d, rng):
    o, s, b, m, lang = IP[d["lang"]], d["seller"], d["buyer"], d["money"], d["lang"]
    top = (f"<table style='width:100%'><tr><td>{div([b['name'], *b['addr'], WORDS[lang]['vat_no'] + ': ' + b['vat']])}</td>"
           f"<td class='r'><b>{esc(s['name'])}</b>{div([*s['addr'], WORDS[lang]['vat_no'] + ': ' + s['vat'], s['phone'], s['email']])}</td></tr></table>")
    info = [(o["date"], d["dfmt"](d["issue"]))]
    if d["due_printed"]:
        info.append((o["due"], d["dfmt"](d["due"])))
    info.append((o["amt"], m(d["due_amount"])))
    head_ = f"<h1>{esc(o['inv'])} {esc(d['number'])}</h1>" + kv_table(info)
    head, rows = line_rows(d, [(o["item"], lambda ln, i: ln["desc"], False), (o["qty"], lambda ln, i: f"{ln['qty']:.2f}", True),
                               (o["price"], lambda ln, i: m(ln["unit"]), True), (o["total"], lambda ln, i: m(ln["amount"]), True)])
    tot = [(o["sub"], m(d["subtotal"]))]
    tot += [(f"{o['item_tax']} ({rate_s(r, lang)}%)", m(v)) for r, _, v in d["breakdown"]]
    tot += [(o["total"], m(d["total"])), (o["paid"], m(d["paid"])), (o["bal"], m(d["due_amount"]))]
    terms = f"<h4>{esc(o['terms'])}</h4><p>{esc(terms_text(d, rng))}<br>IBAN {esc(iban_print(s['iban']))} — BIC {esc(s['bic'])}</p>"
    return doc(rng, [top + head_ + f"<table class='lines'>{head}{''.join(rows)}</table>" + kv_table(tot, "tot", colon=False) + terms])


def kimai(d, rng):
    s, b, m, lang = d["seller"], d["buyer"], d["money"], d["lang"]
    de = lang == "de"
    sender = f"<div style='font-size:7pt;text-decoration:underline;margin-top:40px'>{esc(' · '.join([s['name'], *s['addr']]))}</div>"
    window = div([b["name"], *b["addr"]])
    info = [("Rechnungsnummer" if de else "Invoice number", d["number"]), ("Kundennummer" if de else "Customer number", d["customer_no"]),
            ("Datum" if de else "Date", d["dfmt"](d["issue"]))]
    if d["due_printed"]:
        info.append(("Zahlungsziel" if de else "Due date", d["dfmt"](d["due"])))
    if rng.random() < 0.5:
        info.append(("Projekt" if de else "Project", rng.choice(["Relaunch", "Support 2024", "Intranet"])))
    top = (f"<div class='row'><div>{esc(s['brand'])}</div><div class='r muted'>{esc(s['name'])}<br>{esc(s['phone'])}<br>{esc(s['email'])}</div></div>"
           f"<div class='row'><div>{sender}{window}</div><div style='margin-top:40px'>{kv_table(info)}</div></div>")
    title = f"<h2 style='margin-top:30px'>{'Rechnung' if de else 'Invoice'}</h2><p>{'Für unsere Leistungen im Zeitraum' if de else 'For our services in the period'} {esc(d['dfmt'](d['issue'].replace(day=1)))} – {esc(d['dfmt'](d['issue']))}:</p>"
    head, rows = line_rows(d, [("Datum" if de else "Date", lambda ln, i: d["dfmt"](d["issue"].replace(day=1 + i % 27)), False),
                               ("Tätigkeit" if de else "Activity", lambda ln, i: ln["desc"], False),
                               ("Stunden" if de else "Hours", lambda ln, i: f"{ln['qty']:.2f}".replace(".", "," if de else "."), True),
                               ("Stundensatz" if de else "Rate", lambda ln, i: m(ln["unit"]), True), ("Summe" if de else "Total", lambda ln, i: m(ln["amount"]), True)])
    tot = [("Summe netto" if de else "Net", m(d["subtotal"]))]
    tot += [((f"zzgl. {rate_s(r, lang)} % USt." if de else f"plus {rate_s(r, lang)}% VAT"), m(v)) for r, _, v in d["breakdown"]]
    tot.append(("Rechnungsbetrag" if de else "Invoice total", m(d["total"])))
    if d["paid"]:
        tot += [("abzgl. Anzahlung" if de else "less deposit", m(-d["paid"])), ("Zahlbetrag" if de else "Amount to pay", m(d["due_amount"]))]
    note = f"<p>{esc(terms_text(d, rng))}</p>"
    foot = (f"<div class='foot'><table style='width:100%'><tr><td>{div([s['name'], *s['addr']])}</td>"
            f"<td>{div(['Bankverbindung' if de else 'Bank', 'IBAN: ' + iban_print(s['iban']), 'BIC: ' + s['bic']])}</td>"
            f"<td>{div([('USt-IdNr.: ' if de else 'VAT ID: ') + s['vat'], s['web']])}</td></tr></table></div>")
    return doc(rng, [top + title + f"<table class='lines'>{head}{''.join(rows)}</table>" + kv_table(tot, "tot", colon=False) + note + foot])


WOO = {
    "en": dict(inv="INVOICE", num="Invoice Number:", date="Invoice Date:", order="Order Number:", odate="Order Date:", pm="Payment Method:",
               ship="Ship To:", prod="Product", qty="Quantity", price="Price", sub="Subtotal", shipping="Shipping", total="Total",
               incl="(includes {v} VAT)", pmv="Direct bank transfer"),
    "nl": dict(inv="FACTUUR", num="Factuurnummer:", date="Factuurdatum:", order="Bestelnummer:", odate="Besteldatum:", pm="Betaalmethode:",
               ship="Verzendadres:", prod="Product", qty="Aantal", price="Prijs", sub="Subtotaal", shipping="Verzending", total="Totaal",
               incl="(inclusief {v} btw)", pmv="Directe bankoverschrijving"),
    "de": dict(inv="RECHNUNG", num="Rechnungsnummer:", date="Rechnungsdatum:", order="Bestellnummer:", odate="Bestelldatum:", pm="Zahlungsart:",
               ship="Lieferadresse:", prod="Produkt", qty="Anzahl", price="Preis", sub="Zwischensumme", shipping="Versand", total="Gesamtsumme",
               incl="(enthält {v} MwSt.)", pmv="Überweisung"),
}


def woo(d, rng):
    o, s, b, m, lang = WOO[d["lang"]], d["seller"], d["buyer"], d["money"], d["lang"]
    top = f"<div class='row'><div class='big'>{esc(s['brand'])}</div><div>{div([s['name'], *s['addr'], WORDS[lang]['vat_no'] + ' ' + s['vat']])}</div></div>"
    order = [(o["num"], d["number"]), (o["date"], d["dfmt"](d["issue"])), (o["order"], d["order_no"]),
             (o["odate"], d["dfmt"](add_days(d["issue"], -1))), (o["pm"], o["pmv"])]
    if d["due_printed"]:
        order.insert(2, (WORDS[lang]["due"] + ":", d["dfmt"](d["due"])))
    order_t = "<table>" + "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in order) + "</table>"
    mid = (f"<h1 style='margin-top:24px'>{esc(o['inv'])}</h1><div class='row'>{div([b['name'], *b['addr'], b['email'], b['vat']])}"
           f"<div><b>{esc(o['ship'])}</b>{div([b['name'], rng.choice(STREETS[b['country']]).format(n=rng.randrange(1, 99)), b['addr'][1]])}</div>{order_t}</div>")
    lines = [ln for ln in d["lines"] if ln["desc"] not in ("Shipping", "Verzendkosten", "Versandkosten", "Frais de port")]
    ship = [ln for ln in d["lines"] if ln not in lines]
    rows = "".join(f"<tr><td>{esc(ln['desc'])}</td><td class='r'>{ln['qty']}</td><td class='r'>{esc(m(ln['amount']))}</td></tr>" for ln in lines)
    head = f"<tr><th>{esc(o['prod'])}</th><th class='r'>{esc(o['qty'])}</th><th class='r'>{esc(o['price'])}</th></tr>"
    goods = sum((ln["amount"] for ln in lines), Decimal(0))
    tot = [(o["sub"], m(goods))]
    if ship:
        tot.append((o["shipping"], m(ship[0]["amount"])))
    if rng.random() < 0.5:
        tot += [(f"{WORDS[lang]['vat']} {rate_s(r, lang)}%", m(v)) for r, _, v in d["breakdown"]]
        tot.append((o["total"], m(d["total"])))
    else:
        # Totals with the VAT only in brackets: the net total is printed as its own row.
        tot.append((WORDS[lang]["subtotal"] + (" excl. VAT" if lang == "en" else " excl. btw" if lang == "nl" else " netto"), m(d["subtotal"])))
        tot.append((o["total"], f"{m(d['total'])} " + o["incl"].format(v=m(d["vat_total"]))))
    if d["paid"]:
        tot += [(WORDS[lang]["paid"], m(d["paid"])), (WORDS[lang]["balance"], m(d["due_amount"]))]
    note = f"<p class='muted'>{esc(terms_text(d, rng))} — IBAN {esc(iban_print(s['iban']))}</p>"
    foot = f"<div class='foot' style='text-align:center'>{esc(s['name'])} | {esc(s['web'])} | {esc(s['email'])}</div>"
    return doc(rng, [top + mid + f"<table class='lines'>{head}{rows}</table>" + kv_table(tot, "tot", colon=False) + note + foot])


STRIPE = {
    "en": dict(inv="Invoice", num="Invoice number", issue="Date of issue", due="Date due", bill="Bill to", due_on="{a} due {d}",
               pay="Pay online", desc="Description", qty="Qty", unit="Unit price", tax="Tax", amount="Amount", sub="Subtotal",
               excl="Total excluding tax", vat="VAT - {c} ({r}% on {b})", total="Total", paid="Amount paid", due_amt="Amount due",
               dd="This invoice will be collected by SEPA Direct Debit from {i}.", page="Page {p} of {n}"),
    "nl": dict(inv="Factuur", num="Factuurnummer", issue="Uitgiftedatum", due="Vervaldatum", bill="Factureren aan", due_on="{a} te betalen op {d}",
               pay="Online betalen", desc="Beschrijving", qty="Aantal", unit="Eenheidsprijs", tax="Btw", amount="Bedrag", sub="Subtotaal",
               excl="Totaal exclusief btw", vat="Btw - {c} ({r}% op {b})", total="Totaal", paid="Betaald bedrag", due_amt="Verschuldigd bedrag",
               dd="Deze factuur wordt via SEPA-incasso geïnd van {i}.", page="Pagina {p} van {n}"),
    "fr": dict(inv="Facture", num="Numéro de facture", issue="Date d'émission", due="Date d'échéance", bill="Facturer à", due_on="{a} dû le {d}",
               pay="Payer en ligne", desc="Description", qty="Qté", unit="Prix unitaire", tax="Taxe", amount="Montant", sub="Sous-total",
               excl="Total hors taxes", vat="TVA - {c} ({r} % sur {b})", total="Total", paid="Montant payé", due_amt="Montant dû",
               dd="Cette facture sera prélevée par prélèvement SEPA sur {i}.", page="Page {p} sur {n}"),
    "de": dict(inv="Rechnung", num="Rechnungsnummer", issue="Ausstellungsdatum", due="Fälligkeitsdatum", bill="Rechnung an", due_on="{a} fällig am {d}",
               pay="Online bezahlen", desc="Beschreibung", qty="Menge", unit="Stückpreis", tax="Steuer", amount="Betrag", sub="Zwischensumme",
               excl="Gesamtbetrag ohne Steuern", vat="USt. - {c} ({r} % auf {b})", total="Gesamt", paid="Bezahlter Betrag", due_amt="Fälliger Betrag",
               dd="Diese Rechnung wird per SEPA-Lastschrift von {i} eingezogen.", page="Seite {p} von {n}"),
}


def stripe(d, rng, own_iban):
    o, s, b, m, lang = STRIPE[d["lang"]], d["seller"], d["buyer"], d["money"], d["lang"]
    meta = [(o["num"], d["number"]), (o["issue"], d["dfmt"](d["issue"])), (o["due"], d["dfmt"](d["due"]))]
    top = (f"<div class='row'><div><div class='big'>{esc(o['inv'])}</div><table style='margin-top:8px'>" +
           "".join(f"<tr><td style='padding-right:16px'>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in meta) +
           f"</table></div><div class='b' style='font-size:14pt'>{esc(s['brand'])}</div></div>")
    parties = (f"<div class='row' style='margin-top:20px;justify-content:flex-start;gap:60px'><div><b>{esc(s['name'])}</b>{div([*s['addr'], PARTY_COUNTRY_NAME[s['country']], s['email'], s['vat']])}</div>"
               f"<div><b>{esc(o['bill'])}</b>{div([b['name'], *b['addr'], PARTY_COUNTRY_NAME[b['country']], b['email'], b['vat']])}</div></div>")
    big = f"<div style='font-size:16pt;font-weight:bold;margin-top:22px'>{esc(o['due_on'].format(a=m(d['due_amount']), d=d['dfmt'](d['due'])))}</div><div style='color:#635bff'>{esc(o['pay'])}</div>"
    head, rows = line_rows(d, [(o["desc"], lambda ln, i: ln["desc"], False), (o["qty"], lambda ln, i: f"{ln['qty']}", True),
                               (o["unit"], lambda ln, i: m(ln["unit"]), True), (o["tax"], lambda ln, i: f"{rate_s(ln['rate'], lang)}%", True),
                               (o["amount"], lambda ln, i: m(ln["amount"]), True)])
    tot = [(o["sub"], m(d["subtotal"])), (o["excl"], m(d["subtotal"]))]
    tot += [(o["vat"].format(c=PARTY_COUNTRY_NAME[b["country"]], r=rate_s(r, lang), b=m(base)), m(v)) for r, base, v in d["breakdown"]]
    tot.append((o["total"], m(d["total"])))
    if d["paid"]:
        tot.append((o["paid"], m(d["paid"])))
    tot.append((o["due_amt"], m(d["due_amount"])))
    note = f"<p class='muted'>{esc(o['dd'].format(i=iban_print(own_iban)))}</p>" if own_iban else f"<p class='muted'>IBAN {esc(iban_print(s['iban']))} · BIC {esc(s['bic'])}</p>"
    if own_iban:
        note += f"<p class='muted'>{esc(s['name'])} · IBAN {esc(iban_print(s['iban']))}</p>"
    foot = f"<div class='foot'>{esc(d['number'])} · {esc(o['due_on'].format(a=m(d['due_amount']), d=d['dfmt'](d['due'])))} · {esc(o['page'].format(p=1, n=1))}</div>"
    return doc(rng, [top + parties + big + f"<table class='lines'>{head}{''.join(rows)}</table>" + kv_table(tot, "tot", colon=False) + note + foot])


def aws(d, rng, own_iban):
    s, b, m = d["seller"], d["buyer"], d["money"]
    acct = str(rng.randrange(10**11, 10**12))
    start = d["issue"].replace(day=1)
    info = [("Invoice Number", d["number"]), ("Invoice Date", d["dfmt"](d["issue"])), ("Account number", acct),
            ("Billing Period", f"{d['dfmt'](add_days(start, -30))} - {d['dfmt'](add_days(start, -1))}")]
    head1 = (f"<div class='row'><div class='big'>{esc(s['brand'])}</div><div><h2>Tax Invoice</h2>{kv_table(info)}</div></div>"
             f"<div class='row' style='margin-top:14px'><div><b>Bill to Address:</b>{div([b['name'], 'ATTN: Accounts payable', *b['addr'], PARTY_COUNTRY_NAME[b['country']]])}</div>"
             f"<div style='border:1px solid #999;padding:8px'><b>TOTAL AMOUNT DUE ON {esc(d['dfmt'](d['due']).upper())}</b><div class='big'>{esc(m(d['due_amount']))}</div></div></div>")
    summary = [("Charges", m(d["subtotal"])), ("Credits", m(Decimal(0))), ("Tax", m(d["vat_total"])), ("Total for this invoice", m(d["total"]))]
    head1 += "<h3>Summary</h3>" + kv_table(summary)
    head, rows = line_rows(d, [("Description", lambda ln, i: ln["desc"], False), ("Usage", lambda ln, i: f"{ln['qty']}", True),
                               ("VAT rate", lambda ln, i: f"{ln['rate'].normalize():f}%", True), ("Amount", lambda ln, i: m(ln["amount"]), True)])
    chunks = paginate(rows, 12, 34)
    table = ("<h3>VAT summary</h3><table class='lines'><tr><th>VAT rate</th><th class='r'>Net Charges (excl. VAT)</th><th class='r'>VAT Amount</th></tr>" +
             "".join(f"<tr><td>{r.normalize():f}%</td><td class='r'>{esc(m(base))}</td><td class='r'>{esc(m(v))}</td></tr>" for r, base, v in d["breakdown"]) + "</table>")
    tot = [("Net Charges (excl. VAT)", m(d["subtotal"])), ("VAT Amount", m(d["vat_total"])), ("Total Amount Due", m(d["due_amount"]))]
    seller_blk = f"<p class='muted'>Service provider: {esc(s['name'])}, {esc(', '.join(s['addr']))}, {esc(PARTY_COUNTRY_NAME[s['country']])} · VAT Registration Number: {esc(s['vat'])}</p>"
    pay = (f"<p class='muted'>This invoice will be charged to your payment method on file (SEPA direct debit, IBAN {esc(iban_print(own_iban))}).</p>" if own_iban
           else f"<p class='muted'>Please remit payment to IBAN {esc(iban_print(s['iban']))}, BIC {esc(s['bic'])}, quoting {esc(d['number'])}.</p>")
    pay += f"<p class='muted'>Payee bank account: IBAN {esc(iban_print(s['iban']))}</p>" if own_iban else ""
    pages = []
    for k, ch in enumerate(chunks):
        body = (head1 if k == 0 else f"<div class='r muted'>Invoice Number: {esc(d['number'])}</div>") + f"<table class='lines'>{head}{''.join(ch)}</table>"
        if k == len(chunks) - 1:
            body += table + kv_table(tot, "tot") + seller_blk + pay
        body += f"<div class='foot'><span>{esc(s['name'])}</span><span style='float:right'>Page {k + 1} of {len(chunks)}</span></div>"
        pages.append(body)
    return doc(rng, pages)


def hetzner(d, rng, own_iban):
    s, b, m, lang = d["seller"], d["buyer"], d["money"], d["lang"]
    de = lang == "de"
    info = [("Rechnungsnr." if de else "Invoice no.", d["number"]), ("Kundennummer" if de else "Customer number", d["customer_no"]),
            ("Datum" if de else "Date", d["dfmt"](d["issue"]))]
    if de:
        info.append(("USt-IdNr. Kunde", b["vat"]))
    top = (f"<div class='row'><div class='big' style='color:#d50c2d'>{esc(s['brand'].upper())}</div></div>"
           f"<div class='row' style='margin-top:20px'><div><div style='font-size:7pt'>{esc(s['name'])} · {esc(' · '.join(s['addr']))}</div>{div([b['name'], *b['addr']])}</div>{kv_table(info)}</div>"
           f"<h2 style='margin-top:22px'>{'Rechnung' if de else 'Invoice'}</h2>")
    start = d["issue"].replace(day=1)
    period = f"{d['dfmt'](start)} - {d['dfmt'](add_days(start, 27))}"
    head, rows = line_rows(d, [("Pos.", lambda ln, i: str(i + 1), False), ("Produkt" if de else "Product", lambda ln, i: f"{ln['desc']} ({period})", False),
                               ("Menge" if de else "Qty", lambda ln, i: f"{ln['qty']}", True), ("Einzelpreis" if de else "Unit price", lambda ln, i: m(ln["unit"]), True),
                               ("Gesamt" if de else "Total", lambda ln, i: m(ln["amount"]), True)])
    chunks = paginate(rows, 16, 32)
    tot = [("Summe netto" if de else "Total (excl. VAT)", m(d["subtotal"]))]
    tot += [(f"{'USt.' if de else 'VAT'} {rate_s(r, lang)} %", m(v)) for r, _, v in d["breakdown"]]
    tot.append(("Summe brutto" if de else "Total (incl. VAT)", m(d["total"])))
    if own_iban:
        pay = (f"<p>{'Der Rechnungsbetrag wird in den nächsten Tagen von Ihrem Konto' if de else 'The amount will be debited from your account'} "
               f"{esc(iban_print(own_iban))} {'abgebucht' if de else 'in the next days'}.</p>")
    else:
        pay = f"<p>{esc(terms_text(d, rng))}</p>"
    foot = (f"<div class='foot'><table style='width:100%'><tr><td>{div([s['name'], *s['addr']])}</td><td>{div(['Geschäftsführer: M. Muster' if de else 'Managing director: M. Muster', ('USt-IdNr.: ' if de else 'VAT ID: ') + s['vat']])}</td>"
            f"<td>{div([s['bic'], 'IBAN: ' + iban_print(s['iban'])])}</td></tr></table>")
    pages = []
    for k, ch in enumerate(chunks):
        body = (top if k == 0 else "") + f"<table class='lines'>{head}{''.join(ch)}</table>"
        if k == len(chunks) - 1:
            body += kv_table(tot, "tot", colon=False) + pay
        body += foot + f"<div class='r'>{'Seite' if de else 'Page'} {k + 1}/{len(chunks)}</div></div>"
        pages.append(body)
    return doc(rng, pages)


AMZ = {
    "en": dict(title="Invoice", sold="Sold by", vat="VAT #", details="Invoice details", idate="Invoice date / Date of supply", inum="Invoice #",
               onum="Order #", bill="Billing address", deliv="Delivery address", desc="Description", qty="Qty", uex="Unit price (excl. VAT)",
               rate="VAT rate", uin="Unit price (incl. VAT)", sub="Item subtotal (incl. VAT)", summ="VAT rate", net="Item subtotal (excl. VAT)",
               vatc="VAT", total="Invoice total", paid="Paid", pay="Payment"),
    "de": dict(title="Rechnung", sold="Verkauft von", vat="USt-IdNr.", details="Rechnungsdetails", idate="Rechnungsdatum / Lieferdatum", inum="Rechnungsnummer",
               onum="Bestellnummer", bill="Rechnungsadresse", deliv="Lieferadresse", desc="Beschreibung", qty="Menge", uex="Stückpreis (ohne USt.)",
               rate="USt. %", uin="Stückpreis (inkl. USt.)", sub="Zwischensumme (inkl. USt.)", summ="USt. %", net="Zwischensumme (ohne USt.)",
               vatc="USt.", total="Rechnungsbetrag", paid="Bezahlt", pay="Zahlung"),
    "fr": dict(title="Facture", sold="Vendu par", vat="N° TVA", details="Détails de la facture", idate="Date de la facture / Date de livraison",
               inum="Numéro de la facture", onum="Numéro de la commande", bill="Adresse de facturation", deliv="Adresse de livraison", desc="Description",
               qty="Qté", uex="Prix unitaire (HT)", rate="Taux TVA", uin="Prix unitaire (TTC)", sub="Sous-total (TTC)", summ="Taux TVA",
               net="Sous-total (HT)", vatc="TVA", total="Total de la facture", paid="Payé", pay="Paiement"),
}


def amazon(d, rng):
    o, s, b, m, lang = AMZ[d["lang"]], d["seller"], d["buyer"], d["money"], d["lang"]
    top = (f"<div class='row'><div class='big'>{esc(s['brand'].lower())}</div><div style='font-size:16pt'>{esc(o['title'])}</div></div>"
           f"<div style='margin-top:10px'><b>{esc(o['sold'])}</b> {esc(s['name'])}, {esc(', '.join(s['addr']))}<br>{esc(o['vat'])} {esc(s['vat'])}</div>")
    det = [(o["idate"], d["dfmt"](d["issue"])), (o["inum"], d["number"]), (o["onum"], d["order_no"])]
    if d["due_printed"] and not d["paid"]:
        det.append((WORDS[lang]["due"], d["dfmt"](d["due"])))
    det.append((o["total"], m(d["total"])))
    blocks = (f"<table style='width:100%;margin-top:14px'><tr><td><b>{esc(o['details'])}</b>{kv_table(det)}</td>"
              f"<td><b>{esc(o['bill'])}</b>{div([b['name'], *b['addr'], PARTY_COUNTRY_NAME[b['country']]])}<div>{esc(o['vat'])} {esc(b['vat'])}</div></td>"
              f"<td><b>{esc(o['deliv'])}</b>{div([b['name'], *b['addr']])}</td></tr></table>")
    head, rows = line_rows(d, [(o["desc"], lambda ln, i: ln["desc"], False), (o["qty"], lambda ln, i: f"{ln['qty']}", True),
                               (o["uex"], lambda ln, i: m(ln["unit"]), True), (o["rate"], lambda ln, i: f"{rate_s(ln['rate'], lang)}%", True),
                               (o["uin"], lambda ln, i: m(q(ln["unit"] * (100 + ln["rate"]) / 100)), True),
                               (o["sub"], lambda ln, i: m(q(ln["amount"] * (100 + ln["rate"]) / 100)), True)])
    summ = (f"<table class='lines' style='width:60%;margin-left:auto'><tr><th>{esc(o['summ'])}</th><th class='r'>{esc(o['net'])}</th><th class='r'>{esc(o['vatc'])}</th></tr>"
            + "".join(f"<tr><td>{rate_s(r, lang)}%</td><td class='r'>{esc(m(base))}</td><td class='r'>{esc(m(v))}</td></tr>" for r, base, v in d["breakdown"])
            + f"<tr><td class='b'>Total</td><td class='r b'>{esc(m(d['subtotal']))}</td><td class='r b'>{esc(m(d['vat_total']))}</td></tr></table>")
    tot = f"<div class='r b' style='margin-top:8px;font-size:12pt'>{esc(o['total'])} {esc(m(d['total']))}</div>"
    pay = (f"<p>{esc(o['pay'])}: {esc(o['paid'])} {esc(m(d['paid']))}</p>" if d["paid"] else f"<p class='muted'>{esc(terms_text(d, rng))} IBAN {esc(iban_print(s['iban']))}</p>")
    if d["paid"]:
        pay += f"<p class='muted'>IBAN {esc(iban_print(s['iban']))}</p>"
    foot = f"<div class='foot' style='text-align:center'>{esc(s['name'])} · {esc(o['vat'])} {esc(s['vat'])} · {esc(s['web'])}</div>"
    return doc(rng, [top + blocks + f"<table class='lines'>{head}{''.join(rows)}</table>" + summ + tot + pay + foot])


def moneybird(d, rng):
    s, b, m = d["seller"], d["buyer"], d["money"]
    kvk = str(rng.randrange(10**7, 10**8))
    top = (f"<div class='row'><div style='margin-top:70px'>{div([b['name'], 't.a.v. de administratie', *b['addr']])}</div>"
           f"<div class='r'><div class='big' style='color:#1a73e8'>{esc(s['brand'])}</div>{div([s['name'], *s['addr'], s['phone'], s['email']])}</div></div>")
    info = [("Factuurnummer", d["number"]), ("Factuurdatum", d["dfmt"](d["issue"]))]
    if d["due_printed"]:
        info.append(("Vervaldatum", d["dfmt"](d["due"])))
    if rng.random() < 0.5:
        info.append(("Uw referentie", d["order_no"]))
    title = f"<h1 style='margin-top:30px'>Factuur</h1>" + kv_table(info)
    head, rows = line_rows(d, [("Aantal", lambda ln, i: f"{ln['qty']}", False), ("Omschrijving", lambda ln, i: ln["desc"], False),
                               ("Prijs", lambda ln, i: m(ln["unit"]), True), ("Btw", lambda ln, i: f"{rate_s(ln['rate'], 'nl')}%", True),
                               ("Totaal", lambda ln, i: m(ln["amount"]), True)])
    tot = [("Totaal excl. btw", m(d["subtotal"]))] + [(f"{rate_s(r, 'nl')}% btw over {m(base)}" if len(d["breakdown"]) > 1 else f"{rate_s(r, 'nl')}% btw", m(v)) for r, base, v in d["breakdown"]]
    tot.append(("Totaal", m(d["total"])))
    if d["paid"]:
        tot += [("Reeds ontvangen", m(d["paid"])), ("Nog te betalen", m(d["due_amount"]))]
    when = f"voor {d['dfmt'](d['due'])}" if d["due_printed"] else f"binnen {d['days']} dagen"
    ask = (f"<p>Wij verzoeken u vriendelijk het bovenstaande bedrag van {esc(m(d['due_amount']))} {esc(when)} te voldoen op onze bankrekening "
           f"{esc(iban_print(s['iban']))} onder vermelding van het factuurnummer {esc(d['number'])}. Voor vragen kunt u contact opnemen per e-mail.</p>")
    foot = f"<div class='foot' style='text-align:center'>{esc(s['name'])} | KvK {kvk} | Btw-nr. {esc(s['vat'])} | IBAN {esc(iban_print(s['iban']))}</div>"
    return doc(rng, [top + title + f"<table class='lines'>{head}{''.join(rows)}</table>" + kv_table(tot, "tot", colon=False) + ask + foot])


def render(layout, d, rng, own):
    own_iban = own["ibans"][0] if own["ibans"] else None
    if layout in ("stripe", "aws", "hetzner"):
        return globals()[layout](d, rng, own_iban)
    return globals()[layout](d, rng)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=10, help="invoices per layout")
    ap.add_argument("--layouts", default=",".join(LAYOUTS))
    ap.add_argument("--seed", type=int, default=50)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-software-")
    try:
        for layout in args.layouts.split(","):
            os.makedirs(os.path.join(args.out, layout), exist_ok=True)
            for k in range(args.count):
                rng = random.Random(hashlib.sha256(f"{args.seed}-{layout}-{k}".encode()).hexdigest())
                d, truth, own = make(rng, layout)
                # Direct debits: the buyer's own IBAN is printed, and known as ours.
                if layout in ("stripe", "aws", "hetzner") and own["names"] and rng.random() < 0.5:
                    own["ibans"] = [d["buyer"]["iban"]]
                html_text = render(layout, d, rng, own)
                # No due date printed: a direct debit without terms, or a marketplace order paid in full.
                if (layout == "hetzner" and own["ibans"]) or (layout == "amazon" and d["paid"]):
                    truth["due_date"] = None
                if layout == "amazon" and d["paid"]:
                    truth["amount_due"] = None
                doc_id = f"{layout}-{k:02d}"
                out = os.path.join(args.out, layout, doc_id + ".pdf")
                renderer = "libreoffice" if layout in LIBREOFFICE else "chromium"
                (render_libreoffice if renderer == "libreoffice" else render_chromium)(html_text, out, tmp)
                split = "tune" if k % 2 == 0 else "heldout"
                manifest.append(dict(path=f"{layout}/{doc_id}.pdf", producer=layout, renderer=renderer, family=layout, lang=d["lang"],
                                     split=split, own=own, truth=truth))
                print(doc_id, file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
