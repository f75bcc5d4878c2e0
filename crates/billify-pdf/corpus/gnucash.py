#!/usr/bin/env python3
"""Invoices printed by GnuCash's own invoice reports, with ground truth.

What it runs: the real GnuCash 4.13 (Debian ``gnucash`` and ``python3-gnucash``). For each
document it

1. creates a GnuCash book (XML file) with the Python bindings: accounts in the invoice currency
   (A/R, bank, income, one VAT liability account per rate), tax tables per VAT rate, a billing
   term ("Net N days"), a customer with a billing address (in B2B cross-border cases the
   customer's VAT number as the last address line, as users do), and one customer invoice or
   credit note with 1-25 entries (description, action/unit, quantity, price, sometimes a discount,
   taxable with a tax table), posted to A/R with a due date, sometimes with a partial payment
   applied, sometimes with invoice notes holding the seller's bank details ("IBAN ... BIC ...");
2. writes the seller's details into the book options (Business: Company Name, Company Address,
   Company ID = the VAT number as the user typed it, phone, e-mail, website, contact person;
   Tax: Tax Number for some German sellers; Fancy Date Format), the way the "Book Options"
   dialog stores them;
3. runs one of GnuCash's own invoice reports headless, ``gnucash-cli --report run``, through a
   saved report configuration (``saved-reports-2.8`` in a private ``GNC_DATA_HOME``) that selects
   the invoice and varies the report options (columns shown, detailed tax summary, title, notes,
   billing ID/terms/due date rows, fonts, layout rows), under a locale (``LANG``/``LC_ALL`` =
   en_US, en_GB, nl_NL, nl_BE, fr_FR, fr_BE, fr_LU, de_DE, de_CH) so that labels, numbers and dates
   are those of GnuCash's translations; the clock is set with libfaketime to a day or two after
   the invoice date (the printable reports print "today");
4. prints the report's HTML to PDF with headless Chromium (renderer ``chromium``) or, for a third
   of the documents, with ``wkhtmltopdf`` (renderer ``wkhtmltopdf``).

Families (report styles): ``printable`` (Printable Invoice), ``tax`` (Tax Invoice), ``easy``
(Easy Invoice), ``fancy`` (Fancy Invoice), ``au-tax`` (Australian Tax Invoice, "GST" labels).

Install (Debian bookworm)::

    apt-get install -y gnucash python3-gnucash chromium wkhtmltopdf faketime locales-all poppler-utils

The script needs Debian's ``/usr/bin/python3`` (the ``gnucash`` module lives in its
dist-packages); when started with another interpreter it re-executes itself with that one.

Usage::

    python3 gnucash.py OUT [--count N] [--seed S] [--families printable,tax,easy,fancy,au-tax]

writes ``OUT/gnucash/<family>-NNN.pdf`` and ``OUT/manifest.json`` (``producer`` = ``gnucash``,
``family`` = the report style, ``split`` = ``tune`` for even and ``heldout`` for odd indexes).

Truth: invoice number, issue date (the posted date), due date (only when the report prints it),
currency, subtotal, VAT amount (omitted when the printable reports list the tax per rate with the
detailed tax summary and there are several rates), total, amount due (total minus the payments
the report lists), seller name (Company Name), seller VAT (the Company ID when it is a VAT
number), buyer name (the customer's name), IBAN (only when the bank note is printed), kind
(``invoice`` / ``credit_note``) and the number of lines. Amounts are GnuCash's own totals read
back from the book. No report prints a buyer VAT field: the buyer's VAT number is only known
(``own.vat_numbers``) when it is printed as an address line.
"""

import os
import sys

# This file is called gnucash.py: keep its folder off the path while importing GnuCash's module.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
if True:
    try:
        import gnucash  # noqa: F401
    except ImportError:
        if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        raise

import argparse
import datetime as dt
import gzip
import hashlib
import html
import json
import random
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal

from gnucash import Account, GncNumeric, Session, SessionOpenMode
from gnucash import gnucash_core_c as C
from gnucash.gnucash_business import Address, BillTerm, Customer, Entry, Invoice, TaxTable, TaxTableEntry  # noqa: F401

sys.path.append(HERE)
from generate import address, company, iban, iban_print, vat, vat_print  # noqa: E402

FAMILIES = ["printable", "tax", "easy", "fancy", "au-tax"]
REPORTS = {
    "printable": ("Printable Invoice", "5123a759ceb9483abf2182d01c140e8d"),
    "easy": ("Easy Invoice", "67112f318bef4fc496bdc27d106bbda4"),
    "fancy": ("Fancy Invoice", "3ce293441e894423a2425d7a22dd1ac6"),
    "tax": ("Tax Invoice", "0769e242be474010b4acf264a5512e6e"),
    "au-tax": ("Australian Tax Invoice", "3dbbc2584da64e7a8674355bc3fbfe3d"),
}

# ---------------------------------------------------------------------------------------------
# The business model: seller country -> locale, currency, VAT rates, labels.

