#!/usr/bin/env python3
r"""Sales invoices printed by Lino Così, the accounting application of the Lino framework, with Lino's own templates.

Lino (Rumma & Ko, Eupen; PyPI ``lino`` 26.10.8, ``lino-xl`` 26.10.5, ``lino-cosi`` 26.4.0, Django 5.2) is
what Belgian small businesses and associations keep their books and sales in. This script runs the real
framework: for each seller country a throw-away Lino Così site (``lino_cosi.lib.cosi.settings.Site``, its
project directory and SQLite database in a temporary directory) is initialised with Lino's own ``prep``
command and the ``std`` + ``minimal_ledger`` fixtures (accounts, the sales journals SLS "Sales invoices" and
SLC "Sales credit notes", payment terms, paper types, the excerpt type of a trading invoice), and a worker
then does per document what a user does in the UI: fills in the site owner (``contacts.site_owner``, the
company row the operator edits, with its SEPA account), creates the customer (company or person, address,
language, VAT id, VAT regime) and its trading rule (payment term, paper type), catalogue products,
a ``trading.VatProductInvoice`` in SLS or SLC with ``InvoiceItem`` rows (``product_changed`` /
``unit_price_changed``), ``register()`` (Lino computes the VAT per rule, totals, due date and number) and
the print action ``do_print`` (which makes the excerpt and the PDF with the user's build method).
Nothing of the layout, labels, translations or number and date formats is done here.

| family  | build method (``BuildMethods``) | template                                             | renderer    |
|---------|---------------------------------|------------------------------------------------------|-------------|
| `weasy` | ``weasy2pdf`` (Lino Così's      | ``trading/VatProductInvoice/default.weasy.html``     | WeasyPrint  |
|         | default)                        | (extends ``accounting/voucher_base.weasy.html``)     |             |
| `appy`  | ``appypdf`` (``lino_xl.lib.appypod``, | ``trading/VatProductInvoice/Default.odt`` with | LibreOffice |
|         | chosen in the user's preferences) | ``letter_margin_top.html`` and ``trailer.html``    |             |

`weasy`: recipient box ("Recipient:" / "Empfänger:" / "Destinataire:"), "Date: 14. März 2025", the
title "Rechnung 164/2025" (journal's printed name, number/year), "Our reference: SLS 164/2025", "Your
reference", "Your VAT id" (the customer's, as Lino formats it: "BE 0477.472.701") and "Your customer id",
the items table with the paper type's columns, a totals block (one rate: Total excl. VAT / VAT / Total
incl. VAT; several: one row per Peppol VAT category and rule, e.g. "S (21%)", "AE (0%)", and "Totals"),
"Due date" and "Payment terms", and in the page footer the site owner's name and address and "Page 1 of 1".
`appy`: Lino's letterhead (its logo above the site owner's address), "Gent, den 14. März 2025", the recipient
address, the items table of ``trading.ItemsByInvoicePrint`` (with a "Total (3 rows)" row), Total excl. VAT /
VAT / Total incl. VAT, "Date of payment", "Payment terms" and "Lino Così 26.4.0" at the bottom.
wkhtmltopdf is not used: ``lino.modlib.wkhtmltopdf`` is deprecated and its ``default.wk.html`` (Jinja
syntax under a Django-template build method, no totals) does not render an invoice.

Varied (seeded): the seller (site owner) in BE (about half) or NL, DE, FR, LU, with legal forms
(BV/NV/BVBA/SRL/SA/CommV, B.V./V.O.F., GmbH/AG/UG, SAS/SARL/EURL, S.à r.l.), addresses, VAT ids with valid
check digits and IBANs (``libraries.party``); one Lino site per seller country (``countries.country_code``,
``countries.full_data`` so that cities and countries have Lino's translated names); VAT: Lino's ``bevat``
plugin for Belgian sites (21 % goods/services, 12 % reduced, 0 % exempt, intra-community and outside-EU
regimes), for the others a small national declaration plugin written into the site the way
``lino_xl.lib.eevat`` is (Lino ships none for NL/DE/FR/LU): NL 21/9, DE 19/7, FR 20/5.5, LU 17/3; customers
in the same country (regime "subject" with a VAT id, "normal" for persons and companies without one),
in another EU country (intra-community reverse charge, "AE (0%)") or in GB ("outside EU", 0 %);
companies (four in five) or persons (with gender, printed with Lino's salutation); the document language
(the customer's ``language``: nl, fr, de, en); 1-15 items, catalogue products or free titles, VAT classes
(goods, services, reduced, exempt postage), quantities with decimals, discount rates on some items,
descriptions under some titles; the paper type's ``columns_to_print`` (default, with product and
discount columns, with totals excl./incl. VAT); payment terms from Lino's std fixture (advance, 7, 10, 30,
60, 90 days, end of month); intro texts and customer references; invoice dates 2024-2026; two in 18 `weasy`
documents are credit notes (journal SLC, "Credit note" / "Gutschrift" / "Note de crédit").

Install (Debian 12; appy needs the system Python's uno and libtidy, so the venv is made from
``/usr/bin/python3`` with the system site packages, as Lino's appypod documentation says):

    apt-get install -y poppler-utils libreoffice-writer-nogui python3-uno tidy
    /usr/bin/python3 -m venv --system-site-packages /work/scratch/lino-venv
    /work/scratch/lino-venv/bin/pip install lino-cosi==26.4.0 lino-xl==26.10.5 lino==26.10.8 \
        lino-react==26.10.1 Django==5.2.20 weasyprint==70.0 appy==1.0.22 odfpy==1.4.1

(``lino-react`` is the web front end a Lino site needs to start; nothing is served.)

Usage: ``python3 lino.py OUT [--count N] [--seed S] [--families a,b] [--python PY] [--keep-going]``
(``--count`` per family, default 18; ``--python`` is the interpreter with Lino, default
``/work/scratch/lino-venv/bin/python`` when it exists, else this one). Writes ``OUT/lino/<family>-NNN.pdf``
and ``OUT/manifest.json`` (producer ``lino``, renderer ``weasyprint`` or ``libreoffice``, split tune/heldout
by even/odd index within the family). LibreOffice runs as a UNO server on a free loopback port for the
`appy` family and is stopped afterwards; the sites, databases and media are removed. A run is
deterministic given the seed (the PDFs carry creation times, the manifest does not). A full run (36
documents, five sites) takes about 1.5 minutes.

Truth comes from Lino's stored voucher after ``register()``: ``invoice_number`` = "number/year" as in the
`weasy` title (`appy` prints no number), ``issue_date`` = ``voucher_date``, ``due_date`` = ``due_date``
(from the payment term), ``subtotal`` / ``vat_amount`` / ``total`` = ``total_base`` / ``total_vat`` /
``total_incl`` (credit notes are printed with positive amounts and kind ``credit_note``), ``seller_name`` =
the site owner's name, ``buyer_name`` = the customer's name (persons without salutation), ``lines`` = the
number of items. own: in about four documents in five the reading organisation is the customer (its name,
and its VAT id where the page prints it: `weasy` "Your VAT id"), else the seller (its name; the page prints
neither its VAT id nor its IBAN). The amounts, the title with number ("Gutschrift 295/2026"), the reference
("SLS 295/2026"), the dates as Lino formats them (``dd.fdl`` / ``dd.fds`` / ``get_letter_date_text`` in the
document language), the names and own VAT ids are checked against ``pdftotext -layout``; a mismatch aborts
(``--keep-going`` skips the document).

Caveats: Lino prints no currency (no "EUR", no "€") and no amount due, and neither template prints the
seller's VAT id or bank account (the footer and letterhead give name and address only), so ``currency``,
``seller_vat``, ``iban`` and ``amount_due`` are never in the truth. `appy` prints no document title or
number at all (the ODT's heading is "do title if False"; a lone "-" stands where it was), so it has no
``invoice_number`` and no credit notes (they would read as invoices); its totals are ``str(Decimal)``
("4380.86") while its table uses "4 380,86", and unit prices have four decimals. Lino's Dutch catalogue
translates almost none of these labels: Dutch documents have English labels with Dutch dates and the
recipient label "EmpfängerEmpfänger:" (as Lino prints it); French ones say "Invoice 12/2025" (no French
printed name for the journal in the fixtures' catalogue) and "Notre référence::"; "Your VAT id", "Your
customer id" and "VAT category" stay English in German and French, "Totals" and "Amount" in French. Dates: issue date long
("14. März 2025", "5 januari 2026"), due date short ("13.04.25" in German, "31-01-2026" in Dutch,
"31/01/2026" in French and English). Lino's Belgian VAT rules know no 6 % rate; the multi-rate table prints
rates with ``{:.0%}`` (5.5 % would read "6%") and has one row per VAT class and rule, so goods and services
at 21 % are two "S (21%)" rows. The "Invoiced object" column of the default paper type is empty (no
invoicing plan). Invoice numbers are Lino's yearly numbering per journal (max + 1); to make them look like
a business's, a draft voucher with a drawn number stands for the invoices issued earlier that year.
Both families share the five sites, so numbers are shared between them.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from libraries import party  # noqa: E402  (seeded BE/NL/DE/FR/LU/GB parties, valid VAT ids and IBANs)
from templates import amount_forms, norm, pdftext  # noqa: E402  (the same self-check helpers)
from manifest import halves, print_coverage, write_manifest  # noqa: E402  (the manifest and its summary)

SCRATCH = "/work/scratch/lino-venv"
FAMILIES = {"weasy": dict(bm="weasy2pdf", renderer="weasyprint"),
            "appy": dict(bm="appypdf", renderer="libreoffice")}

# The national VAT rates a site of that country declares (BE: Lino's own bevat plugin).
NATVAT = {"NL": ("0.21", "0.09"), "DE": ("0.19", "0.07"), "FR": ("0.20", "0.055"), "LU": ("0.17", "0.03")}
SELLERS = ["BE"] * 11 + ["NL", "NL", "NL", "DE", "DE", "DE", "FR", "FR", "LU", "LU"]
LANGS = {"BE": ["nl", "fr", "nl", "fr", "de", "en"], "NL": ["nl", "nl", "en"], "DE": ["de", "de", "en"],
         "FR": ["fr", "fr", "en"], "LU": ["fr", "de", "en"]}
BUYER_LANG = {"BE": ["nl", "fr"], "NL": ["nl"], "DE": ["de"], "FR": ["fr"], "LU": ["fr", "de"], "GB": ["en"]}
TERMS = ["30", "30", "30", "07", "10", "60", "EOM", "EOM", "PIA", "90"]
COLUMNS = [None, None, "title unit_price qty amount", "product title unit_price qty discount_rate amount",
           "title qty unit_price total_base total_incl", "title unit_price qty total_incl"]
FIRST = {"m": ["Pieter", "Lukas", "Bram", "Jan", "Thomas", "Luc", "Marc", "Olivier"],
         "f": ["Anna", "Sofie", "Julia", "Camille", "Lotte", "Emma", "Claire", "Marie"]}
LAST = ["Jansen", "De Smet", "Schneider", "Laurent", "Peeters", "Becker", "Dubois", "Visser", "Willems", "Martin",
        "Lambert", "Maes", "Hoffmann", "Mertens"]
# (title, VAT class: s=services, g=goods, r=reduced, x=exempt)
ITEMS = {
    "en": "Consulting services|s;Web hosting (monthly)|s;Office chairs|g;Printer toner cartridges|g;Laptop stand|g;"
          "Training day|s;Software licence (1 year)|s;Reference books|r;Catering (lunch buffet)|r;Postage|x;"
          "Maintenance contract|s;Network installation|s;Desk lamps|g;Project management|s;Translation EN-FR|s",
    "nl": "Adviesdiensten|s;Webhosting (maandelijks)|s;Bureaustoelen|g;Tonercartridges|g;Laptopstandaard|g;"
          "Opleidingsdag|s;Softwarelicentie (1 jaar)|s;Vakboeken|r;Catering (lunchbuffet)|r;Portkosten|x;"
          "Onderhoudscontract|s;Installatie netwerk|s;Bureaulampen|g;Projectbegeleiding|s;Vertaling NL-FR|s",
    "fr": "Prestation de conseil|s;Hébergement web (mensuel)|s;Chaises de bureau|g;Cartouches de toner|g;"
          "Support pour portable|g;Journée de formation|s;Licence logiciel (1 an)|s;Ouvrages de référence|r;"
          "Traiteur (buffet)|r;Frais de port|x;Contrat de maintenance|s;Installation réseau|s;Lampes de bureau|g;"
          "Gestion de projet|s;Traduction FR-NL|s",
    "de": "Beratungsleistungen|s;Webhosting (monatlich)|s;Bürostühle|g;Tonerkartuschen|g;Laptopständer|g;"
          "Schulungstag|s;Softwarelizenz (1 Jahr)|s;Fachbücher|r;Catering (Mittagsbuffet)|r;Porto|x;"
          "Wartungsvertrag|s;Netzwerkinstallation|s;Schreibtischlampen|g;Projektleitung|s;Übersetzung DE-FR|s",
}
DESCS = {"en": "Period: {m}. Includes travel time.", "nl": "Periode: {m}. Inclusief verplaatsingen.",
         "fr": "Période : {m}. Déplacements compris.", "de": "Zeitraum: {m}. Inklusive Anfahrt."}
INTROS = {"en": ["Thank you for your order.", "As agreed, we invoice you for the following."],
          "nl": ["Wij danken u voor uw bestelling.", "Zoals afgesproken factureren wij u het volgende."],
          "fr": ["Nous vous remercions de votre commande.", "Comme convenu, nous vous facturons ce qui suit."],
          "de": ["Vielen Dank für Ihren Auftrag.", "Wie vereinbart berechnen wir Ihnen folgende Leistungen."]}
CLASSES = {"s": "services", "g": "goods", "r": "reduced", "x": "exempt"}


def make_job(rng, fam, idx):
    sc = SELLERS[rng.randrange(len(SELLERS))]
    seller = party(rng, sc)
    eu = ["BE", "NL", "DE", "FR", "LU"]
    r = rng.random()
    bc = sc if r < 0.6 else rng.choice([c for c in eu if c != sc]) if r < 0.93 else "GB"
    person = rng.random() < 0.2
    buyer = party(rng, bc)
    if person:
        g = rng.choice("mf")
        buyer.update(first=rng.choice(FIRST[g]), last=rng.choice(LAST), gender=g, vat="")
        buyer["name"] = f"{buyer['first']} {buyer['last']}"
    elif bc != "GB" and rng.random() < 0.08:
        buyer["vat"] = ""  # a company whose VAT id the user did not enter
    if person or not buyer["vat"]:
        regime = "outside" if bc == "GB" else "normal"
    else:
        regime = "subject" if bc == sc else "outside" if bc == "GB" else "intracom"
    lang = rng.choice(LANGS[sc]) if bc == sc or rng.random() < 0.3 else rng.choice(BUYER_LANG[bc] + ["en"])
    day = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(0, 1050))
    credit = fam == "weasy" and idx % 9 == 4
    n = rng.choice([1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10, 12, 15])
    names = [x.split("|") for x in ITEMS[lang].split(";")]
    rng.shuffle(names)
    if rng.random() < 0.6:  # most invoices are mainly services or mainly goods
        kind = rng.choice("sg")
        names.sort(key=lambda t: t[1] != kind)
    lines = []
    for k in range(n):
        title, vc = names[k % len(names)]
        if k >= len(names):
            title += f" ({rng.choice(['II', 'B', 'extra'])})"
        if rng.random() < 0.15 and vc != "x":
            vc = "r"
        price = rng.choice([rng.randrange(5, 150), rng.randrange(50, 2500), rng.randrange(100, 90000) / 100])
        qty = rng.choice(["1", "1", "1", "2", "3", "4", "5", "6", "8", "10", "12", "20", "1.5", "2.5", "7.5", "0.5"]
                         if price < 200 else ["1", "1", "1", "1", "2", "2", "3", "0.5", "1.5", "2.5"])
        if vc == "x":  # postage
            qty, price = "1", rng.randrange(150, 3500) / 100
        lines.append(dict(title=title, vc=CLASSES[vc], qty=qty, price=f"{price:.2f}",
                          product=rng.random() < 0.5, discount=rng.choice(["5", "10", "15", "20"])
                          if rng.random() < 0.1 else None,
                          desc=DESCS[lang].format(m=f"{day.month:02d}/{day.year}") if rng.random() < 0.08 else ""))
    return dict(key=f"{fam}-{idx:03d}", fam=fam, idx=idx, bm=FAMILIES[fam]["bm"], country=sc, lang=lang,
                seller=seller, seller_lang=rng.choice(LANGS[sc]), buyer=buyer, person=person, regime=regime,
                date=day.isoformat(), credit=credit, lines=lines, term=rng.choice(TERMS),
                columns=rng.choice(COLUMNS) if fam == "weasy" else None,
                floor=rng.choice([0, 0, rng.randrange(1, 40), rng.randrange(20, 400), rng.randrange(100, 2000)]),
                intro=rng.choice(INTROS[lang]) if rng.random() < 0.3 else "",
                your_ref=rng.choice(["PO-", "BC ", "Best. ", "", "REF-"]) + str(rng.randrange(1000, 99999))
                if rng.random() < 0.35 else "", own_is_buyer=rng.random() < 0.8)


# ---------------------------------------------------------------------------------------------
# The Lino site: settings, a national VAT plugin for non-Belgian sites, the worker.

SETTINGS = '''
from lino_cosi.lib.cosi.settings import *


class Site(Site):
    languages = "en de fr nl"
    default_ui = "lino_react.react"
    demo_fixtures = ["std", "minimal_ledger"]
    appy_params = dict(ooPort={port}, raiseOnError=True)

    def get_installed_plugins(self):
        yield super().get_installed_plugins()
        yield "lino_xl.lib.appypod"

    def get_plugin_configs(self):
        yield super().get_plugin_configs()
        yield ("countries", "country_code", "{country}")
        yield ("countries", "full_data", True)
        yield ("vat", "declaration_plugin", "{declaration}")


SITE = Site(globals())
SECRET_KEY = "billify-corpus"
DEBUG = False
'''

# Lino ships national VAT rules for Belgium (bevat), Estonia and Bangladesh only: a site in another
# country declares its own, the way lino_xl.lib.eevat does (regimes, then rules by class and area).
NATVAT_INIT = '''
from lino import ad


class Plugin(ad.Plugin):
    needs_plugins = ["lino_xl.lib.vat"]
'''
NATVAT_MODELS = '''
from lino.api import _
from lino_xl.lib.accounting.choicelists import CommonAccounts
from lino_xl.lib.vat.choicelists import VatAreas, VatRegimes, VatRules

NAT, EU, INT = VatAreas.national, VatAreas.eu, VatAreas.international
VatRegimes.clear()
add = VatRegimes.add_item
add("10", _("Private person"), "normal")
add("20", _("Subject to VAT"), "subject", NAT, needs_vat_id=True)
add("25", _("Co-contractor"), "cocontractor", NAT, needs_vat_id=True, reverse_charge=True)
add("30", _("Intra-community"), "intracom", EU, needs_vat_id=True, reverse_charge=True)
add("50", _("Outside EU"), "outside", INT)
add("60", _("Exempt"), "exempt")
VatRules.clear()
add = VatRules.add_item
add(None, "0", None, None, "exempt")
add(None, "0", None, None, "outside")
for vat_class, rate in [("goods", "{std}"), ("services", "{std}"), ("investments", "{std}"), ("reduced", "{red}")]:
    for vat_regime, area in [("intracom", EU), ("cocontractor", NAT)]:
        add(vat_class, rate, area, "purchases", vat_regime, CommonAccounts.vat_deductible,
            CommonAccounts.vat_returnable)
        add(vat_class, None, area, "sales", vat_regime)
    add(vat_class, rate, NAT, "purchases", "subject", CommonAccounts.vat_deductible)
    add(vat_class, rate, None, "sales", None, CommonAccounts.vat_due)
add()
'''

WORKER = r'''
import json, os, sys, traceback
import datetime as dt
from decimal import Decimal as D
import django
django.setup()
from django.conf import settings
from django.utils import translation
from lino.api import dd, rt
from lino.modlib.printing.choicelists import BuildMethods
import lino, lino_xl, lino_cosi

M = rt.models
VatClasses, VatRegimes = M.vat.VatClasses, M.vat.VatRegimes
jobs = json.load(open(sys.argv[1]))
users = {}
for bm in ("weasy2pdf", "appypdf"):  # each user prints with the build method of his preferences
    u = M.users.User(username=bm, user_type=M.users.UserTypes.admin, language="en",
                     build_method=BuildMethods.get_by_value(bm))
    u.full_clean()
    u.save()
    users[bm] = u
owner = dd.plugins.contacts.site_owner  # contacts.site_owner_id = 1, the row the operator fills in
paper_types = {}


def place(code, name):
    c = M.countries.Country.objects.get(isocode=code)
    p = M.countries.Place.objects.filter(country=c, name=name).first()
    if p is None:
        p = M.countries.Place(country=c, name=name)
        p.full_clean()
        p.save()
    return p


def address(obj, p):
    obj.country = M.countries.Country.objects.get(isocode=p["country"])
    obj.street, obj.street_no, obj.zip_code = p["street"], p["house"], p["zip"]
    obj.city = place(p["country"], p["city"])


def paper_type(cols):
    if cols not in paper_types:
        pt = M.trading.PaperType(ref=f"P{len(paper_types)}", template="default.weasy.html", columns_to_print=cols,
                                 designation=f"Paper {len(paper_types)}")
        pt.full_clean()
        pt.save()
        paper_types[cols] = pt
    return paper_types[cols]


def run(j):
    s, b = j["seller"], j["buyer"]
    date = dt.date.fromisoformat(j["date"])
    owner.name, owner.vat_id, owner.language = s["name"], s["vat"], j["seller_lang"]
    address(owner, s)
    owner.full_clean()
    owner.save()
    M.sepa.Account.objects.filter(partner=owner).delete()
    M.sepa.Account(partner=owner, iban=s["iban"], bic=s["bic"], primary=True).save()
    if j["person"]:
        p = M.contacts.Person(first_name=b["first"], last_name=b["last"],
                              gender=dd.Genders.male if b["gender"] == "m" else dd.Genders.female)
    else:
        p = M.contacts.Company(name=b["name"])
    address(p, b)
    p.language, p.vat_id, p.vat_regime = j["lang"], b["vat"], VatRegimes.get_by_name(j["regime"])
    p.full_clean()
    p.save()
    tr = p.get_trading_rule(M.accounting.TradeTypes.sales)  # the customer's payment term and paper type
    tr.payment_term = M.accounting.PaymentTerm.objects.get(ref=j["term"])
    if j["columns"]:
        tr.paper_type = paper_type(j["columns"])
    tr.full_clean()
    tr.save()
    user = users[j["bm"]]
    ar = rt.login(user.username)
    jnl = M.accounting.Journal.objects.get(ref="SLC" if j["credit"] else "SLS")
    inv = M.trading.VatProductInvoice(journal=jnl, partner=p, user=user, voucher_date=date, entry_date=date,
                                      intro=j["intro"], your_ref=j["your_ref"])
    inv.full_clean()
    if j["floor"] >= inv.number:  # the invoices issued earlier this year (only their numbers matter here)
        old = M.trading.VatProductInvoice(journal=jnl, partner=p, user=user, voucher_date=date, entry_date=date,
                                          number=j["floor"], narration="earlier invoice")
        old.full_clean()
        old.save()
        inv.number = None
        inv.full_clean()
    inv.save()
    for k, l in enumerate(j["lines"]):
        item = M.trading.InvoiceItem(voucher=inv, seqno=k + 1, qty=D(l["qty"]))
        if l["product"]:  # a catalogue product: title and price come from the product
            prod = M.products.Product(name=l["title"], sales_price=D(l["price"]),
                                      vat_class=VatClasses.get_by_name(l["vc"]))
            prod.full_clean()
            prod.save()
            item.product = prod
            item.product_changed(ar)
        else:
            item.title, item.unit_price = l["title"], D(l["price"])
            item.vat_class = VatClasses.get_by_name(l["vc"])
        if l["discount"]:
            item.discount_rate = D(l["discount"])
        if l["desc"]:
            item.description = l["desc"]
        item.unit_price_changed(ar)
        item.full_clean()
        item.save()
    inv.full_clean()
    inv.save()
    inv.register(ar)
    inv.save()
    rv = ar.run(inv.do_print)
    src = os.path.join(settings.SITE.media_root, rv["open_url"].split("/media/", 1)[1])
    os.makedirs(os.path.dirname(j["out"]), exist_ok=True)
    os.replace(src, j["out"])
    inv = M.trading.VatProductInvoice.objects.get(pk=inv.pk)
    rcp = inv.recipient
    with translation.override(j["lang"]):
        printed = dict(date=dd.fdl(inv.voucher_date), due=dd.fds(inv.due_date) if inv.due_date else "",
                       letter=settings.SITE.get_letter_date_text(inv.voucher_date),
                       title=str(dd.babelattr(jnl, "printed_name")))
    return dict(key=j["key"], number=inv.number, year=str(inv.accounting_period.year), ref=str(inv),
                date=inv.voucher_date.isoformat(), due=inv.due_date.isoformat() if inv.due_date else None,
                base=str(inv.total_base), vat=str(inv.total_vat), incl=str(inv.total_incl),
                items=inv.items.count(), rates=sorted({str(r.rate) for c, r, b, v in inv.vat_subtotals}),
                regime=inv.vat_regime.name, buyer_vat=p.vat_id, buyer_name=p.get_full_name(salutation=False),
                recipient_lines=list(rcp.get_address_lines()), seller_name=owner.name, printed=printed,
                term=str(inv.payment_term))


results = []
for j in jobs:
    try:
        results.append(run(j))
    except Exception:
        results.append(dict(key=j["key"], error=traceback.format_exc()))
    print(j["key"], "error" if "error" in results[-1] else "ok", file=sys.stderr, flush=True)
json.dump(dict(versions=dict(lino=lino.__version__, lino_xl=lino_xl.__version__, lino_cosi=lino_cosi.__version__),
               results=results), open(sys.argv[2], "w"), indent=1)
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_soffice(tmp):
    """LibreOffice as a UNO server on the loopback, as appy.pod expects it."""
    port = free_port()
    p = subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore",
                          f"-env:UserInstallation=file://{tmp}/lo-profile",
                          f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(120):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return p, port
        except OSError:
            time.sleep(0.5)
    raise SystemExit("LibreOffice did not start listening")


def run_site(py, tmp, country, jobs, port):
    """One Lino site per seller country: project directory, `prep`, then the worker."""
    site = os.path.join(tmp, f"site_{country.lower()}")
    os.makedirs(os.path.join(site, "corpus_site"))
    decl = "lino_xl.lib.bevat" if country == "BE" else "natvat"
    with open(os.path.join(site, "corpus_site", "settings.py"), "w") as f:
        f.write(SETTINGS.format(port=port, country=country, declaration=decl))
    open(os.path.join(site, "corpus_site", "__init__.py"), "w").close()
    if country != "BE":
        os.makedirs(os.path.join(site, "natvat"))
        with open(os.path.join(site, "natvat", "__init__.py"), "w") as f:
            f.write(NATVAT_INIT)
        std, red = NATVAT[country]
        with open(os.path.join(site, "natvat", "models.py"), "w") as f:
            f.write(NATVAT_MODELS.replace("{std}", std).replace("{red}", red))
    with open(os.path.join(site, "manage.py"), "w") as f:
        f.write("import sys\nfrom django.core.management import execute_from_command_line\n"
                "execute_from_command_line(sys.argv)\n")
    with open(os.path.join(site, "worker.py"), "w") as f:
        f.write(WORKER)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="corpus_site.settings", PYTHONPATH=site, TZ="Europe/Brussels")
    env.pop("LINO_CACHE_ROOT", None)  # keep the site's database and media in the temporary directory
    p = subprocess.run([py, "manage.py", "prep", "--noinput"], cwd=site, env=env, capture_output=True, text=True,
                       timeout=900)
    if p.returncode != 0:
        raise SystemExit(f"lino prep failed ({country}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    jf, rf = os.path.join(site, "jobs.json"), os.path.join(site, "results.json")
    with open(jf, "w") as f:
        json.dump(jobs, f, ensure_ascii=False)
    p = subprocess.run([py, "worker.py", jf, rf], cwd=site, env=env, text=True, timeout=3600,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0 or not os.path.exists(rf):
        raise SystemExit(f"lino worker failed ({country}):\n{p.stderr[-4000:]}")
    with open(rf) as f:
        return json.load(f)


def s2(x):
    return f"{abs(Decimal(x)):.2f}"


def compact(s):
    return re.sub(r"[\s.\u00a0\u202f-]", "", s).upper()


def self_check(text, t, r, own, fam):
    n = norm(text)
    missing = []
    for k in ("subtotal", "vat_amount", "total"):
        if k in t and not any(norm(f) in n for f in amount_forms(t[k])):
            missing.append(f"{k}={t[k]}")
    pr = r["printed"]
    want = [pr["due"]] if "due_date" in t else []
    if fam == "weasy":
        want += [pr["date"], f"{pr['title']} {t['invoice_number']}", r["ref"]]
    else:
        want.append(pr["letter"])
    for w in want:
        if norm(w) not in n:
            missing.append(f"printed {w!r}")
    for v in own["vat_numbers"]:
        if compact(v) not in compact(text):
            missing.append(f"own vat {v}")
    nh = n.replace("-", "")
    for k in ("seller_name", "buyer_name"):
        if not all(norm(w).replace("-", "") in nh for w in t[k].split()):
            missing.append(f"{k}={t[k]}")
    return missing


def truth_of(job, r, fam):
    t = dict(issue_date=r["date"])
    if fam == "weasy":
        t["invoice_number"] = f"{r['number']}/{r['year']}"
    if r["due"]:
        t["due_date"] = r["due"]
    t.update(subtotal=s2(r["base"]), vat_amount=s2(r["vat"]), total=s2(r["incl"]), seller_name=r["seller_name"],
             buyer_name=r["buyer_name"], kind="credit_note" if job["credit"] else "invoice", lines=r["items"])
    if job["own_is_buyer"]:
        own = {"names": [r["buyer_name"]], "vat_numbers": [job["buyer"]["vat"]] if job["buyer"]["vat"] and
               fam == "weasy" else [], "ibans": []}
    else:
        own = {"names": [r["seller_name"]], "vat_numbers": [], "ibans": []}
    return t, own


def main():
    ap = argparse.ArgumentParser(description="Sales invoices printed by Lino Così (Lino's own templates)")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=18, help="documents per family")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--families", default=",".join(FAMILIES))
    venv_py = os.path.join(SCRATCH, "bin", "python")
    ap.add_argument("--python", default=venv_py if os.path.exists(venv_py) else sys.executable,
                    help="interpreter that has lino-cosi, weasyprint, appy and (system) uno")
    ap.add_argument("--keep-going", action="store_true", help="skip documents failing the self-check")
    a = ap.parse_args()
    t0 = time.time()
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "lino"), exist_ok=True)
    fams = a.families.split(",")
    jobs = []
    for fam in fams:
        for i in range(a.count):
            rng = random.Random(f"{a.seed}-lino-{fam}-{i}")
            job = make_job(rng, fam, i)
            job["rel"] = f"lino/{fam}-{i:03d}.pdf"
            job["out"] = os.path.join(out, job["rel"])
            jobs.append(job)
    tmp = tempfile.mkdtemp(prefix="lino-")
    lo = None
    manifest, results, versions = [], {}, {}
    try:
        port = 8100
        if "appy" in fams:
            lo, port = start_soffice(tmp)
        for country in ["BE", "NL", "DE", "FR", "LU"]:
            js = sorted([j for j in jobs if j["country"] == country], key=lambda j: (j["date"], j["key"]))
            if js:
                res = run_site(a.python, tmp, country, js, port)
                versions = res["versions"]
                results.update({r["key"]: r for r in res["results"]})
                print(f"site {country}: {len(js)} documents", file=sys.stderr)
    finally:
        if lo is not None:
            os.killpg(lo.pid, 15)
            lo.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    for job in jobs:
        r, fam, rel = results[job["key"]], job["fam"], job["rel"]
        if "error" in r:
            msg = f"{rel}: Lino failed:\n{r['error']}"
            if not a.keep_going:
                raise SystemExit(msg)
            print("SKIP", msg, file=sys.stderr)
            continue
        t, own = truth_of(job, r, fam)
        miss = self_check(pdftext(job["out"]), t, r, own, fam)
        if miss:
            msg = f"{rel}: not found on the page: {', '.join(miss)}"
            if not a.keep_going:
                raise SystemExit(msg)
            print("SKIP", msg, file=sys.stderr)
            os.unlink(job["out"])
            continue
        manifest.append(dict(path=rel, producer="lino", family=fam, renderer=FAMILIES[fam]["renderer"],
                             split="tune" if job["idx"] % 2 == 0 else "heldout", own=own, truth=t))
    write_manifest(out, manifest)
    print(f"Lino {versions}", file=sys.stderr)
    print(f"{len(manifest)} documents in {out}: " + halves(manifest), file=sys.stderr)
    print_coverage(manifest)
    print(f"wall time {time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
