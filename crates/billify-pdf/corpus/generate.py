#!/usr/bin/env python3
"""Generates Billify's varied invoice corpus with ground truth.

Each invoice is drawn from a seeded random model (parties, numbers, dates, lines, several VAT
rates, deposits, payment terms) in one of eight layout families (Benelux tools, UK VAT, US sales
tax, Indian GST, cloud/marketplace, credit notes, German and French invoices). The same page
description is rendered by several producers:

* ``chromium``: HTML printed to PDF by headless Chromium, as most invoicing SaaS does;
* ``reportlab``: direct drawing with ReportLab (standard fonts, absolute positions);
* ``scan``: a Chromium page rasterised, rotated a little, noised and stored as an image-only PDF;
* ``libreoffice``: the same HTML opened in LibreOffice Writer and exported to PDF (its own
  layout engine, fonts and PDF writer);
* ``tex``: the page written as a LaTeX document (tabular layouts, Latin Modern fonts) and typeset
  by pdfLaTeX;
* ``einvoice``: the invoice written as a structured e-invoice (UN/CEFACT CII or Peppol UBL), then
  printed the way e-invoice viewers print one (an EN 16931 visualisation-style page, in English
  or German, rendered by Chromium), with the XML dropped: the ground truth is read back from the
  XML, not from the model. The XML fixtures of ``billify-einvoice`` are printed the same way
  (family ``fixture``).

Output: ``<out>/<producer>/<id>.pdf`` and ``<out>/manifest.json`` (one entry per document, with
``split`` = ``tune`` or ``heldout``, ``own`` = the organisation reading it, and ``truth``).

Usage: ``python3 generate.py OUT_DIR [--count N] [--producers chromium,reportlab,scan]``
Needs: chromium (Debian ``chromium``), ``pdftoppm`` (``poppler-utils``), and the Python packages
``reportlab`` and ``pillow``; for ``libreoffice``, ``soffice`` (Debian ``libreoffice-writer-nogui``); for
``tex``, ``pdflatex`` (Debian ``texlive-latex-base``, ``texlive-latex-recommended``).
"""

import argparse
import calendar
import datetime as dt
import hashlib
import html
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal

# ---------------------------------------------------------------------------------------------
# Identifiers with valid check digits.


def mod97(digits):
    return int(digits) % 97


def iban(rng, country):
    lengths = {"BE": 12, "NL": 14, "DE": 18, "FR": 23, "GB": 18, "LU": 16}
    if country == "BE":
        first = "".join(rng.choice("0123456789") for _ in range(10))
        chk = int(first) % 97 or 97
        bban = f"{first}{chk:02d}"
    elif country == "NL":
        bban = rng.choice(["ABNA", "INGB", "RABO", "KNAB"]) + "".join(rng.choice("0123456789") for _ in range(10))
    elif country == "GB":
        bban = rng.choice(["NWBK", "BARC", "HBUK"]) + "".join(rng.choice("0123456789") for _ in range(14))
    else:
        bban = "".join(rng.choice("0123456789") for _ in range(lengths[country]))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - mod97(numeric)
    return f"{country}{check:02d}{bban}"


def iban_print(s):
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def vat(rng, country):
    if country == "BE":
        body = rng.choice("01") + "".join(rng.choice("0123456789") for _ in range(7))
        if body[0] == "0" and body[1] == "0":
            body = "07" + body[2:]
        return f"BE{body}{97 - int(body) % 97:02d}"
    if country == "NL":
        while True:
            d = [rng.randrange(10) for _ in range(8)]
            s = sum(d[i] * (9 - i) for i in range(8))
            last = s % 11
            if last < 10:
                return "NL" + "".join(map(str, d)) + str(last) + "B" + f"{rng.randrange(1, 20):02d}"
    if country == "DE":
        d = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(7)]
        product = 10
        for digit in d:
            s = (digit + product) % 10 or 10
            product = (2 * s) % 11
        return "DE" + "".join(map(str, d)) + str((11 - product) % 10)
    if country == "FR":
        siren = str(rng.randrange(100000000, 999999999))
        return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
    if country == "GB":
        return "GB" + "".join(rng.choice("0123456789") for _ in range(9))
    if country == "LU":
        return "LU" + "".join(rng.choice("0123456789") for _ in range(8))
    raise ValueError(country)


def vat_print(v, rng):
    c, b = v[:2], v[2:]
    if c == "BE" and rng.random() < 0.5:
        return f"BE {b[:4]}.{b[4:7]}.{b[7:]}"
    if c == "GB" and rng.random() < 0.5:
        return f"GB {b[:3]} {b[3:7]} {b[7:]}"
    return v


# ---------------------------------------------------------------------------------------------
# Names, addresses, goods.

FIRST = ["Bloc", "Noord", "Atlas", "Zenith", "Kobalt", "Vector", "Lumen", "Orion", "Delta", "Pixel", "Helix",
         "Cedar", "Falcon", "Granit", "Mosaic", "Nimbus", "Quartz", "Rivier", "Sirius", "Tandem", "Vulcan", "Willow"]
SECOND = ["Group", "Studio", "Consult", "Logistics", "Systems", "Design", "Bouw", "Technics", "Media", "Partners",
          "Services", "Digital", "Print", "Foods", "Energy", "Works", "Labs", "Trading", "Software", "Solutions"]
FORMS = {"be": ["BV", "NV", "BVBA", "SRL", "SA", "CommV"], "nl": ["B.V.", "BV", "V.O.F."], "de": ["GmbH", "AG", "UG (haftungsbeschränkt)", "GmbH & Co. KG"],
         "fr": ["SAS", "SARL", "SA", "EURL"], "uk": ["Ltd", "Limited", "LLP", "plc"], "us": ["Inc.", "LLC", "Corp."],
         "in": ["Pvt. Ltd.", "Private Limited", "LLP"], "lu": ["S.à r.l.", "SARL", "S.A."], "ch": ["AG", "GmbH", "SA"]}
STREETS = {
    "be": ["Meirbrug {n}", "Bijlokevest {n}", "Rue de la Loi {n}", "Kortrijksesteenweg {n}", "Avenue Louise {n}"],
    "nl": ["Keizersgracht {n}", "Stationsplein {n}", "Hoofdstraat {n}", "Lange Voorhout {n}"],
    "de": ["Hauptstraße {n}", "Bahnhofstr. {n}", "Lindenallee {n}", "Industriestraße {n}"],
    "fr": ["{n} rue de Rivoli", "{n} avenue Jean Jaurès", "{n} boulevard Haussmann", "{n} place Bellecour"],
    "uk": ["{n} High Street", "{n} Baker Street", "Unit {n}, Riverside Park", "{n} Station Road"],
    "us": ["{n} Market Street", "{n} Broadway, Suite 200", "{n} Main St", "{n} Elm Avenue"],
    "in": ["{n}, MG Road", "Plot {n}, Sector 18", "{n}, Nariman Point", "{n}/B, Park Street"],
    "lu": ["{n} avenue John F. Kennedy", "{n} rue du Fort Wallis"],
    "ch": ["Bahnhofstrasse {n}", "Rue du Rhône {n}"],
}
CITIES = {
    "be": ["2000 Antwerpen", "9000 Gent", "1000 Bruxelles", "3000 Leuven", "8500 Kortrijk"],
    "nl": ["1017 AB Amsterdam", "3511 CE Utrecht", "2514 JH Den Haag"],
    "de": ["10115 Berlin", "80331 München", "50667 Köln", "20095 Hamburg"],
    "fr": ["75001 Paris", "69002 Lyon", "33000 Bordeaux", "59000 Lille"],
    "uk": ["London EC1A 1BB", "Manchester M1 1AE", "Leeds LS1 4AP"],
    "us": ["San Francisco, CA 94105", "New York, NY 10001", "Austin, TX 78701", "Seattle, WA 98101"],
    "in": ["Bengaluru, Karnataka 560001", "Mumbai, Maharashtra 400021", "Gurugram, Haryana 122001"],
    "lu": ["L-1855 Luxembourg", "L-2226 Luxembourg"],
    "ch": ["8001 Zürich", "1204 Genève"],
}
GOODS = ["Consulting services", "Web hosting (monthly)", "Office chairs", "Design work", "Software licence",
         "Maintenance contract", "Printing A4 flyers", "Travel expenses", "Support hours", "Laptop stand",
         "Cloud storage 1 TB", "Translation NL-FR", "Catering lunch", "Delivery costs", "Training day",
         "Compute instances", "Data transfer out", "Domain renewal", "Coffee beans 1 kg", "Cable CAT6 5 m"]


def company(rng, country, legal=True):
    name = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
    if legal:
        name += " " + rng.choice(FORMS[country])
    return name


def address(rng, country):
    return [rng.choice(STREETS[country]).format(n=rng.randrange(1, 250)), rng.choice(CITIES[country])]


# ---------------------------------------------------------------------------------------------
# Locales: how numbers, dates and labels are printed.

D2 = Decimal("0.01")


def q(x):
    return Decimal(x).quantize(D2, rounding=ROUND_HALF_UP)


def group(int_digits, sep, indian=False):
    s = int_digits
    if indian and len(s) > 3:
        head, tail = s[:-3], s[-3:]
        parts = []
        while len(head) > 2:
            parts.insert(0, head[-2:])
            head = head[:-2]
        if head:
            parts.insert(0, head)
        return sep.join(parts + [tail])
    parts = []
    while len(s) > 3:
        parts.insert(0, s[-3:])
        s = s[:-3]
    parts.insert(0, s)
    return sep.join(parts)