COUNTRY_KEY = {"BE": "be", "NL": "nl", "FR": "fr", "DE": "de", "GB": "uk", "LU": "lu", "CH": "ch", "US": "us"}
COUNTRY_NAME = {
    "en": {"BE": "Belgium", "NL": "Netherlands", "FR": "France", "DE": "Germany", "GB": "United Kingdom", "LU": "Luxembourg",
           "CH": "Switzerland", "US": "USA"},
    "nl": {"BE": "België", "NL": "Nederland", "FR": "Frankrijk", "DE": "Duitsland", "GB": "Verenigd Koninkrijk", "LU": "Luxemburg",
           "CH": "Zwitserland", "US": "Verenigde Staten"},
    "fr": {"BE": "Belgique", "NL": "Pays-Bas", "FR": "France", "DE": "Allemagne", "GB": "Royaume-Uni", "LU": "Luxembourg",
           "CH": "Suisse", "US": "États-Unis"},
    "de": {"BE": "Belgien", "NL": "Niederlande", "FR": "Frankreich", "DE": "Deutschland", "GB": "Vereinigtes Königreich",
           "LU": "Luxemburg", "CH": "Schweiz", "US": "USA"},
}
RATES = {"BE": ["21", "12", "6", "0"], "NL": ["21", "9"], "FR": ["20", "10", "5.5"], "DE": ["19", "7"], "GB": ["20", "5", "0"],
         "LU": ["17", "8", "3"], "CH": ["8.1", "2.6"], "US": ["8.25"]}
LOCALES = {"BE": ["nl_BE", "fr_BE", "nl_BE", "en_GB"], "NL": ["nl_NL", "nl_NL", "en_GB", "en_US"], "FR": ["fr_FR", "fr_FR", "en_GB"],
           "DE": ["de_DE", "de_DE", "en_GB"], "GB": ["en_GB", "en_GB", "en_US"], "LU": ["fr_LU", "de_DE", "en_GB"],
           "CH": ["de_CH", "fr_FR"], "US": ["en_US"]}
TAX_WORD = {"en": "VAT", "nl": "BTW", "fr": "TVA", "de": "USt."}
TERMS_TEXT = {"en": ["Net {n} days", "Payment within {n} days", "{n} days net"], "nl": ["Betaling binnen {n} dagen", "Netto {n} dagen"],
              "fr": ["Paiement à {n} jours", "{n} jours net"], "de": ["Zahlbar innerhalb von {n} Tagen ohne Abzug", "Netto {n} Tage"]}
BANK_NOTE = {
    "en": ["Please pay to IBAN {iban}, BIC {bic}, quoting the invoice number.", "Bank details: IBAN {iban} / BIC {bic}",
           "Payment by bank transfer to {name}, IBAN: {iban} (BIC {bic})"],
    "nl": ["Gelieve het bedrag over te maken op IBAN {iban} (BIC {bic}) met vermelding van het factuurnummer.",
           "Bankrekening: IBAN {iban} - BIC {bic}"],
    "fr": ["Merci de régler par virement sur le compte IBAN {iban} - BIC {bic}.", "Coordonnées bancaires : IBAN {iban} BIC {bic}"],
    "de": ["Bitte überweisen Sie den Betrag auf unser Konto IBAN {iban}, BIC {bic}.", "Bankverbindung: IBAN {iban} · BIC {bic}"],
}
REVERSE_NOTE = {"en": "Reverse charge: VAT to be accounted for by the customer (Art. 196 Directive 2006/112/EC).",
                "nl": "BTW verlegd - btw te voldoen door de medecontractant (art. 196 Richtlijn 2006/112/EG).",
                "fr": "Autoliquidation - TVA due par le preneur (art. 196 de la directive 2006/112/CE).",
                "de": "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)."}
BIC = {"BE": ["GKCCBEBB", "KREDBEBB", "BBRUBEBB", "GEBABEBB"], "NL": ["ABNANL2A", "INGBNL2A", "RABONL2U", "KNABNL2H"],
       "FR": ["BNPAFRPP", "SOGEFRPP", "CRLYFRPP"], "DE": ["DEUTDEFF", "COBADEFF", "GENODEM1GLS"], "GB": ["NWBKGB2L", "BARCGB22"],
       "LU": ["BCEELULL", "BGLLLULL"]}
VAT_PREFIX = {"en": ["", "VAT: ", "VAT Reg. No. ", "VAT No: "], "nl": ["", "BTW: ", "BTW-nr. ", "Ondernemingsnummer "],
              "fr": ["", "TVA : ", "N° TVA ", "TVA intracom. "], "de": ["", "USt-IdNr.: ", "USt-ID: ", "UID: "]}
GOODS_L = {
    "nl": ["Advieswerk", "Webhosting (maandelijks)", "Bureaustoelen", "Ontwerpwerk", "Softwarelicentie", "Onderhoudscontract",
           "Drukwerk folders A4", "Verplaatsingskosten", "Support-uren", "Opleidingsdag", "Vertaling NL-FR", "Catering lunch"],
    "fr": ["Prestations de conseil", "Hébergement web (mensuel)", "Chaises de bureau", "Travaux de graphisme", "Licence logicielle",
           "Contrat de maintenance", "Impression de flyers A4", "Frais de déplacement", "Heures de support", "Journée de formation"],
    "de": ["Beratungsleistungen", "Webhosting (monatlich)", "Bürostühle", "Designarbeiten", "Softwarelizenz", "Wartungsvertrag",
           "Druck Flyer A4", "Reisekosten", "Supportstunden", "Schulungstag", "Kaffeebohnen 1 kg", "Netzwerkkabel CAT6 5 m"],
    "en": ["Consulting services", "Web hosting (monthly)", "Office chairs", "Design work", "Software licence", "Maintenance contract",
           "Printing A4 flyers", "Travel expenses", "Support hours", "Laptop stand", "Cloud storage 1 TB", "Training day",
           "Domain renewal", "Coffee beans 1 kg", "Cable CAT6 5 m", "Delivery costs", "Data transfer out"],
}
UNITS = {"en": ["hours", "pcs", "days", "Material", "Labor", "month"], "nl": ["uur", "stuks", "dagen", "Materiaal", "maand"],
         "fr": ["heures", "pièces", "jours", "Matériel", "mois"], "de": ["Std.", "Stück", "Tage", "Material", "Monat"]}