def fmt_num(x, style):
    neg = x < 0
    x = abs(q(x))
    i, f = f"{x:.2f}".split(".")
    thou, dec = {"eu": (".", ","), "en": (",", "."), "fr": ("\u202f", ","), "frs": (" ", ","), "ch": ("'", "."),
                 "in": (",", "."), "plain_c": ("", ","), "plain_d": ("", ".")}[style]
    s = group(i, thou, indian=style == "in") + dec + f
    return ("-" if neg else "") + s


MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
}


def fmt_date(d, style):
    if style == "dmy_slash":
        return d.strftime("%d/%m/%Y")
    if style == "dmy_dash":
        return d.strftime("%d-%m-%Y")
    if style == "dmy_dot":
        return d.strftime("%d.%m.%Y")
    if style == "iso":
        return d.isoformat()
    if style == "mdy_slash":
        return d.strftime("%m/%d/%Y")
    if style == "en_long":
        return f"{d.day} {MONTHS['en'][d.month - 1]} {d.year}"
    if style == "us_long":
        return f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}"
    if style == "us_short":
        return f"{MONTHS['en'][d.month - 1][:3]} {d.day}, {d.year}"
    if style in ("nl_long", "fr_long", "de_long"):
        lang = style[:2]
        day = f"{d.day}." if lang == "de" else str(d.day)
        return f"{day} {MONTHS[lang][d.month - 1]} {d.year}"
    raise ValueError(style)


# Label sets per language: each entry a list of variants.
L = {
    "nl": dict(
        title=["FACTUUR", "Factuur"], credit=["CREDITNOTA", "Creditnota"],
        number=["Factuurnummer", "Factuur nr.", "Factuurnr.", "Nummer"], credit_number=["Creditnotanummer", "Creditnota nr."],
        date=["Factuurdatum", "Datum"], due=["Vervaldatum", "Vervaldag", "Te betalen voor"],
        buyer=["Factuur aan", "Klant", "Gefactureerd aan"], customer_no=["Klantnummer", "Klantnr."], order_no=["Bestelnummer", "Uw referentie"],
        delivery_no=["Leveringsbon"],
        subtotal=["Subtotaal", "Totaal excl. btw", "Maatstaf van heffing"], vat=["BTW {r}%", "Btw {r}%", "{r}% btw"],
        vat_total=["Totaal btw", "BTW-bedrag"], total=["Totaal incl. btw", "Totaal", "Totaalbedrag"],
        prepaid=["Reeds betaald", "Voorschot"], due_amount=["Te betalen", "Nog te betalen", "Totaal te betalen"],
        terms=["Betaalbaar binnen {n} dagen", "Te betalen binnen {n} dagen na factuurdatum", "Betalingstermijn: {n} dagen"],
        lines=["Omschrijving", "Aantal", "Prijs", "Btw", "Bedrag"], vat_label=["BTW", "Btw-nr.", "BTW-nummer"],
        iban_label=["IBAN", "Rekeningnummer"], ref=["Mededeling"],
    ),
    "fr": dict(
        title=["FACTURE", "Facture"], credit=["NOTE DE CRÉDIT", "Avoir"],
        number=["N° de facture", "Facture N°", "Numéro de facture", "Facture n°"], credit_number=["N° d'avoir", "Note de crédit n°"],
        date=["Date de facture", "Date", "Date d'émission"], due=["Date d'échéance", "Échéance", "À payer avant le"],
        buyer=["Facturé à", "Client", "Destinataire"], customer_no=["N° client", "Code client"], order_no=["N° de commande", "Votre référence"],
        delivery_no=["Bon de livraison"],
        subtotal=["Total HT", "Montant HT", "Sous-total"], vat=["TVA {r} %", "TVA {r}%"], vat_total=["Total TVA", "Montant TVA"],
        total=["Total TTC", "Montant TTC"], prepaid=["Acompte versé", "Déjà payé"], due_amount=["Net à payer", "Reste à payer", "Montant à payer"],
        terms=["Paiement à {n} jours", "Conditions de paiement : {n} jours", "Paiement à {n} jours fin de mois"],
        lines=["Désignation", "Qté", "Prix unitaire", "TVA", "Montant HT"], vat_label=["N° TVA", "TVA intracommunautaire", "N° TVA intracom."],
        iban_label=["IBAN"], ref=["Référence"],
    ),
    "de": dict(
        title=["RECHNUNG", "Rechnung"], credit=["GUTSCHRIFT", "Gutschrift"],
        number=["Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr.", "Beleg-Nr."], credit_number=["Gutschrift Nr.", "Gutschriftsnummer"],
        date=["Rechnungsdatum", "Datum"], due=["Fälligkeitsdatum", "Fällig am", "Zahlbar bis"],
        buyer=["Rechnung an", "Rechnungsempfänger", "Kunde"], customer_no=["Kundennummer", "Kunden-Nr."], order_no=["Bestellnummer", "Auftragsnummer", "Ihre Bestellung"],
        delivery_no=["Lieferschein-Nr."],
        subtotal=["Nettobetrag", "Zwischensumme", "Summe netto", "Gesamt netto"], vat=["zzgl. {r}% USt.", "MwSt. {r}%", "Umsatzsteuer {r}%", "{r}% MwSt."],
        vat_total=["Summe USt.", "MwSt. gesamt"], total=["Gesamtbetrag", "Rechnungsbetrag", "Gesamt brutto", "Endbetrag"],
        prepaid=["Anzahlung", "Bereits bezahlt", "abzgl. Anzahlung"], due_amount=["Zahlbetrag", "Offener Betrag", "Zu zahlen"],
        terms=["Zahlbar innerhalb von {n} Tagen ohne Abzug", "Zahlungsziel: {n} Tage", "Bitte überweisen Sie den Betrag innerhalb von {n} Tagen"],
        lines=["Bezeichnung", "Menge", "Einzelpreis", "USt.", "Gesamt"], vat_label=["USt-IdNr.", "USt-ID", "Umsatzsteuer-ID"],
        iban_label=["IBAN"], ref=["Verwendungszweck"],
    ),
    "en": dict(
        title=["INVOICE", "Invoice", "TAX INVOICE"], credit=["CREDIT NOTE", "Credit Note"],
        number=["Invoice No.", "Invoice #", "Invoice Number", "Invoice no", "Document No"], credit_number=["Credit Note No.", "Credit note number"],
        date=["Invoice Date", "Date", "Date of issue", "Issue date"], due=["Due Date", "Payment due", "Due"],
        buyer=["Bill to", "Billed to", "Invoice to", "Customer"], customer_no=["Customer No.", "Account No.", "Customer ID"],
        order_no=["Order No.", "PO Number", "Purchase Order"], delivery_no=["Delivery Note No."],
        subtotal=["Subtotal", "Net amount", "Total excl. VAT", "Sub-total"], vat=["VAT {r}%", "VAT @ {r}%", "VAT ({r}%)"],
        vat_total=["Total VAT", "VAT total"], total=["Total", "Total incl. VAT", "Invoice total", "Grand Total"],
        prepaid=["Amount paid", "Deposit paid", "Less: amount paid"], due_amount=["Amount due", "Balance due", "Total due"],
        terms=["Payment terms: {n} days", "Payable within {n} days", "Please pay within {n} days of the invoice date"],
        lines=["Description", "Qty", "Unit price", "VAT", "Amount"], vat_label=["VAT Reg No", "VAT No.", "VAT number"],
        iban_label=["IBAN"], ref=["Payment reference"],
    ),
}

# ---------------------------------------------------------------------------------------------
# The invoice model.


def add_days(d, n, eom=False):
    r = d + dt.timedelta(days=n)
    if eom:
        r = r.replace(day=calendar.monthrange(r.year, r.month)[1])
    return r