PERSONS = ["Jan de Vries", "Sophie Martin", "Thomas Müller", "Emma Janssens", "Oliver Smith", "Lucas Dubois", "Anna Schmidt",
           "Pieter Peeters", "Charlotte Bernard", "James Taylor", "Lena Fischer", "Noah Claes"]
FANCY_DATES = [None, None, "%d %B %Y", "%B %d, %Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%e %b %Y"]

D2 = Decimal("0.01")


def dec(n):
    """GncNumeric -> Decimal."""
    return (Decimal(n.num()) / Decimal(n.denom())).quantize(D2)


def num(x, denom=100):
    return GncNumeric(int((Decimal(x) * denom).to_integral_value()), denom)


def lang_of(loc):
    return loc[:2]


# ---------------------------------------------------------------------------------------------
# The document model.


def bic_for(rng, iban_s):
    """A BIC that matches the bank code of Dutch and British IBANs."""
    bank = {"ABNA": "ABNANL2A", "INGB": "INGBNL2A", "RABO": "RABONL2U", "KNAB": "KNABNL2H", "NWBK": "NWBKGB2L",
            "BARC": "BARCGB22", "HBUK": "HBUKGB4B"}.get(iban_s[4:8])
    return bank or rng.choice(BIC[iban_s[:2]])


def make_doc(rng, family, idx):
    seller_c = rng.choice(["BE", "NL", "FR", "DE", "GB", "BE", "NL", "DE", "FR", "GB", "LU", "CH", "US"])
    loc = rng.choice(LOCALES[seller_c])
    lang = lang_of(loc)
    currency = {"GB": "GBP", "CH": "CHF", "US": "USD"}.get(seller_c, "EUR")
    if seller_c == "GB" and rng.random() < 0.2:
        currency = "EUR"
    if seller_c in ("NL", "DE", "BE") and rng.random() < 0.08:
        currency = rng.choice(["USD", "GBP", "CHF"])
    eu = {"BE", "NL", "FR", "DE", "LU"}
    buyer_c = seller_c if rng.random() < 0.6 else rng.choice(["BE", "NL", "FR", "DE", "GB", "LU"])
    if seller_c == "US":
        buyer_c = rng.choice(["US", "US", "GB", "DE"])
    reverse = seller_c in eu and buyer_c in eu and buyer_c != seller_c and rng.random() < 0.7
    seller_name = company(rng, COUNTRY_KEY[seller_c])
    if rng.random() < 0.2:
        seller_name = seller_name.split(" ")[0] + " " + rng.choice(["& Zonen", "& Partners", "Holding", "International", "Europe"]) + " " + seller_name.split(" ")[-1]
    buyer_name = company(rng, COUNTRY_KEY[buyer_c])
    while buyer_name == seller_name:
        buyer_name = company(rng, COUNTRY_KEY[buyer_c])
    if rng.random() < 0.1:
        buyer_name = rng.choice(PERSONS)  # a private customer
    seller_vat = None if seller_c == "US" else vat(rng, "GB" if seller_c == "GB" else seller_c) if seller_c != "CH" else None
    if seller_c == "CH":
        d = "".join(rng.choice("0123456789") for _ in range(9))
        seller_vat = f"CHE{d}"
    buyer_vat = vat(rng, buyer_c) if buyer_c in ("BE", "NL", "FR", "DE", "GB", "LU") and buyer_name not in PERSONS else None
    bank_c = seller_c if seller_c in BIC else None
    seller_iban = iban(rng, bank_c) if bank_c else None
    # Rates used on this invoice.
    rates = RATES[seller_c]
    if reverse:
        line_rates = ["0"]
    elif seller_c == "US":
        line_rates = rng.choice([["8.25"], ["0"]])
    else:
        k = rng.choice([1, 1, 1, 2, 2, 3])
        line_rates = rng.sample(rates, min(k, len(rates)))
    nlines = rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25])
    goods = GOODS_L[lang]
    units = UNITS[lang]
    use_units = rng.random() < 0.6
    discounts = rng.random() < 0.15
    lines = []
    for i in range(nlines):
        q = rng.choice(["1", "1", "2", "3", "5", "10", "12", "0.5", "7.5", "2.25", "40", "100"])
        if Decimal(q) >= 10:
            price = Decimal(rng.choice([rng.randrange(50, 2500), rng.randrange(500, 12000)])) / 100
        else:
            price = Decimal(rng.choice([rng.randrange(100, 9000), rng.randrange(1000, 60000), rng.randrange(5000, 250000)])) / 100
            if rng.random() < 0.2:
                price = Decimal(rng.randrange(10, 200)) * 5
        lines.append(dict(desc=rng.choice(goods) + (f" ({rng.choice(['Q1', 'Q2', 'week 12', 'project X', 'Mar', 'ref 42'])})" if rng.random() < 0.2 else ""),
                          qty=Decimal(q), price=price.quantize(D2), rate=rng.choice(line_rates), unit=rng.choice(units) if use_units else "",
                          disc=Decimal(rng.choice([5, 10, 15])) if discounts and rng.random() < 0.5 else None,
                          taxable=not (rng.random() < 0.05)))
    issue = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 960))
    ndays = rng.choice([8, 10, 14, 14, 30, 30, 30, 45, 60])
    # The Tax Invoice template treats a credit note like a vendor bill (zero prices, no tax columns), so users
    # print credit notes with the other reports.
    credit = family not in ("tax", "au-tax") and rng.random() < 0.2
    paid = (not credit) and rng.random() < 0.25
    year = issue.year
    fmt = rng.choice(["{:06d}", "INV-{:05d}", f"{year}-" + "{:04d}", f"F{year}" + "{:04d}", f"RE-{year}-" + "{:03d}", "{:d}",
                      f"{year % 100:02d}" + "{:04d}", "FA{:05d}"])
    if credit:
        fmt = rng.choice(["{:06d}", "CN-{:05d}", f"CR{year}-" + "{:03d}", f"GS-{year}-" + "{:03d}", "{:d}"])
    inv_no = fmt.format(rng.randrange(1, 999))
    cust_id = rng.choice(["{:06d}", "C{:04d}", "K-{:05d}", "CUST{:03d}"]).format(rng.randrange(1, 999))
    billing_id = rng.choice([None, None, None, f"PO-{rng.randrange(1000, 99999)}", f"{rng.randrange(4500000000, 4599999999)}",
                             f"Order {rng.randrange(100, 9999)}"])
    return dict(seller_c=seller_c, buyer_c=buyer_c, loc=loc, lang=lang, currency=currency, reverse=reverse,
                seller_name=seller_name, buyer_name=buyer_name, seller_vat=seller_vat, buyer_vat=buyer_vat,
                seller_iban=seller_iban, bic=bic_for(rng, seller_iban) if bank_c else None,
                seller_addr=address(rng, COUNTRY_KEY[seller_c]), buyer_addr=address(rng, COUNTRY_KEY[buyer_c]),
                lines=lines, issue=issue, ndays=ndays, credit=credit, paid=paid, inv_no=inv_no, cust_id=cust_id,
                billing_id=billing_id, rates=sorted(set(line_rates)))


# ---------------------------------------------------------------------------------------------
# The GnuCash book.


def build_book(path, d, rng):
    """Creates the book with the python bindings; returns GnuCash's own totals."""
    s = Session("xml://" + path, SessionOpenMode.SESSION_NEW_OVERWRITE)
    try:
        book = s.book
        root = book.get_root_account()
        cur = book.get_table().lookup("CURRENCY", d["currency"])
        lang = d["lang"]

        def acct(parent, name, typ):
            a = Account(book)
            parent.append_child(a)
            a.SetName(name)
            a.SetType(typ)
            a.SetCommodity(cur)
            return a

        names = {"en": ("Assets", "Accounts Receivable", "Current Account", "Income", "Sales", "Liabilities"),
                 "nl": ("Activa", "Debiteuren", "Bankrekening", "Opbrengsten", "Omzet", "Passiva"),
                 "fr": ("Actif", "Clients", "Compte courant", "Produits", "Ventes", "Passif"),
                 "de": ("Aktiva", "Forderungen", "Girokonto", "Erträge", "Umsatzerlöse", "Verbindlichkeiten")}[lang]
        assets = acct(root, names[0], C.ACCT_TYPE_ASSET)
        ar = acct(assets, names[1], C.ACCT_TYPE_RECEIVABLE)
        bank = acct(assets, names[2], C.ACCT_TYPE_BANK)
        inc_parent = acct(root, names[3], C.ACCT_TYPE_INCOME)
        inc = acct(inc_parent, names[4], C.ACCT_TYPE_INCOME)
        liab = acct(root, names[5], C.ACCT_TYPE_LIABILITY)
        word = "Sales Tax" if d["seller_c"] == "US" else ("MWST" if d["seller_c"] == "CH" and lang == "de" else TAX_WORD[lang])
        pct = " %" if lang == "fr" else "%"
        tables = {}
        for r in d["rates"]:
            rtxt = r.replace(".", ",") if lang != "en" else r
            a = acct(liab, f"{word} {rtxt}{pct}", C.ACCT_TYPE_LIABILITY)
            tables[r] = TaxTable(book, f"{word} {r}%", TaxTableEntry(a, True, num(r, 1000)))
        term = BillTerm(book)
        term.SetName(f"Net{d['ndays']}")
        term.SetDescription(d["terms_text"])
        term.SetDueDays(d["ndays"])
        term.SetType(C.GNC_TERM_TYPE_DAYS)
        cust = Customer(book, d["cust_id"], cur, d["buyer_name"])
        addr = cust.GetAddr()
        lines = list(d["buyer_addr_lines"])
        addr.SetName(d["buyer_attn"])
        for setter, val in zip((addr.SetAddr1, addr.SetAddr2, addr.SetAddr3, addr.SetAddr4), lines):
            setter(val)
        cust.SetTerms(term)
        inv = Invoice(book, d["inv_no"], cur, cust)
        inv.SetTerms(term)
        if d["credit"]:
            inv.SetIsCreditNote(True)
        if d["billing_id"]:
            inv.SetBillingID(d["billing_id"])
        if d["notes"]:
            inv.SetNotes(d["notes"])
        inv.SetDateOpened(d["issue"])
        for i, ln in enumerate(d["lines"]):
            e = Entry(book, inv)
            day = d["issue"] - dt.timedelta(days=ln["back"])
            e.SetDate(day)
            e.SetDateEntered(dt.datetime.combine(d["issue"], dt.time(9, 0)) + dt.timedelta(seconds=i))
            e.SetDescription(ln["desc"])
            e.SetAction(ln["unit"])
            e.SetDocQuantity(num(ln["qty"], 100), bool(d["credit"]))  # as the invoice editor does
            e.SetInvPrice(num(ln["price"], 100))
            e.SetInvAccount(inc)
            if ln["disc"] is not None:
                e.SetInvDiscountType(C.GNC_AMT_TYPE_PERCENT)
                e.SetInvDiscount(num(ln["disc"], 1))
            e.SetInvTaxable(ln["taxable"])
            e.SetInvTaxIncluded(False)
            e.SetInvTaxTable(tables[ln["rate"]])
        inv.PostToAccount(ar, d["issue"], d["issue"] + dt.timedelta(days=d["ndays"]), "", True, False)
        total, sub, tax = dec(inv.GetTotal()), dec(inv.GetTotalSubtotal()), dec(inv.GetTotalTax())
        payment = None
        if d["paid"]:
            payment = (total * Decimal(rng.choice(["0.25", "0.3", "0.5", "0.4"]))).quantize(D2)
            if rng.random() < 0.3:
                payment = Decimal(int(total / 3 / 100) * 100 or 50).quantize(D2)
            inv.ApplyPayment(None, bank, num(payment, 100), GncNumeric(1), d["issue"] + dt.timedelta(days=rng.randrange(1, 20)), "", "")
        s.save()
    finally:
        s.end()
    return abs(sub), abs(tax), abs(total), payment