def make_invoice(rng, family, idx):
    """Returns (page description, truth, own)."""
    lang = {"benelux": rng.choice(["nl", "nl", "fr"]), "uk": "en", "us": "en", "in": "en", "cloud": "en",
            "credit": rng.choice(["nl", "en", "fr", "de"]), "de": "de", "fr": "fr"}[family]
    lab = L[lang]
    pick = lambda k: rng.choice(lab[k])  # noqa: E731

    # Countries, currency, number and date styles.
    if family == "benelux":
        sc, bc = rng.choice([("be", "be"), ("nl", "be"), ("be", "nl")]) if lang == "nl" else ("be", "be")
        cur, sym = "EUR", rng.choice(["€ ", "", "EUR "])
        num_style, date_style = "eu", rng.choice(["dmy_slash", "dmy_dash", "nl_long" if lang == "nl" else "fr_long"])
        rates = rng.choice([[21], [21], [21, 6], [6], [21, 12]])
    elif family == "uk":
        sc, bc, cur, sym = "uk", "uk", "GBP", "£"
        num_style, date_style = "en", rng.choice(["dmy_slash", "en_long"])
        rates = rng.choice([[20], [20], [20, 5], [20, 0]])
    elif family == "us":
        sc, bc, cur, sym = "us", "us", "USD", "$"
        num_style, date_style = "en", rng.choice(["us_long", "us_short", "mdy_slash"])
        rates = [rng.choice(["8.875", "7.25", "6", "9.5", "8.25"])]
    elif family == "in":
        sc, bc, cur, sym = "in", "in", "INR", rng.choice(["₹", "Rs. ", "INR "])
        num_style, date_style = rng.choice(["in", "en"]), rng.choice(["dmy_slash", "dmy_dash", "en_long"])
        rates = rng.choice([[18], [12], [18, 5]])
    elif family == "cloud":
        sc = "lu"
        bc = rng.choice(["be", "nl", "de"])
        cur = rng.choice(["EUR", "USD"])
        sym = {"EUR": rng.choice(["€", "EUR "]), "USD": rng.choice(["$", "USD "])}[cur]
        num_style, date_style = "en", rng.choice(["iso", "us_short", "en_long"])
        rates = rng.choice([[21, 6, 0], [19, 7], [21, 9], [17, 3, 8]])
    elif family == "credit":
        sc = bc = {"nl": "be", "en": "uk", "fr": "fr", "de": "de"}[lang]
        cur, sym = ("GBP", "£") if lang == "en" else ("EUR", rng.choice(["€ ", "", "EUR "]))
        num_style = {"nl": "eu", "en": "en", "fr": "frs", "de": "eu"}[lang]
        date_style = {"nl": "dmy_dash", "en": "en_long", "fr": "dmy_slash", "de": "dmy_dot"}[lang]
        rates = {"nl": [21], "en": [20], "fr": [20], "de": [19]}[lang]
    elif family == "de":
        sc, bc = "de", rng.choice(["de", "de", "ch"])
        cur, sym = "EUR", rng.choice(["€", "EUR "])
        num_style, date_style = "eu", rng.choice(["dmy_dot", "de_long"])
        rates = rng.choice([[19], [19, 7], [7]])
        if rng.random() < 0.2:
            sc, cur, sym, num_style, rates = "ch", "CHF", "CHF", "ch", [rng.choice(["8.1", "7.7"])]
    else:  # fr
        sc, bc = "fr", rng.choice(["fr", "be"])
        cur, sym = "EUR", "€"
        num_style, date_style = rng.choice(["fr", "frs", "eu"]), rng.choice(["dmy_slash", "fr_long"])
        rates = rng.choice([[20], [20, 10], [20, 5.5]])
    rates = [Decimal(str(r)) for r in rates]

    seller_legal = rng.random() < 0.85
    seller = dict(name=company(rng, sc, legal=seller_legal), addr=address(rng, sc))
    buyer = dict(name=company(rng, bc), addr=address(rng, bc))
    vat_country = {"be": "BE", "nl": "NL", "de": "DE", "fr": "FR", "uk": "GB", "lu": "LU"}
    seller["vat"] = vat(rng, vat_country[sc]) if sc in vat_country else None
    buyer["vat"] = vat(rng, vat_country[bc]) if bc in vat_country and rng.random() < 0.8 else None
    iban_country = {"be": "BE", "nl": "NL", "de": "DE", "fr": "FR", "uk": "GB", "lu": "LU"}
    seller["iban"] = iban(rng, iban_country[sc]) if sc in iban_country else None
    if sc == "in":
        seller["gstin"] = f"{rng.randrange(10, 36)}ABCDE{rng.randrange(1000, 9999)}F1Z{rng.randrange(1, 9)}"
        buyer["gstin"] = f"{rng.randrange(10, 36)}PQRSX{rng.randrange(1000, 9999)}K1Z{rng.randrange(1, 9)}"
    if sc == "us":
        seller["phone"] = f"({rng.randrange(200, 999)}) 555-{rng.randrange(1000, 9999)}"

    # Numbers.
    year = rng.choice([2023, 2024, 2025])
    issue = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
    number = rng.choice([
        f"INV-{year}-{rng.randrange(1, 9999):04d}", f"{year}/{rng.randrange(1, 999):04d}", f"F{year % 100}-{rng.randrange(100, 9999)}",
        str(rng.randrange(100000, 999999)), f"{year}{rng.randrange(1, 9999):05d}", f"SO-{rng.randrange(10000, 99999)}",
        f"FV{year}.{rng.randrange(1, 999):03d}", f"{rng.choice('ABCDEFGH')}{rng.randrange(10**7, 10**8)}",
    ])
    if family == "credit":
        number = rng.choice([f"CN-{year}-{rng.randrange(1, 999):03d}", f"C{year}{rng.randrange(1, 999):04d}"])
    customer_no = str(rng.randrange(10000, 99999))
    order_no = rng.choice([f"PO-{rng.randrange(1000, 99999)}", str(rng.randrange(4500000000, 4599999999)), f"ORD{rng.randrange(100000, 999999)}"])

    # Lines.
    n_lines = rng.randrange(8, 22) if family == "cloud" else rng.randrange(1, 7)
    lines = []
    for i in range(n_lines):
        rate = rates[i % len(rates)] if i < len(rates) else rng.choice(rates)
        qty = Decimal(rng.choice([1, 1, 1, 2, 3, 5, 10, 12, 40]))
        if family == "cloud":
            unit = q(Decimal(rng.randrange(1, 400000)) / 1000)
        else:
            unit = q(Decimal(rng.randrange(500, 250000)) / 100)
        amount = q(qty * unit)
        lines.append(dict(desc=rng.choice(GOODS), qty=qty, unit=unit, rate=rate, amount=amount))
    by_rate = {}
    for ln in lines:
        by_rate.setdefault(ln["rate"], Decimal(0))
        by_rate[ln["rate"]] += ln["amount"]
    breakdown = [(r, base, q(base * r / 100)) for r, base in sorted(by_rate.items(), reverse=True)]
    subtotal = sum((b for _, b, _ in breakdown), Decimal(0))
    vat_total = sum((v for _, _, v in breakdown), Decimal(0))
    if family == "in" and len(rates) == 1:
        half = q(subtotal * rates[0] / 200)
        vat_total = 2 * half
    total = subtotal + vat_total
    prepaid = Decimal(0)
    if family != "credit" and rng.random() < 0.25:
        prepaid = q(total * Decimal(rng.choice(["0.3", "0.5", "0.25"])))
    due_amount = total - prepaid

    # Due date: printed, or only as terms.
    terms_days = rng.choice([8, 10, 14, 15, 30, 30, 45, 60])
    eom = False
    due_mode = rng.choice(["date", "date", "terms", "both"])
    if family == "us" and rng.random() < 0.4:
        due_mode = "net"
    term_text = pick("terms")
    if "fin de mois" in term_text:
        eom = True
    due = add_days(issue, terms_days, eom)

    money = lambda x: amt(x, sym, num_style, family, rng)  # noqa: E731
    dfmt = lambda d: fmt_date(d, date_style)  # noqa: E731

    # ---- page description
    page = dict(lang=lang, family=family, blocks=[])
    kind_title = pick("credit") if family == "credit" else pick("title")
    num_label = pick("credit_number") if family == "credit" else pick("number")
    if family == "in":
        num_label = rng.choice(["Invoice No", "Bill No", "Invoice No."])
        kind_title = "TAX INVOICE"
    if family == "us":
        num_label = rng.choice(["Invoice #", "Invoice No.", "INVOICE #"])
    if family == "cloud":
        num_label = rng.choice(["Document No", "Invoice Number", "Invoice ID"])

    seller_lines = [seller["name"]] + seller["addr"]
    if seller.get("vat"):
        seller_lines.append(f"{pick('vat_label')}: {vat_print(seller['vat'], rng)}")
    if seller.get("gstin"):
        seller_lines.append(f"GSTIN: {seller['gstin']}")
    if seller.get("phone"):
        seller_lines.append(f"Phone: {seller['phone']}")
    buyer_lines = [buyer["name"]] + buyer["addr"]
    if buyer.get("vat"):
        buyer_lines.append(f"{pick('vat_label')}: {vat_print(buyer['vat'], rng)}")
    if buyer.get("gstin"):
        buyer_lines.append(f"GSTIN: {buyer['gstin']}")

    # Seller placement: header block (left or right), or only in the footer with a brand on top.
    seller_place = rng.choice(["left", "left", "right", "footer"]) if family not in ("us", "in") else rng.choice(["left", "right"])
    title_inline = family == "de" and rng.random() < 0.5
    meta_style = rng.choice(["rows", "rows", "columns"])
    if family == "cloud":
        meta_style = rng.choice(["rows", "columns"])
    page["seller_place"] = seller_place
    page["seller_lines"] = seller_lines
    page["brand"] = seller["name"].split()[0].upper() if seller_place == "footer" else None
    page["sender_line"] = (" · ".join([seller["name"]] + seller["addr"])) if family == "de" and rng.random() < 0.6 else None
    page["buyer_label"] = None if page["sender_line"] and rng.random() < 0.5 else pick("buyer")
    if family == "us":
        page["buyer_label"] = rng.choice(["Bill To", "BILL TO", "Billed To"])
        page["ship_to"] = [buyer["name"], rng.choice(STREETS["us"]).format(n=rng.randrange(1, 900)), rng.choice(CITIES["us"])]
    page["buyer_lines"] = buyer_lines
    if title_inline:
        word = rng.choice(["Handelsrechnung", "Rechnung"])
        page["title"] = f"{word} Nr. {number} vom {fmt_date(issue, 'dmy_dot')}"
    else:
        page["title"] = kind_title
    meta = []
    if not title_inline:
        meta.append((num_label, number))
        meta.append((pick("date"), dfmt(issue)))
    if due_mode in ("date", "both"):
        meta.append((pick("due"), dfmt(due)))
    if rng.random() < 0.7:
        meta.insert(rng.randrange(0, len(meta) + 1), (pick("customer_no"), customer_no))
    if rng.random() < 0.6:
        meta.append((pick("order_no"), order_no))
    if family == "de" and rng.random() < 0.4:
        meta.append((pick("delivery_no"), str(rng.randrange(10000, 99999))))
    if family == "cloud":
        start = issue.replace(day=1)
        meta.append(("Billing period", f"{dfmt(start)} - {dfmt(add_days(start, 27))}"))
    if due_mode == "net":
        meta.append(("Terms", f"Net {terms_days}"))
    page["meta"] = meta
    page["meta_style"] = meta_style

    hdr = lab["lines"]
    if family == "in":
        hdr = ["Description", "HSN/SAC", "Qty", "Rate", "Taxable Value"]
    page["lines_header"] = hdr
    rows = []
    for ln in lines:
        if family == "in":
            rows.append([ln["desc"], str(rng.randrange(9900, 9999)), f"{ln['qty']}", fmt_num(ln["unit"], num_style), fmt_num(ln["amount"], num_style)])
        else:
            rate = f"{ln['rate'].normalize():f}%"
            rows.append([ln["desc"], f"{ln['qty']}", fmt_num(ln["unit"], num_style), rate, fmt_num(ln["amount"], num_style)])
    page["lines"] = rows

    totals = [(pick("subtotal"), money(subtotal))]
    if family == "in":
        for r, base, v in breakdown:
            half = q(base * r / 200)
            if sc == "in" and rng.random() < 0.3:
                totals.append((f"IGST {r.normalize():f}%", money(2 * half)))
            else:
                totals.append((f"CGST {(r / 2).normalize():f}%", money(half)))
                totals.append((f"SGST {(r / 2).normalize():f}%", money(half)))
    elif family == "us":
        totals.append((rng.choice([f"Sales Tax ({rates[0].normalize():f}%)", f"Tax {rates[0].normalize():f}%", "Sales Tax"]), money(vat_total)))
    else:
        for r, base, v in breakdown:
            label = pick("vat").format(r=f"{r.normalize():f}".replace(".", "," if lang in ("nl", "fr", "de") else "."))
            if len(breakdown) > 1 and rng.random() < 0.5:
                label += f" ({lab_of(lang, 'on')} {money(base)})"
            totals.append((label, money(v)))
        if len(breakdown) > 1 and rng.random() < 0.5:
            totals.append((pick("vat_total"), money(vat_total)))
    totals.append((pick("total") if family != "us" else rng.choice(["Total", "TOTAL"]), money(total)))
    if prepaid:
        totals.append((pick("prepaid"), money(-prepaid if rng.random() < 0.5 else prepaid)))
        totals.append((pick("due_amount"), money(due_amount)))
    elif rng.random() < 0.3:
        totals.append((pick("due_amount"), money(due_amount)))
    page["totals"] = totals
    page["breakdown_table"] = None
    if family == "cloud" and len(breakdown) > 1:
        page["breakdown_table"] = [["VAT rate", "Net amount", "VAT"]] + [[f"{r.normalize():f}%", money(b), money(v)] for r, b, v in breakdown]

    notes = []
    if due_mode in ("terms", "both"):
        notes.append(term_text.format(n=terms_days))
    if seller.get("iban") and seller_place != "footer":
        bic = rng.choice(["GEBABEBB", "KREDBEBB", "BBRUBEBB", "INGBNL2A", "COBADEFFXXX", "BNPAFRPP", "NWBKGB2L"])
        notes.append(f"{pick('iban_label')}: {iban_print(seller['iban'])}  BIC: {bic}")
    if family == "in":
        notes.append(f"Amount in words: Rupees {int(due_amount)} only")
    if family == "credit":
        notes.append({"nl": "Betreft factuur", "en": "Relates to invoice", "fr": "Concerne la facture", "de": "Bezug: Rechnung"}[lang] + f" {number.replace('C', 'F', 1)}")
    page["notes"] = notes
    footer = []
    if seller_place == "footer" or rng.random() < 0.4:
        parts = [seller["name"]] + seller["addr"]
        if seller.get("vat"):
            parts.append(f"{pick('vat_label')} {vat_print(seller['vat'], rng)}")
        if seller.get("iban"):
            parts.append(f"IBAN {iban_print(seller['iban'])}")
        footer.append(rng.choice([" · ", " | ", " - ", " • "]).join(parts))
    page["footer"] = footer
    # The invoice as data, for the producers that write it as a structured e-invoice first.
    page["data"] = dict(
        number=number, issue=issue, due=due if due_mode != "none" else None, terms_days=terms_days, currency=cur,
        credit=family == "credit", lang=lang, seller=seller, buyer=buyer, lines=lines, breakdown=breakdown,
        subtotal=subtotal, vat_total=vat_total, total=total, prepaid=prepaid, due_amount=due_amount,
        order_no=order_no, customer_no=customer_no,
    )

    truth = dict(
        invoice_number=number,
        issue_date=issue.isoformat(),
        due_date=due.isoformat() if due_mode != "none" else None,
        currency=cur,
        subtotal=str(subtotal),
        vat_amount=str(vat_total),
        total=str(total),
        amount_due=str(due_amount),
        seller_name=seller["name"],
        seller_vat=seller.get("vat"),
        buyer_name=buyer["name"],
        iban=seller.get("iban"),
        kind="credit_note" if family == "credit" else "invoice",
        lines=len(lines),
    )
    own_mode = rng.random()
    if own_mode < 0.8:
        own = dict(names=[buyer["name"]], vat_numbers=[buyer["vat"]] if buyer.get("vat") else [], ibans=[])
    else:
        own = dict(names=[], vat_numbers=[], ibans=[])
    return page, truth, own