def xml_slots(tree, ind="  "):
    out = []
    for k, v in tree.items():
        out.append(f"{ind}<slot>\n{ind}  <slot:key>{html.escape(k, quote=False)}</slot:key>\n")
        if isinstance(v, dict):
            out.append(f'{ind}  <slot:value type="frame">\n{xml_slots(v, ind + "    ")}{ind}  </slot:value>\n')
        else:
            out.append(f'{ind}  <slot:value type="string">{html.escape(v, quote=False)}</slot:value>\n')
        out.append(f"{ind}</slot>\n")
    return "".join(out)


def set_book_options(path, business, tax_number):
    """Writes the Book Options (File > Properties) into the saved book, as GnuCash stores them."""
    raw = open(path, "rb").read()
    text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
    opts = {"Business": business}
    if tax_number:
        opts["Tax"] = {"Tax Number": tax_number}
    slots = "<book:slots>\n" + xml_slots({"options": opts}) + "</book:slots>\n"
    text, n = re.subn(r'(<book:id type="guid">[0-9a-f]+</book:id>\n)', lambda m: m.group(1) + slots, text, count=1)
    assert n == 1
    open(path, "w", encoding="utf-8").write(text)
    return text


def invoice_guid(text, inv_no):
    m = re.search(r'<invoice:guid type="guid">([0-9a-f]+)</invoice:guid>\s*<invoice:id>' + re.escape(html.escape(inv_no, quote=False)) + "<", text)
    return m.group(1)


# ---------------------------------------------------------------------------------------------
# Report options (a saved report configuration).


def scm(v):
    if isinstance(v, bool):
        return "#t" if v else "#f"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, tuple):  # raw scheme
        return v[0]
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def saved_report(family, guid, options):
    name, tguid = REPORTS[family]
    sets = "\n".join(
        f'      (let ((o (gnc:lookup-option options {scm(sec)} {scm(opt)}))) (if o ((gnc:option-setter o) {scm(val)})))'
        for sec, opt, val in [("General", "Invoice Number", guid)] + options)
    return f""";; Options for saved report "billify-run", based on template "{name}"
(let ()
  (define (options-gen)
    (let ((options (gnc:report-template-new-options/report-guid "{tguid}" "{name}")))
{sets}
      options))
  (gnc:define-report
    'version 1
    'name "billify-run"
    'report-guid "b1111f1e0000400080000000000000aa"
    'parent-type "{tguid}"
    'options-generator options-gen
    'menu-path (list gnc:menuname-custom)
    'renderer (gnc:report-template-renderer/report-guid "{tguid}" "{name}")))
"""