def lab_of(lang, what):
    return {"nl": "op", "fr": "sur", "de": "auf", "en": "on"}[lang]


def amt(x, sym, style, family, rng):
    s = fmt_num(x, style)
    if not sym:
        return s
    if sym.strip() in ("€", "EUR", "CHF") and style in ("eu", "fr", "frs") and rng.random() < 0.6:
        return f"{s} {sym.strip()}"
    return f"{sym}{s}"


# ---------------------------------------------------------------------------------------------
# Producers.

CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: %(font)s; font-size: %(size)spt; color: #222; }
.hdr { display: flex; justify-content: space-between; align-items: flex-start; }
.brand { font-size: 20pt; font-weight: bold; letter-spacing: 2px; color: #345; }
.seller .name { font-weight: bold; font-size: 12pt; }
h1 { font-size: 18pt; margin: 14px 0 8px 0; }
.sender { font-size: 7pt; text-decoration: underline; margin-top: 28px; }
.buyer { margin-top: 6px; }
.buyer .lbl { font-weight: bold; text-transform: %(tt)s; font-size: 9pt; color: #555; }
table { border-collapse: collapse; }
.meta td { padding: 2px 10px 2px 0; }
.metacols th { text-align: left; font-size: 8pt; color: #555; padding: 2px 14px 2px 0; }
.metacols td { padding: 2px 14px 2px 0; }
.lines { width: 100%%; margin-top: 18px; }
.lines th { text-align: left; border-bottom: 1px solid #999; padding: 4px; background: %(thbg)s; }
.lines td { padding: 3px 4px; border-bottom: 1px solid #eee; }
.lines td.n, .lines th.n { text-align: right; }
.totals { margin-left: auto; margin-top: 12px; }
.totals td { padding: 2px 6px; }
.totals td.n { text-align: right; min-width: 90px; }
.totals tr:last-child td { font-weight: bold; border-top: 1px solid #333; }
.notes { margin-top: 18px; font-size: 9pt; }
.footer { position: fixed; bottom: 0; left: 0; right: 0; text-align: center; font-size: 7.5pt; color: #666; border-top: 1px solid #ccc; padding-top: 4px; }
.two { display: flex; justify-content: space-between; margin-top: 10px; }
"""


def esc(s):
    return html.escape(str(s))


def to_html(page, rng):
    font = rng.choice(["'DejaVu Sans', sans-serif", "'Liberation Sans', Arial, sans-serif", "'Liberation Serif', serif", "sans-serif"])
    css = CSS % dict(font=font, size=rng.choice(["9", "9.5", "10", "10.5"]), tt=rng.choice(["uppercase", "none"]),
                     thbg=rng.choice(["#f0f0f0", "#fff", "#e8eef6"]))
    seller = "<div class='seller'>" + "".join(
        f"<div class='{'name' if i == 0 else ''}'>{esc(x)}</div>" for i, x in enumerate(page["seller_lines"])) + "</div>"
    left = page["brand"] and f"<div class='brand'>{esc(page['brand'])}</div>" or ""
    title = f"<h1>{esc(page['title'])}</h1>"
    if page["seller_place"] == "left":
        head = f"<div class='hdr'>{seller}<div>{title}</div></div>"
    elif page["seller_place"] == "right":
        head = f"<div class='hdr'><div>{title}</div>{seller}</div>"
    else:
        head = f"<div class='hdr'>{left}<div>{title}</div></div>"
    buyer = ""
    if page.get("sender_line"):
        buyer += f"<div class='sender'>{esc(page['sender_line'])}</div>"
    buyer += "<div class='buyer'>"
    if page["buyer_label"]:
        buyer += f"<div class='lbl'>{esc(page['buyer_label'])}</div>"
    buyer += "".join(f"<div>{esc(x)}</div>" for x in page["buyer_lines"]) + "</div>"
    if page.get("ship_to"):
        buyer = "<div class='two'><div>" + buyer + "</div><div class='buyer'><div class='lbl'>Ship To</div>" + "".join(
            f"<div>{esc(x)}</div>" for x in page["ship_to"]) + "</div></div>"
    if page["meta_style"] == "columns":
        meta = "<table class='metacols'><tr>" + "".join(f"<th>{esc(k)}</th>" for k, _ in page["meta"]) + "</tr><tr>" + "".join(
            f"<td>{esc(v)}</td>" for _, v in page["meta"]) + "</tr></table>"
        body_top = f"{buyer}<div style='margin-top:14px'>{meta}</div>"
    else:
        meta = "<table class='meta'>" + "".join(f"<tr><td>{esc(k)}:</td><td>{esc(v)}</td></tr>" for k, v in page["meta"]) + "</table>"
        body_top = f"<div class='two'><div>{buyer}</div><div>{meta}</div></div>"
    hdr = page["lines_header"]
    lines = "<table class='lines'><tr>" + "".join(
        f"<th class='{'n' if i > 0 else ''}'>{esc(h)}</th>" for i, h in enumerate(hdr)) + "</tr>" + "".join(
        "<tr>" + "".join(f"<td class='{'n' if i > 0 else ''}'>{esc(c)}</td>" for i, c in enumerate(r)) + "</tr>" for r in page["lines"]) + "</table>"
    totals = "<table class='totals'>" + "".join(f"<tr><td>{esc(k)}</td><td class='n'>{esc(v)}</td></tr>" for k, v in page["totals"]) + "</table>"
    bd = ""
    if page.get("breakdown_table"):
        t = page["breakdown_table"]
        bd = "<table class='metacols' style='margin-top:10px'><tr>" + "".join(f"<th>{esc(h)}</th>" for h in t[0]) + "</tr>" + "".join(
            "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in t[1:]) + "</table>"
    notes = "<div class='notes'>" + "".join(f"<div>{esc(n)}</div>" for n in page["notes"]) + "</div>"
    footer = "".join(f"<div class='footer'>{esc(f)}</div>" for f in page["footer"])
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body>{head}{body_top}{lines}{totals}{bd}{notes}{footer}</body></html>"


def chromium_bin():
    for b in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(b):
            return b
    sys.exit("chromium is not installed (apt-get install chromium)")


def render_chromium(html_text, out_pdf, tmp):
    src = os.path.join(tmp, "page.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(html_text)
    subprocess.run([chromium_bin(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out_pdf}", "file://" + src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


def render_reportlab(page, out_pdf, rng):
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.pdfgen import canvas

    size = LETTER if page["family"] == "us" else A4
    w, h = size
    c = canvas.Canvas(out_pdf, pagesize=size, pageCompression=1)
    font, bold = rng.choice([("Helvetica", "Helvetica-Bold"), ("Times-Roman", "Times-Bold"), ("Courier", "Courier-Bold")])
    fs = rng.choice([8.5, 9, 10])
    lh = fs * 1.35
    m = 40
    y = h - m - 10

    def txt(x, yy, s, f=font, sz=fs, right=False):
        # Standard fonts speak WinAnsi: keep text to Latin-1 plus the euro sign.
        s = s.replace("\u202f", " ").replace("₹", "Rs.")
        c.setFont(f, sz)
        if right:
            c.drawRightString(x, yy, s)
        else:
            c.drawString(x, yy, s)

    # Header.
    if page["seller_place"] in ("left", "right"):
        x = m if page["seller_place"] == "left" else w - m - 200
        for i, s in enumerate(page["seller_lines"]):
            txt(x, y - i * lh, s, bold if i == 0 else font, fs + 2 if i == 0 else fs)
        y -= max(len(page["seller_lines"]) * lh, 30) + 16
        if len(page["title"]) > 20:
            # A long title ("Rechnung Nr. 471102 vom 05.03.2018") gets its own line.
            txt(m, y, page["title"], bold, 13)
            y -= 26
        else:
            tx = w - m if page["seller_place"] == "left" else m
            txt(tx, y + max(len(page["seller_lines"]) * lh, 30) + 16, page["title"], bold, 16, right=page["seller_place"] == "left")
    else:
        txt(m, y, page["brand"] or "", bold, 20)
        txt(w - m, y, page["title"], bold, 16, right=True)
        y -= 40
    if page["seller_place"] != "left" and page["seller_place"] != "right" and False:
        pass
    # Buyer (left) and meta (right or in columns).
    by = y
    if page.get("sender_line"):
        txt(m, by, page["sender_line"], font, 6.5)
        by -= lh
    if page["buyer_label"]:
        txt(m, by, page["buyer_label"], bold, fs)
        by -= lh
    for s in page["buyer_lines"]:
        txt(m, by, s)
        by -= lh
    if page.get("ship_to"):
        sy = y
        txt(m + 200, sy, "Ship To", bold)
        for s in page["ship_to"]:
            sy -= lh
            txt(m + 200, sy, s)
    if page["meta_style"] == "columns":
        my = by - lh
        n = len(page["meta"])
        colw = (w - 2 * m) / max(n, 1)
        for i, (k, v) in enumerate(page["meta"]):
            txt(m + i * colw, my, k, bold, fs - 1)
            txt(m + i * colw, my - lh, v)
        y = my - 2 * lh - 10
    else:
        my = y
        lx = w - m - 230
        for k, v in page["meta"]:
            txt(lx, my, k + ":")
            txt(lx + 110, my, v)
            my -= lh
        y = min(by, my) - 14
    # Lines.
    cols = [m, m + 230, m + 290, m + 370, w - m]
    for i, hd in enumerate(page["lines_header"]):
        txt(cols[i] if i == 0 else (cols[i] + 50 if i < 4 else cols[i]), y, hd, bold, right=i > 0)
    c.line(m, y - 3, w - m, y - 3)
    y -= lh + 2
    for r in page["lines"]:
        if y < 120:
            c.showPage()
            y = h - m
        for i, cell in enumerate(r):
            txt(cols[i] if i == 0 else (cols[i] + 50 if i < 4 else cols[i]), y, cell, right=i > 0)
        y -= lh
    y -= 8
    # Totals.
    for k, v in page["totals"]:
        if y < 80:
            c.showPage()
            y = h - m
        txt(w - m - 120, y, k, right=True)
        txt(w - m, y, v, right=True)
        y -= lh
    if page.get("breakdown_table"):
        y -= 6
        for r in page["breakdown_table"]:
            for i, cell in enumerate(r):
                txt(m + i * 90, y, cell)
            y -= lh
    y -= 10
    for n in page["notes"]:
        txt(m, y, n)
        y -= lh
    for f in page["footer"]:
        txt(w / 2, 30, f, font, 6.5) if False else c.setFont(font, 6.5)
        c.drawCentredString(w / 2, 30, f.replace("\u202f", " ").replace("₹", "Rs."))
    c.showPage()
    c.save()


def render_scan(src_pdf, out_pdf, rng, tmp):
    from PIL import Image, ImageFilter

    base = os.path.join(tmp, "scan")
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-f", "1", "-l", "1", "-png", src_pdf, base], check=True, timeout=60)
    png = [p for p in os.listdir(tmp) if p.startswith("scan") and p.endswith(".png")][0]
    img = Image.open(os.path.join(tmp, png)).convert("L")
    os.remove(os.path.join(tmp, png))
    img = img.rotate(rng.uniform(-1.5, 1.5), resample=Image.BICUBIC, expand=False, fillcolor=255)
    # Noise: speckles and a slight blur, as a flatbed scanner leaves them.
    px = img.load()
    wdt, hgt = img.size
    for _ in range(wdt * hgt // 400):
        x, yy = rng.randrange(wdt), rng.randrange(hgt)
        px[x, yy] = rng.choice([0, 90, 180])
    img = img.filter(ImageFilter.GaussianBlur(0.5))
    img.save(out_pdf, "PDF", resolution=150.0, quality=45)


def render_libreoffice(html_text, out_pdf, tmp):
    """HTML opened in LibreOffice Writer and exported to PDF (LibreOffice lays it out itself:
    no flexbox, no fixed footer, its own fonts)."""
    src = os.path.join(tmp, "lo.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(html_text)
    outdir = os.path.join(tmp, "lo-out")
    os.makedirs(outdir, exist_ok=True)
    soffice = shutil.which("soffice") or sys.exit("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless", "--infilter=HTML (StarWriter)",
                    "--convert-to", "pdf:writer_pdf_Export", "--outdir", outdir, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    shutil.move(os.path.join(outdir, "lo.pdf"), out_pdf)


TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
               "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "€": r"\texteuro{}", "£": r"\pounds{}", "₹": "Rs.",
               "\u202f": "~", "\u00a0": "~", "·": r"\textperiodcentered{}", "•": r"\textbullet{}", "’": "'"}


def tex(s):
    return "".join(TEX_SPECIAL.get(c, c) for c in str(s))


def to_tex(page, rng):
    """The page as a LaTeX document (article class, tabular layouts), as invoice templates for
    TeX write them."""
    paper = "letterpaper" if page["family"] == "us" else "a4paper"
    font = rng.choice([r"\usepackage{lmodern}", r"\usepackage{lmodern}\renewcommand{\familydefault}{\sfdefault}"])
    seller = r"\begin{tabular}[t]{@{}%s@{}}" % ("l" if page["seller_place"] == "left" else "r") + r"\\".join(
        (r"\textbf{%s}" % tex(x)) if i == 0 else tex(x) for i, x in enumerate(page["seller_lines"])) + r"\end{tabular}"
    title = r"{\LARGE\bfseries %s}" % tex(page["title"])
    if page["seller_place"] == "left":
        head = seller + r"\hfill" + title
    elif page["seller_place"] == "right":
        head = title + r"\hfill" + seller
    else:
        head = r"{\Large\bfseries %s}\hfill%s" % (tex(page["brand"] or ""), title)
    buyer = ""
    if page.get("sender_line"):
        buyer += r"{\scriptsize\underline{%s}}\\[2pt]" % tex(page["sender_line"])
    if page["buyer_label"]:
        buyer += r"\textbf{%s}\\" % tex(page["buyer_label"])
    buyer += r"\\".join(tex(x) for x in page["buyer_lines"])
    if page.get("ship_to"):
        buyer = r"\begin{minipage}[t]{0.45\textwidth}%s\end{minipage}\hfill\begin{minipage}[t]{0.45\textwidth}\textbf{Ship To}\\%s\end{minipage}" % (
            buyer, r"\\".join(tex(x) for x in page["ship_to"]))
    if page["meta_style"] == "columns":
        meta = r"\begin{tabular}{@{}%s@{}}" % ("l" * len(page["meta"])) + " & ".join(r"\textbf{%s}" % tex(k) for k, _ in page["meta"]) + r"\\" + " & ".join(
            tex(v) for _, v in page["meta"]) + r"\end{tabular}"
        top = buyer + r"\par\bigskip" + meta
    else:
        meta = r"\begin{tabular}[t]{@{}ll@{}}" + r"\\".join(f"{tex(k)}: & {tex(v)}" for k, v in page["meta"]) + r"\end{tabular}"
        top = r"\begin{minipage}[t]{0.55\textwidth}%s\end{minipage}\hfill%s" % (buyer, meta)
    hdr = page["lines_header"]
    cols = "X" + "r" * (len(hdr) - 1)
    lines = r"\noindent\begin{tabularx}{\textwidth}{@{}%s@{}}\hline " % cols + " & ".join(r"\textbf{%s}" % tex(h) for h in hdr) + r"\\\hline " + "".join(
        " & ".join(tex(c) for c in r) + r"\\" for r in page["lines"]) + r"\hline\end{tabularx}"
    totals = r"\hfill\begin{tabular}{@{}lr@{}}" + r"\\".join(f"{tex(k)} & {tex(v)}" for k, v in page["totals"]) + r"\end{tabular}"
    bd = ""
    if page.get("breakdown_table"):
        t = page["breakdown_table"]
        bd = r"\par\medskip\noindent\begin{tabular}{@{}lrr@{}}" + r"\\".join(" & ".join(tex(c) for c in r) for r in t) + r"\end{tabular}"
    notes = r"\par\medskip\noindent{\small " + r"\\".join(tex(n) for n in page["notes"]) + "}" if page["notes"] else ""
    footer = (r"\vfill\begin{center}\scriptsize " + r"\\".join(tex(f) for f in page["footer"]) + r"\end{center}") if page["footer"] else ""
    return (r"\documentclass[%s]{article}\usepackage[T1]{fontenc}\usepackage[utf8]{inputenc}\usepackage{textcomp}%s"
            r"\usepackage[%s,margin=18mm]{geometry}\usepackage{tabularx}\pagestyle{empty}\setlength{\parindent}{0pt}"
            r"\begin{document}\noindent %s\par\bigskip\bigskip %s\par\bigskip %s\par\medskip %s%s%s%s\end{document}") % (
        rng.choice(["10pt", "11pt"]), font, paper, head, top, lines, totals, bd, notes, footer)


def render_tex(page, out_pdf, rng, tmp):
    src = os.path.join(tmp, "page.tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write(to_tex(page, rng))
    pdflatex = shutil.which("pdflatex") or sys.exit("TeX is not installed (apt-get install texlive-latex-base)")
    subprocess.run([pdflatex, "-interaction=batchmode", "-halt-on-error", f"-output-directory={tmp}", src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, cwd=tmp)
    shutil.move(os.path.join(tmp, "page.pdf"), out_pdf)


# ---------------------------------------------------------------------------------------------
# Structured e-invoices (CII, UBL) printed as viewers print them.

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def to_cii(d):
    """A Factur-X / ZUGFeRD EN 16931 CII document of the invoice."""
    e = esc
    cur = d["currency"]
    ymd = lambda x: x.strftime("%Y%m%d")  # noqa: E731

    def party(tag, p):
        out = f"<ram:{tag}><ram:Name>{e(p['name'])}</ram:Name><ram:PostalTradeAddress>"
        out += f"<ram:LineOne>{e(p['addr'][0])}</ram:LineOne><ram:CityName>{e(p['addr'][-1])}</ram:CityName></ram:PostalTradeAddress>"
        if p.get("vat"):
            out += f"<ram:SpecifiedTaxRegistration><ram:ID schemeID='VA'>{p['vat']}</ram:ID></ram:SpecifiedTaxRegistration>"
        return out + f"</ram:{tag}>"

    lines = "".join(
        f"<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>{i + 1}</ram:LineID></ram:AssociatedDocumentLineDocument>"
        f"<ram:SpecifiedTradeProduct><ram:Name>{e(ln['desc'])}</ram:Name></ram:SpecifiedTradeProduct>"
        f"<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>{ln['unit']}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>"
        f"<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode='C62'>{ln['qty']}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>"
        f"<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>"
        f"<ram:RateApplicablePercent>{ln['rate']}</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
        f"<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{ln['amount']}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>"
        "</ram:IncludedSupplyChainTradeLineItem>" for i, ln in enumerate(d["lines"]))
    taxes = "".join(
        f"<ram:ApplicableTradeTax><ram:CalculatedAmount>{v}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>"
        f"<ram:BasisAmount>{b}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{r}</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
        for r, b, v in d["breakdown"])
    iban_xml = (f"<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount>"
                f"<ram:IBANID>{d['seller']['iban']}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>") if d["seller"].get("iban") else ""
    due = (f"<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format='102'>{ymd(d['due'])}</udt:DateTimeString>"
           "</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>") if d["due"] else ""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<rsm:CrossIndustryInvoice xmlns:rsm='{NS['rsm']}' xmlns:ram='{NS['ram']}' xmlns:udt='{NS['udt']}'>"
        "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID>"
        "</ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>"
        f"<rsm:ExchangedDocument><ram:ID>{e(d['number'])}</ram:ID><ram:TypeCode>{'381' if d['credit'] else '380'}</ram:TypeCode>"
        f"<ram:IssueDateTime><udt:DateTimeString format='102'>{ymd(d['issue'])}</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>"
        f"<rsm:SupplyChainTradeTransaction>{lines}<ram:ApplicableHeaderTradeAgreement>"
        f"<ram:BuyerReference>{e(d['customer_no'])}</ram:BuyerReference>{party('SellerTradeParty', d['seller'])}{party('BuyerTradeParty', d['buyer'])}"
        f"<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{e(d['order_no'])}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>"
        "</ram:ApplicableHeaderTradeAgreement><ram:ApplicableHeaderTradeDelivery/>"
        f"<ram:ApplicableHeaderTradeSettlement><ram:PaymentReference>{e(d['number'])}</ram:PaymentReference><ram:InvoiceCurrencyCode>{cur}</ram:InvoiceCurrencyCode>"
        f"{iban_xml}{taxes}{due}<ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        f"<ram:LineTotalAmount>{d['subtotal']}</ram:LineTotalAmount><ram:TaxBasisTotalAmount>{d['subtotal']}</ram:TaxBasisTotalAmount>"
        f"<ram:TaxTotalAmount currencyID='{cur}'>{d['vat_total']}</ram:TaxTotalAmount><ram:GrandTotalAmount>{d['total']}</ram:GrandTotalAmount>"
        f"<ram:TotalPrepaidAmount>{d['prepaid']}</ram:TotalPrepaidAmount><ram:DuePayableAmount>{d['due_amount']}</ram:DuePayableAmount>"
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement>"
        "</rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>"
    )


def to_ubl(d):
    """A Peppol BIS 3 UBL Invoice (or CreditNote) of the invoice."""
    e = esc
    cur = d["currency"]
    root, line_tag, qty_tag = ("CreditNote", "CreditNoteLine", "CreditedQuantity") if d["credit"] else ("Invoice", "InvoiceLine", "InvoicedQuantity")
    ns = NS["cn"] if d["credit"] else NS["inv"]

    def party(tag, p):
        out = f"<cac:{tag}><cac:Party><cac:PostalAddress><cbc:StreetName>{e(p['addr'][0])}</cbc:StreetName><cbc:CityName>{e(p['addr'][-1])}</cbc:CityName></cac:PostalAddress>"
        if p.get("vat"):
            out += f"<cac:PartyTaxScheme><cbc:CompanyID>{p['vat']}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
        return out + f"<cac:PartyLegalEntity><cbc:RegistrationName>{e(p['name'])}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:{tag}>"

    lines = "".join(
        f"<cac:{line_tag}><cbc:ID>{i + 1}</cbc:ID><cbc:{qty_tag} unitCode='C62'>{ln['qty']}</cbc:{qty_tag}>"
        f"<cbc:LineExtensionAmount currencyID='{cur}'>{ln['amount']}</cbc:LineExtensionAmount><cac:Item><cbc:Name>{e(ln['desc'])}</cbc:Name>"
        f"<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{ln['rate']}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>"
        f"<cac:Price><cbc:PriceAmount currencyID='{cur}'>{ln['unit']}</cbc:PriceAmount></cac:Price></cac:{line_tag}>" for i, ln in enumerate(d["lines"]))
    subs = "".join(
        f"<cac:TaxSubtotal><cbc:TaxableAmount currencyID='{cur}'>{b}</cbc:TaxableAmount><cbc:TaxAmount currencyID='{cur}'>{v}</cbc:TaxAmount>"
        f"<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{r}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>"
        for r, b, v in d["breakdown"])
    due = f"<cbc:DueDate>{d['due'].isoformat()}</cbc:DueDate>" if d["due"] and not d["credit"] else ""
    means = (f"<cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode><cbc:PaymentID>{e(d['number'])}</cbc:PaymentID>"
             f"<cac:PayeeFinancialAccount><cbc:ID>{d['seller']['iban']}</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>") if d["seller"].get("iban") else ""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<{root} xmlns='{ns}' xmlns:cac='{NS['cac']}' xmlns:cbc='{NS['cbc']}'>"
        "<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>"
        f"<cbc:ID>{e(d['number'])}</cbc:ID><cbc:IssueDate>{d['issue'].isoformat()}</cbc:IssueDate>{due}"
        f"<cbc:{'CreditNoteTypeCode' if d['credit'] else 'InvoiceTypeCode'}>{'381' if d['credit'] else '380'}</cbc:{'CreditNoteTypeCode' if d['credit'] else 'InvoiceTypeCode'}>"
        f"<cbc:DocumentCurrencyCode>{cur}</cbc:DocumentCurrencyCode><cbc:BuyerReference>{e(d['customer_no'])}</cbc:BuyerReference>"
        f"<cac:OrderReference><cbc:ID>{e(d['order_no'])}</cbc:ID></cac:OrderReference>"
        f"{party('AccountingSupplierParty', d['seller'])}{party('AccountingCustomerParty', d['buyer'])}{means}"
        f"<cac:TaxTotal><cbc:TaxAmount currencyID='{cur}'>{d['vat_total']}</cbc:TaxAmount>{subs}</cac:TaxTotal>"
        f"<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID='{cur}'>{d['subtotal']}</cbc:LineExtensionAmount>"
        f"<cbc:TaxExclusiveAmount currencyID='{cur}'>{d['subtotal']}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID='{cur}'>{d['total']}</cbc:TaxInclusiveAmount>"
        f"<cbc:PrepaidAmount currencyID='{cur}'>{d['prepaid']}</cbc:PrepaidAmount><cbc:PayableAmount currencyID='{cur}'>{d['due_amount']}</cbc:PayableAmount></cac:LegalMonetaryTotal>"
        f"{lines}</{root}>"
    )


def read_einvoice(xml_text):
    """What a viewer shows of a CII or UBL document: header fields, parties, lines, VAT breakdown
    and totals (EN 16931 business terms), as strings from the XML."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xml_text.encode("utf-8") if isinstance(xml_text, str) else xml_text)
    # An envelope (a Standard Business Document Header) carries the invoice inside.
    root = next((el for el in root.iter() if el.tag.endswith(("}CrossIndustryInvoice", "}Invoice", "}CreditNote"))), root)
    t = lambda el, path: (el.findtext(path, namespaces=NS) or "").strip() if el is not None else ""  # noqa: E731
    if root.tag.endswith("CrossIndustryInvoice"):
        doc = root.find("rsm:ExchangedDocument", NS)
        tx = root.find("rsm:SupplyChainTradeTransaction", NS)
        agr = tx.find("ram:ApplicableHeaderTradeAgreement", NS)
        stl = tx.find("ram:ApplicableHeaderTradeSettlement", NS)
        summ = stl.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
        d102 = lambda s: s and f"{s[:4]}-{s[4:6]}-{s[6:8]}"  # noqa: E731

        def party(p):
            return dict(name=t(p, "ram:Name"), street=t(p, "ram:PostalTradeAddress/ram:LineOne"),
                        city=" ".join(x for x in [t(p, "ram:PostalTradeAddress/ram:PostcodeCode"), t(p, "ram:PostalTradeAddress/ram:CityName")] if x),
                        country=t(p, "ram:PostalTradeAddress/ram:CountryID"),
                        vat=next((i.text.strip() for i in p.findall("ram:SpecifiedTaxRegistration/ram:ID", NS) if i.get("schemeID") == "VA"), "") if p is not None else "")
        f = dict(
            syntax="CII", number=t(doc, "ram:ID"), type=t(doc, "ram:TypeCode"),
            issue=d102(t(doc, "ram:IssueDateTime/udt:DateTimeString")),
            due=d102(t(stl, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString")),
            terms=t(stl, "ram:SpecifiedTradePaymentTerms/ram:Description"),
            currency=t(stl, "ram:InvoiceCurrencyCode"), buyer_ref=t(agr, "ram:BuyerReference"),
            order=t(agr, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
            seller=party(agr.find("ram:SellerTradeParty", NS)), buyer=party(agr.find("ram:BuyerTradeParty", NS)),
            iban=t(stl, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:IBANID"),
            line_total=t(summ, "ram:LineTotalAmount"), net=t(summ, "ram:TaxBasisTotalAmount"), vat=t(summ, "ram:TaxTotalAmount"),
            total=t(summ, "ram:GrandTotalAmount"), prepaid=t(summ, "ram:TotalPrepaidAmount"), due_amount=t(summ, "ram:DuePayableAmount"),
            breakdown=[(t(x, "ram:RateApplicablePercent"), t(x, "ram:BasisAmount"), t(x, "ram:CalculatedAmount")) for x in stl.findall("ram:ApplicableTradeTax", NS)],
            lines=[(t(x, "ram:AssociatedDocumentLineDocument/ram:LineID"), t(x, "ram:SpecifiedTradeProduct/ram:Name"),
                    t(x, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"), t(x, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"),
                    t(x, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent"),
                    t(x, "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"))
                   for x in tx.findall("ram:IncludedSupplyChainTradeLineItem", NS)],
        )
    else:
        credit = root.tag.endswith("CreditNote")
        tot = root.find("cac:LegalMonetaryTotal", NS)

        def party(p):
            p = p.find("cac:Party", NS) if p is not None else None
            return dict(name=t(p, "cac:PartyLegalEntity/cbc:RegistrationName") or t(p, "cac:PartyName/cbc:Name"),
                        street=t(p, "cac:PostalAddress/cbc:StreetName"),
                        city=" ".join(x for x in [t(p, "cac:PostalAddress/cbc:PostalZone"), t(p, "cac:PostalAddress/cbc:CityName")] if x),
                        country=t(p, "cac:PostalAddress/cac:Country/cbc:IdentificationCode"),
                        vat=t(p, "cac:PartyTaxScheme/cbc:CompanyID"))
        line_tag, qty_tag = ("cac:CreditNoteLine", "cbc:CreditedQuantity") if credit else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
        tax = root.find("cac:TaxTotal", NS)
        f = dict(
            syntax="UBL", number=t(root, "cbc:ID"), type=t(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode") or ("381" if credit else "380"),
            issue=t(root, "cbc:IssueDate"), due=t(root, "cbc:DueDate") or t(root, "cac:PaymentMeans/cbc:PaymentDueDate"),
            terms=t(root, "cac:PaymentTerms/cbc:Note"), currency=t(root, "cbc:DocumentCurrencyCode"), buyer_ref=t(root, "cbc:BuyerReference"),
            order=t(root, "cac:OrderReference/cbc:ID"),
            seller=party(root.find("cac:AccountingSupplierParty", NS)), buyer=party(root.find("cac:AccountingCustomerParty", NS)),
            iban=t(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"),
            line_total=t(tot, "cbc:LineExtensionAmount"), net=t(tot, "cbc:TaxExclusiveAmount"), vat=t(tax, "cbc:TaxAmount"),
            total=t(tot, "cbc:TaxInclusiveAmount"), prepaid=t(tot, "cbc:PrepaidAmount"), due_amount=t(tot, "cbc:PayableAmount"),
            breakdown=[(t(x, "cac:TaxCategory/cbc:Percent"), t(x, "cbc:TaxableAmount"), t(x, "cbc:TaxAmount")) for x in (tax.findall("cac:TaxSubtotal", NS) if tax is not None else [])],
            lines=[(t(x, "cbc:ID"), t(x, "cac:Item/cbc:Name"), t(x, qty_tag), t(x, "cac:Price/cbc:PriceAmount"),
                    t(x, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"), t(x, "cbc:LineExtensionAmount")) for x in root.findall(line_tag, NS)],
        )
    return f


def einvoice_truth(f):
    """The ground truth of a printed e-invoice: the XML's own values."""
    dec = lambda s: str(Decimal(s)) if s else None  # noqa: E731
    compact = lambda s: "".join(c for c in s.upper() if c.isalnum()) or None  # noqa: E731
    return dict(
        invoice_number=f["number"], issue_date=f["issue"] or None, due_date=f["due"] or None, currency=f["currency"] or None,
        subtotal=dec(f["net"] or f["line_total"]), vat_amount=dec(f["vat"]), total=dec(f["total"]),
        amount_due=dec(f["due_amount"] or f["total"]), seller_name=f["seller"]["name"] or None, seller_vat=compact(f["seller"]["vat"]),
        buyer_name=f["buyer"]["name"] or None, iban=compact(f["iban"]),
        kind="credit_note" if f["type"] in ("381", "261", "396") else "invoice", lines=len(f["lines"]),
    )


VIEWER = {
    "en": dict(title={"380": "Invoice", "381": "Credit note"}, number="Invoice number", issue="Invoice date", due="Payment due date",
               terms="Payment terms", currency="Invoice currency code", buyer_ref="Buyer reference", order="Purchase order reference",
               seller="Seller", buyer="Buyer", vat_id="VAT identifier", iban="Payment account identifier", lines="Invoice lines",
               line_cols=["Line", "Item name", "Quantity", "Net price", "VAT rate", "Line net amount"], bd="VAT breakdown",
               bd_cols=["VAT rate", "Taxable amount", "VAT amount"], totals="Document totals", line_total="Sum of invoice line net amount",
               net="Invoice total amount without VAT", vat="Invoice total VAT amount", total="Invoice total amount with VAT",
               prepaid="Paid amount", due_amount="Amount due for payment", overview="Overview"),
    "de": dict(title={"380": "Rechnung", "381": "Gutschrift"}, number="Rechnungsnummer", issue="Rechnungsdatum", due="Fälligkeitsdatum",
               terms="Zahlungsbedingungen", currency="Rechnungswährung", buyer_ref="Käuferreferenz", order="Bestellnummer",
               seller="Verkäufer", buyer="Käufer", vat_id="Umsatzsteuer-ID", iban="Kennung des Zahlungskontos", lines="Rechnungspositionen",
               line_cols=["Pos.", "Artikelname", "Menge", "Nettopreis", "USt-Satz", "Nettobetrag"], bd="Aufschlüsselung der Umsatzsteuer",
               bd_cols=["USt-Satz", "Gesamtbetrag nach Kategorie", "Kategoriespezifischer Steuerbetrag"], totals="Gesamtbeträge",
               line_total="Summe aller Positionen", net="Gesamtsumme ohne Umsatzsteuer", vat="Gesamtbetrag der Umsatzsteuer",
               total="Gesamtsumme einschließlich Umsatzsteuer", prepaid="Gezahlter Betrag", due_amount="Fälliger Zahlungsbetrag", overview="Übersicht"),
}


def einvoice_html(f, rng):
    """An EN 16931 visualisation-style page: sections of label/value rows, as e-invoice viewers
    print them (English, or German as the XRechnung viewer does)."""
    lang = rng.choice(["en", "de"])
    v = VIEWER[lang]
    style = "eu" if lang == "de" else "en"

    def money(s):
        return fmt_num(Decimal(s), style) if s else ""

    def day(s):
        if not s:
            return ""
        d = dt.date.fromisoformat(s)
        return d.strftime("%d.%m.%Y") if lang == "de" else rng.choice([d.isoformat(), d.strftime("%d.%m.%Y")])

    def rows(pairs):
        return "<table class='kv'>" + "".join(f"<tr><td class='k'>{esc(k)}:</td><td>{esc(x)}</td></tr>" for k, x in pairs if x) + "</table>"

    def party(label, p):
        return (f"<div class='box'><h3>{esc(label)}</h3>" + rows([("Name", p["name"]), ("", "")]) +
                "".join(f"<div>{esc(x)}</div>" for x in [p["street"], p["city"], p["country"]] if x) +
                rows([(v["vat_id"], p["vat"])]) + "</div>")

    head = rows([(v["number"], f["number"]), (v["issue"], day(f["issue"])), (v["due"], day(f["due"])), (v["terms"], f["terms"]),
                 (v["currency"], f["currency"]), (v["buyer_ref"], f["buyer_ref"]), (v["order"], f["order"]), (v["iban"], f["iban"])])
    lines = "<table class='grid'><tr>" + "".join(f"<th>{esc(c)}</th>" for c in v["line_cols"]) + "</tr>" + "".join(
        f"<tr><td>{esc(a)}</td><td>{esc(b)}</td><td class='n'>{esc(c)}</td><td class='n'>{money(d)}</td><td class='n'>{esc(e)}%</td><td class='n'>{money(g)}</td></tr>"
        for a, b, c, d, e, g in f["lines"]) + "</table>"
    bd = "<table class='grid'><tr>" + "".join(f"<th>{esc(c)}</th>" for c in v["bd_cols"]) + "</tr>" + "".join(
        f"<tr><td class='n'>{esc(r)}%</td><td class='n'>{money(b)}</td><td class='n'>{money(x)}</td></tr>" for r, b, x in f["breakdown"]) + "</table>"
    totals = [(v["line_total"], money(f["line_total"])), (v["net"], money(f["net"])), (v["vat"], money(f["vat"])),
              (v["total"], money(f["total"]))]
    if f["prepaid"] and Decimal(f["prepaid"]) != 0:
        totals.append((v["prepaid"], money(f["prepaid"])))
    totals.append((v["due_amount"], money(f["due_amount"])))
    tot = "<table class='kv totals'>" + "".join(f"<tr><td class='k'>{esc(k)}</td><td class='n'>{esc(x)} {esc(f['currency'])}</td></tr>" for k, x in totals if x) + "</table>"
    css = """@page { size: A4; margin: 15mm; } body { font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; font-size: 9pt; }
h1 { font-size: 16pt; } h2 { font-size: 11pt; background: #e4e8ee; padding: 3px 6px; margin: 14px 0 6px 0; }
h3 { font-size: 10pt; margin: 0 0 4px 0; } .kv td { padding: 1px 8px 1px 0; vertical-align: top; } .kv td.k { color: #444; }
.parties { display: flex; gap: 24px; } .box { flex: 1; border: 1px solid #ccc; padding: 6px; }
.grid { border-collapse: collapse; width: 100%; } .grid th, .grid td { border: 1px solid #bbb; padding: 2px 4px; text-align: left; }
.grid td.n, .totals td.n { text-align: right; } .totals { margin-left: auto; }"""
    title = v["title"].get(f["type"], v["title"]["380"])
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body><h1>{esc(title)}</h1>"
            f"<h2>{esc(v['overview'])}</h2>{head}<div class='parties'>{party(v['seller'], f['seller'])}{party(v['buyer'], f['buyer'])}</div>"
            f"<h2>{esc(v['lines'])}</h2>{lines}<h2>{esc(v['bd'])}</h2>{bd}<h2>{esc(v['totals'])}</h2>{tot}</body></html>")


EINVOICE_FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "billify-einvoice", "tests", "fixtures")


FAMILIES = ["benelux", "uk", "us", "in", "cloud", "credit", "de", "fr"]
# E-invoices (EN 16931) are European: the families whose invoices are sent as CII or UBL.
EINVOICE_FAMILIES = ["benelux", "uk", "cloud", "credit", "de", "fr"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=12, help="invoices per layout family and producer")
    ap.add_argument("--scans", type=int, default=2, help="scanned invoices per layout family")
    ap.add_argument("--producers", default="chromium,reportlab,scan")
    ap.add_argument("--seed", type=int, default=20)
    args = ap.parse_args()
    producers = args.producers.split(",")
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-corpus-")
    try:
        for producer in producers:
            if producer == "scan":
                continue
            os.makedirs(os.path.join(args.out, producer), exist_ok=True)
            for family in (EINVOICE_FAMILIES if producer == "einvoice" else FAMILIES):
                for k in range(args.count):
                    key = f"{args.seed}-{producer}-{family}-{k}"
                    rng = random.Random(hashlib.sha256(key.encode()).hexdigest())
                    page, truth, own = make_invoice(rng, family, k)
                    doc_id = f"{family}-{k:02d}"
                    out = os.path.join(args.out, producer, doc_id + ".pdf")
                    if producer == "chromium":
                        render_chromium(to_html(page, rng), out, tmp)
                    elif producer == "libreoffice":
                        render_libreoffice(to_html(page, rng), out, tmp)
                    elif producer == "tex":
                        render_tex(page, out, rng, tmp)
                    elif producer == "einvoice":
                        # Written as CII or UBL, printed from the XML alone; the truth is the XML's.
                        xml_text = (to_cii if rng.random() < 0.5 else to_ubl)(page["data"])
                        fields = read_einvoice(xml_text)
                        truth = einvoice_truth(fields)
                        render_chromium(einvoice_html(fields, rng), out, tmp)
                    else:
                        render_reportlab(page, out, rng)
                    # Alternate halves, so each family and producer is split evenly.
                    split = "tune" if k % 2 == 0 else "heldout"
                    manifest.append(dict(path=f"{producer}/{doc_id}.pdf", producer=producer, family=family, split=split, own=own, truth=truth))
                    print(f"{producer}/{doc_id}", file=sys.stderr)
        if "einvoice" in producers:
            # The e-invoice fixtures of billify-einvoice, printed the same way.
            names = sorted(n for n in os.listdir(EINVOICE_FIXTURES) if n.endswith(".xml") and n.startswith(("cii-", "ubl-")) and "broken" not in n)
            for k, name in enumerate(names):
                rng = random.Random(hashlib.sha256(f"{args.seed}-einvoice-fixture-{name}".encode()).hexdigest())
                with open(os.path.join(EINVOICE_FIXTURES, name), encoding="utf-8") as fx:
                    fields = read_einvoice(fx.read())
                doc_id = f"fixture-{k:02d}"
                render_chromium(einvoice_html(fields, rng), os.path.join(args.out, "einvoice", doc_id + ".pdf"), tmp)
                own = dict(names=[fields["buyer"]["name"]], vat_numbers=[fields["buyer"]["vat"]] if fields["buyer"]["vat"] else [], ibans=[])
                split = "tune" if k % 2 == 0 else "heldout"
                manifest.append(dict(path=f"einvoice/{doc_id}.pdf", producer="einvoice", family="fixture", split=split, own=own,
                                     truth=einvoice_truth(fields), source=name))
                print(f"einvoice/{doc_id} ({name})", file=sys.stderr)
        if "scan" in producers:
            os.makedirs(os.path.join(args.out, "scan"), exist_ok=True)
            for family in FAMILIES:
                for k in range(args.scans):
                    key = f"{args.seed}-scan-{family}-{k}"
                    rng = random.Random(hashlib.sha256(key.encode()).hexdigest())
                    page, truth, own = make_invoice(rng, family, k)
                    src = os.path.join(tmp, "src.pdf")
                    render_chromium(to_html(page, rng), src, tmp)
                    doc_id = f"{family}-{k:02d}"
                    render_scan(src, os.path.join(args.out, "scan", doc_id + ".pdf"), rng, tmp)
                    split = "tune" if k % 2 == 0 else "heldout"
                    manifest.append(dict(path=f"scan/{doc_id}.pdf", producer="scan", family=family, split=split, own=own, truth=truth))
                    print(f"scan/{doc_id}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