def plan_report(rng, family, d):
    """Report options and what they make the page print."""
    opts = []
    show = dict(due=True, payments=True, notes_inv=False, extra=None, vat_total=True, owner_id=False)
    lang = d["lang"]
    if family in ("printable", "easy", "fancy"):
        cols = {"Date": rng.random() < 0.7, "Action": bool(d["unit"]) and rng.random() < 0.8, "Discount": rng.random() < 0.5 or d["has_disc"],
                "Taxable": rng.random() < 0.6, "Tax Amount": rng.random() < 0.4, "Quantity": True, "Price": True}
        if family == "fancy":
            cols["Discount"] = d["has_disc"] or rng.random() < 0.3
        for k, v in cols.items():
            opts.append(("Display Columns", k, v))
        show["due"] = rng.random() < 0.85
        opts.append(("Display", "Due Date", show["due"]))
        detailed = rng.random() < 0.3
        opts.append(("Display", "Use Detailed Tax Summary", detailed))
        if detailed and len(d["rates"]) > 1:
            show["vat_total"] = False
        show["payments"] = rng.random() < 0.9
        opts.append(("Display", "Payments", show["payments"]))
        opts.append(("Display", "Billing Terms", rng.random() < 0.8))
        opts.append(("Display", "Billing ID", rng.random() < 0.8))
        show["owner_id"] = rng.random() < 0.3
        opts.append(("Display", "Invoice owner ID", show["owner_id"]))
        if d["notes"]:
            show["notes_inv"] = rng.random() < 0.85
            opts.append(("Display", "Invoice Notes", show["notes_inv"]))
        if rng.random() < 0.3:
            opts.append(("Display", "Payable to", True))
        if rng.random() < 0.2 and d["contact"]:
            opts.append(("Display", "Company contact", True))
        if not d["credit"] and rng.random() < 0.25:
            title = {"en": ["Tax Invoice", "INVOICE", "Sales Invoice"], "nl": ["Factuur", "FACTUUR"], "fr": ["Facture", "FACTURE"],
                     "de": ["Rechnung", "RECHNUNG"]}[lang]
            opts.append(("General", "Custom Title", rng.choice(title)))
        if family == "fancy" and rng.random() < 0.3:
            opts.append(("Display", "Minimum # of entries", float(rng.choice([5, 10]))))
        if rng.random() < 0.3:
            opts.append(("Layout", "Row 3 Right", ("'none",)))
    else:
        show["notes_inv"] = bool(d["notes"])
        opts.append(("Elements", "column: Date", rng.random() < 0.7))
        opts.append(("Elements", "column: Tax Rate", rng.random() < 0.85))
        opts.append(("Elements", "column: Units", rng.random() < 0.8))
        opts.append(("Elements", "row: Contact", rng.random() < 0.7))
        opts.append(("Elements", "Invoice number next to title", rng.random() < 0.3))
        opts.append(("Elements", "Show net price", rng.random() < 0.3))
        opts.append(("Display", "table-border-collapse", rng.random() < 0.5))
        if rng.random() < 0.4:
            opts.append(("Display", "Heading font", rng.choice(["Serif Bold 20", "Sans Bold 16", "DejaVu Sans Bold 18"])))
            opts.append(("Display", "Text font", rng.choice(["Serif 10", "Sans 9", "DejaVu Sans 10", "Liberation Serif 11"])))
        if d["credit"]:
            opts.append(("Headings 1", "Report Title", ('((@ (gnucash core-utils) G_) "Credit Note")',)))
        elif family == "tax" and rng.random() < 0.4:
            opts.append(("Headings 1", "Report Title", ('((@ (gnucash core-utils) G_) "Tax Invoice")',)))
    if d["bank_extra"]:
        show["extra"] = d["bank_extra"]
        sec = "Notes" if family in ("tax", "au-tax") else "Display"
        opts.append((sec, "Extra Notes", d["bank_extra"]))
    elif rng.random() < 0.2:
        sec = "Notes" if family in ("tax", "au-tax") else "Display"
        opts.append((sec, "Extra Notes", ""))
    return opts, show


# ---------------------------------------------------------------------------------------------
# Rendering.


def chromium_bin():
    for b in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(b)
        if p:
            return p
    raise SystemExit("chromium not found")


def render(renderer, html_path, pdf_path):
    if renderer == "chromium":
        cmd = [chromium_bin(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf_path}", "file://" + html_path]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    else:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        subprocess.run(["wkhtmltopdf", "--enable-local-file-access", "-q", "--encoding", "utf-8", html_path, pdf_path],
                       check=True, capture_output=True, timeout=180, env=env)


def faketime_env(when):
    for lib in ("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"):
        if os.path.exists(lib):
            return {"LD_PRELOAD": lib, "FAKETIME": "@" + when.strftime("%Y-%m-%d 10:15:00"), "FAKETIME_DONT_RESET": "1"}
    return {}


def run_report(family, book_path, guid, options, loc, out_html, data_home, print_day):
    os.makedirs(data_home, exist_ok=True)
    with open(os.path.join(data_home, "saved-reports-2.8"), "w", encoding="utf-8") as f:
        f.write(saved_report(family, guid, options))
    env = dict(os.environ, GNC_DATA_HOME=data_home, LANG=f"{loc}.UTF-8", LC_ALL=f"{loc}.UTF-8", LANGUAGE=loc)
    env.update(faketime_env(print_day))
    r = subprocess.run(["gnucash-cli", "--report", "run", "--name", "billify-run", "--output-file", out_html, book_path],
                       env=env, capture_output=True, text=True, timeout=300)
    if r.returncode != 0 or not os.path.exists(out_html):
        raise RuntimeError(f"gnucash-cli failed: {r.stderr[-2000:]}")


# ---------------------------------------------------------------------------------------------
# Self-check against the page text.


def amount_re(x):
    i, f = f"{x:.2f}".split(".")
    groups = []
    while len(i) > 3:
        groups.insert(0, i[-3:])
        i = i[:-3]
    groups.insert(0, i)
    return re.compile(r"(?<![\d])" + r"[.,'’\s\u202f\u00a0]?".join(groups) + r"[.,]" + f + r"(?!\d)")


def check(text, truth):
    problems = []
    flat = re.sub(r"\s+", "", text)
    for k in ("subtotal", "vat_amount", "total", "amount_due"):
        v = truth.get(k)
        if v is not None and not amount_re(Decimal(v)).search(text):
            problems.append(f"{k}={v}")
    for k in ("invoice_number", "seller_name", "buyer_name"):
        v = truth.get(k)
        if v and re.sub(r"\s+", "", v) not in flat:
            problems.append(f"{k}={v}")
    if truth.get("iban") and truth["iban"] not in flat:
        problems.append("iban")
    if truth.get("seller_vat") and truth["seller_vat"] not in re.sub(r"[\s.\-]", "", text):
        problems.append("seller_vat")
    for k in ("issue_date", "due_date"):
        v = truth.get(k)
        if v and v[:4] not in text and v[2:4] not in text:
            problems.append(k)
    return problems


# ---------------------------------------------------------------------------------------------


def one(rng, family, k, work, out_dir):
    d = make_doc(rng, family, k)
    lang = d["lang"]
    # Free-text parts of the book.
    d["terms_text"] = rng.choice(TERMS_TEXT[lang]).format(n=d["ndays"])
    cn = COUNTRY_NAME[lang]
    s_lines = list(d["seller_addr"])
    if rng.random() < 0.6:
        s_lines.append(cn[d["seller_c"]])
    b_lines = list(d["buyer_addr"])
    if d["buyer_c"] != d["seller_c"] or rng.random() < 0.3:
        b_lines.append(cn[d["buyer_c"]])
    buyer_vat_printed = False
    if d["buyer_vat"] and (d["reverse"] or rng.random() < 0.35) and len(b_lines) < 4:
        b_lines.append(rng.choice([p for p in VAT_PREFIX[lang][1:] if "Ondernemings" not in p]) + vat_print(d["buyer_vat"], rng))
        buyer_vat_printed = True
    d["buyer_addr_lines"] = b_lines
    d["buyer_attn"] = rng.choice(["", "", d["buyer_name"], rng.choice(PERSONS), "Attn: " + rng.choice(PERSONS), "Accounts Payable"])
    d["contact"] = rng.choice(PERSONS) if rng.random() < 0.6 else ""
    for ln in d["lines"]:
        ln["back"] = rng.choice([0, 0, 0, 1, 3, 7, 14])
    d["unit"] = any(ln["unit"] for ln in d["lines"])
    d["has_disc"] = any(ln["disc"] is not None for ln in d["lines"])
    bank = None
    if d["seller_iban"] and rng.random() < 0.65:
        bank = rng.choice(BANK_NOTE[lang]).format(iban=iban_print(d["seller_iban"]) if rng.random() < 0.8 else d["seller_iban"],
                                                  bic=d["bic"], name=d["seller_name"])
    notes = []
    if d["reverse"]:
        notes.append(REVERSE_NOTE[lang])
    d["bank_extra"] = None
    if bank and rng.random() < 0.6:
        notes.append(bank)
    elif bank:
        d["bank_extra"] = bank + ("\n" + {"en": "Thank you for your business!", "nl": "Dank u voor uw vertrouwen.",
                                          "fr": "Merci pour votre confiance.", "de": "Vielen Dank für Ihren Auftrag!"}[lang]
                                  if rng.random() < 0.5 else "")
    d["notes"] = "\n".join(notes)

    book_path = os.path.join(work, "book.gnucash")
    for f in os.listdir(work):
        p = os.path.join(work, f)
        if os.path.isfile(p):
            os.remove(p)
    sub, tax, total, payment = build_book(book_path, d, rng)
    vat_shown = d["seller_vat"] if d["seller_c"] != "CH" else (d["seller_vat"][:3] + "-" + d["seller_vat"][3:6] + "." + d["seller_vat"][6:9] + "." + d["seller_vat"][9:] + " MWST")
    company_id = None
    if rng.random() < 0.92:
        if d["seller_c"] == "US":
            company_id = f"EIN {rng.randrange(10, 99)}-{rng.randrange(1000000, 9999999)}"
        elif d["seller_c"] == "CH":
            company_id = vat_shown
        else:
            company_id = rng.choice(VAT_PREFIX[lang]) + vat_print(d["seller_vat"], rng)
    business = {"Company Name": d["seller_name"], "Company Address": "\n".join(s_lines)}
    if company_id:
        business["Company ID"] = company_id
    if rng.random() < 0.8:
        a, b, c = rng.randrange(100, 999), rng.randrange(10, 99), rng.randrange(10, 99)
        business["Company Phone Number"] = rng.choice({
            "BE": [f"+32 3 {a} {b} {c}", f"09 {a} {b} {c}", f"+32 2 {a} {b} {c}"], "NL": [f"+31 20 {a} {b}{c}", f"030-{a}{b}{c}"],
            "FR": [f"+33 1 {b} {c} {b} {c}", f"04 {b} {c} {a % 100:02d} {b}"], "DE": [f"+49 30 {a}{b}{c}", f"089 {a} {b} {c}"],
            "GB": [f"+44 20 {a}{b} {c}{b}", f"0161 {a} {b}{c}"], "LU": [f"+352 {a} {b}{c}"], "CH": [f"+41 44 {a} {b} {c}"],
            "US": [f"(415) {a}-{b}{c}", f"+1 212 {a} {b}{c}"]}[d["seller_c"]])
    slug = re.sub(r"[^a-z]", "", d["seller_name"].split(" ")[0].lower()) or "firm"
    tld = {"BE": "be", "NL": "nl", "FR": "fr", "DE": "de", "GB": "co.uk", "LU": "lu", "CH": "ch", "US": "com"}[d["seller_c"]]
    if rng.random() < 0.8:
        business["Company Email Address"] = rng.choice(["info", "billing", "accounts", "facturen", "compta", "buchhaltung"]) + f"@{slug}.{tld}"
    if rng.random() < 0.6:
        business["Company Website URL"] = f"www.{slug}.{tld}"
    if d["contact"]:
        business["Company Contact Person"] = d["contact"]
    fancy = rng.choice(FANCY_DATES)
    if fancy == "%B %d, %Y" and lang != "en":
        fancy = "%d %B %Y"
    if fancy:
        business["Fancy Date Format"] = {"fmt": "custom", "month": "number", "custom": fancy}
    tax_number = None
    if d["seller_c"] == "DE" and rng.random() < 0.4:
        tax_number = f"Steuernummer: {rng.randrange(10, 99)}/{rng.randrange(100, 999)}/{rng.randrange(10000, 99999)}"
    text = set_book_options(book_path, business, tax_number)
    guid = invoice_guid(text, d["inv_no"])
    options, show = plan_report(rng, family, d)
    out_html = os.path.join(work, "report.html")
    print_day = d["issue"] + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
    run_report(family, book_path, guid, options, d["loc"], out_html, os.path.join(work, "data"), print_day)
    renderer = "wkhtmltopdf" if (k % 3 == 2 and shutil.which("wkhtmltopdf")) else "chromium"
    doc_id = f"{family}-{k:03d}"
    pdf = os.path.join(out_dir, doc_id + ".pdf")
    render(renderer, out_html, pdf)

    # The truth: what this page prints.
    paid = payment if (payment and show["payments"]) else Decimal(0)
    iban_printed = bool(bank) and ((bank in d["notes"] and show["notes_inv"]) or (d["bank_extra"] and show["extra"]))
    truth = {
        "invoice_number": d["inv_no"],
        "issue_date": d["issue"].isoformat(),
        "due_date": (d["issue"] + dt.timedelta(days=d["ndays"])).isoformat() if show["due"] else None,
        "currency": d["currency"],
        "subtotal": f"{sub:.2f}",
        "vat_amount": f"{tax:.2f}" if show["vat_total"] else None,
        "total": f"{total:.2f}",
        "amount_due": f"{total - paid:.2f}",
        "seller_name": d["seller_name"],
        "seller_vat": d["seller_vat"] if (company_id and d["seller_c"] != "US") else None,
        "buyer_name": d["buyer_name"],
        "iban": d["seller_iban"] if iban_printed else None,
        "kind": "credit_note" if d["credit"] else "invoice",
        "lines": len(d["lines"]),
    }
    own = {"names": [], "vat_numbers": [], "ibans": []}
    if rng.random() < 0.8:
        own["names"] = [d["buyer_name"]]
        if buyer_vat_printed:
            own["vat_numbers"] = [d["buyer_vat"]]
    meta = dict(lang=d["lang"], locale=d["loc"], report=REPORTS[family][0])
    return doc_id, renderer, truth, own, meta


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=12, help="documents per report style")
    ap.add_argument("--seed", type=int, default=4013)
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--keep", action="store_true", help="keep the work folder (books, HTML)")
    args = ap.parse_args()
    out_dir = os.path.join(args.out, "gnucash")
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-gnucash-")
    bad = 0
    try:
        for family in args.families.split(","):
            for k in range(args.count):
                rng = random.Random(hashlib.sha256(f"{args.seed}-gnucash-{family}-{k}".encode()).hexdigest())
                work = os.path.join(tmp, f"{family}-{k:03d}")
                os.makedirs(work, exist_ok=True)
                doc_id, renderer, truth, own, meta = one(rng, family, k, work, out_dir)
                text = subprocess.run(["pdftotext", "-layout", os.path.join(out_dir, doc_id + ".pdf"), "-"],
                                      capture_output=True, text=True).stdout
                raw = subprocess.run(["pdftotext", os.path.join(out_dir, doc_id + ".pdf"), "-"], capture_output=True, text=True).stdout
                problems = [p for p in check(text, truth) if p in check(raw, truth)]
                if problems:
                    bad += 1
                    print(f"{doc_id}: not found on the page: {', '.join(problems)}", file=sys.stderr)
                manifest.append(dict(path=f"gnucash/{doc_id}.pdf", producer="gnucash", family=family, renderer=renderer,
                                     split="tune" if k % 2 == 0 else "heldout", own=own, truth=truth, **meta))
                print(doc_id, renderer, meta["locale"], file=sys.stderr)
                if not args.keep:
                    shutil.rmtree(work, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("work folder:", tmp, file=sys.stderr)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    print(f"{len(manifest)} documents, {bad} with self-check problems", file=sys.stderr)


if __name__ == "__main__":
    main()
