#!/usr/bin/env python3
r"""Invoices printed by pretix, the ticketing and event-shop software, with its own invoice renderers.

pretix (PyPI ``pretix`` 2026.8.0, Django 5.2, ReportLab 5) is what many European festivals,
conferences, museums and associations sell tickets with, and it writes the invoice for every
order itself. This script runs the real package: a throw-away pretix instance (its own Django
settings, SQLite database in a temporary directory, migrated by this script with
``python -m pretix migrate``), one organizer and event per document set up through pretix's models
and settings the way an organizer sets them in the back office, an order with positions, add-ons,
fees, an invoice address and a payment, then pretix's own ``generate_invoice`` (and, for
cancellations, ``generate_cancellation``) with the PDF made by pretix's ``invoice_pdf`` task and
the event's configured renderer. Nothing of the layout, labels or number formats is done here.

| family              | renderer class (``pretix.base.invoicing.pdf``)                                   |
|---------------------|----------------------------------------------------------------------------------|
| `classic`           | ``ClassicInvoiceRenderer`` "Classic renderer (pretix 1.0)": INVOICE FROM / INVOICE|
|                     | TO / ORDER CODE / INVOICE NUMBER / INVOICE DATE labelled blocks                    |
| `modern1`           | ``Modern1Renderer`` "Default invoice renderer (European-style letter)": window    |
|                     | address with the sender line, seller block at the right, order code / invoice    |
|                     | number / date row                                                                |
| `modern1simplified` | ``Modern1SimplifiedRenderer`` "Simplified invoice renderer": modern1 without the |
|                     | event block, "Event date:" line in the intro                                     |

All three are ReportLab with pretix's bundled Open Sans (the only font pretix ships; more come from
plugins). ``renderer`` in the manifest is ``reportlab``.

Varied (seeded): the invoice language (``invoice_language`` nl, fr, de, en, or ``__user__`` with the
order in that language) and the event region
(seller country: BE and NL mostly, DE, FR, LU), which set pretix's date and money formats (babel);
the seller's invoice address, VAT ID and sometimes a tax ID (KBO/KvK/Steuernummer/SIRET/RCS); the
invoice footer (address, IBAN/BIC/bank, e-mail, or none), introductory and additional texts; bank
transfer as payment provider with its "invoice text" (IBAN, BIC, order code) and SEPA details; two tax
rules of the seller's country (BE 21/6, NL 21/9, DE 19/7, FR 20/5.5, LU 17/3), prices including
tax mostly and net (``price_includes_tax`` off) for some B2B events; reverse charge for EU
business buyers with a validated VAT ID in another country (custom tax rules or the older
``eu_reverse_charge`` flag); buyers as companies with VAT IDs (most) or persons; 1-12 invoice rows
(tickets, repeated tickets that pretix groups into one row with a quantity, add-ons, merchandise
with variations, free products with ``invoice_include_free``, payment/shipping/service fees,
attendee names); orders paid (pretix prints its "paid" stamp), pending (with
``invoice_include_expire_date``'s "Please complete your payment before ..." in some) or partly
paid ("Received payments" / "Outstanding payments"); about two in thirteen a cancellation
(pretix's cancellation document, a credit note with negative amounts, its own number range for
some); invoice number prefixes (event slug, ``%Y``-based, counter lengths, order-code numbering)
with the counter continuing an earlier invoice of the organizer; EUR mostly, some GBP, CHF and USD
events; highlighted order code (modern renderers). The clock is pinned with ``time-machine`` to
seeded dates (orders 2024-2026), so pretix stores its own invoice and cancellation dates.

Install (Debian 12, Python 3.11; SQLite, no other service):

    apt-get install -y poppler-utils
    python3 -m venv /work/scratch/pretix/venv
    /work/scratch/pretix/venv/bin/pip install pretix==2026.8.0 time-machine==3.6.0

(the wheels bring their own libraries; no system JPEG/zlib/PostgreSQL packages are needed).

Usage: ``python3 pretix.py OUT [--count N] [--seed S] [--families a,b] [--python PY]
[--migrated-db FILE] [--keep-going]`` (``--count`` per family, default 13; ``--python`` is the interpreter with pretix,
default ``/work/scratch/pretix/venv/bin/python`` when it exists, else this one). Writes
``OUT/pretix/<family>-NNN.pdf`` and ``OUT/manifest.json`` (producer ``pretix``, family = renderer
identifier, split tune/heldout by even/odd index within the family). The pretix instance (config,
database, media) lives in a temporary directory that is removed; migrating it takes several
minutes (``--migrated-db`` copies an SQLite database migrated before by the same pretix version;
``migrate`` then has nothing left to do).

Truth comes from pretix's stored objects after it built the invoice: ``Invoice.number`` and
``date``, the ``InvoiceLine`` values (``total`` is their gross sum, pretix's "Invoice total";
checked against ``Order.total`` for invoices), the tax summary pretix prints (one row per rate:
``subtotal`` and ``vat_amount`` only when exactly one rate row is printed, as there is no single
net or VAT total on the page otherwise, and not for reverse charge, where pretix prints no tax
table at all), ``invoice_from_name`` / ``invoice_from_vat_id``, ``invoice_to_company`` or the
person's name, ``invoice_to_vat_id`` (``own``), the event currency, the number of printed rows of
the line table (pretix's own grouping of identical lines; description, attendee and
"Single price" sub-rows are not lines), ``due_date`` from ``Order.expires`` only where pretix
printed its "complete your payment before" sentence, ``amount_due`` = the outstanding sum where
pretix prints "Outstanding payments", the total for other unpaid invoices, none for paid ones and
cancellations; ``iban`` where an IBAN is in the stored footer, payment or additional text (not on
paid invoices whose only IBAN was in the bank-transfer text, which pretix replaces by "already
received"). Cancellations are ``kind: credit_note`` with amounts by absolute value (pretix prints
them negative). Every amount, number, IBAN, VAT number and the printed dates are checked against
``pdftotext -layout``; a mismatch aborts the run (``--keep-going`` skips the document).

Caveats: pretix prints "Invoice total" (gross) and the per-rate "Net value / Gross value / Tax"
table, never one net subtotal or VAT total on a multi-rate invoice; the received payments row of
a partly paid invoice is printed negative; identical positions collapse into one row whose
"Qty" is the count (with "Single price: ..." under it); the cancellation repeats the original
invoice's number and date beside its own; non-EUR events print the currency by symbol or code as
babel does for the locale; exchange-rate lines (ECB) are off (no network). The order code, event
name/date and "paid" stamp are on the page but not in the truth.
"""

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
from libraries import party  # noqa: E402  (seeded BE/NL/DE/FR/LU parties with valid VAT numbers and IBANs)
from templates import amount_forms, norm, pdftext  # noqa: E402  (the same self-check helpers)

SCRATCH = "/work/scratch/pretix"
FAMILIES = ["classic", "modern1", "modern1simplified"]

RATES = {"BE": ["21", "6"], "NL": ["21", "9"], "DE": ["19", "7"], "FR": ["20", "5.5"], "LU": ["17", "3"]}
SELLERS = {"nl": ["BE", "NL", "NL", "BE"], "fr": ["BE", "FR", "LU", "BE"], "de": ["DE", "DE", "BE", "LU"],
           "en": ["NL", "BE", "DE", "FR", "LU", "BE"]}
LANGS = ["nl", "fr", "en", "de", "nl", "en", "fr", "nl", "de", "en", "nl", "fr", "en"]
TZ = {"BE": "Europe/Brussels", "NL": "Europe/Amsterdam", "DE": "Europe/Berlin", "FR": "Europe/Paris",
      "LU": "Europe/Luxembourg"}
TAXNAME = {"nl": "btw", "fr": "TVA", "de": "MwSt.", "en": "VAT"}

TICKETS = {
    "nl": ["Dagticket", "Weekendpas", "Combiticket zaterdag + zondag", "Early bird", "VIP-arrangement",
           "Studententicket", "Congrespas (3 dagen)", "Workshop: datavisualisatie", "Toegangsticket volwassene"],
    "fr": ["Billet journée", "Pass week-end", "Entrée tarif réduit", "Pass VIP", "Atelier : photographie",
           "Pass congrès 3 jours", "Entrée adulte", "Early bird"],
    "de": ["Tagesticket", "Wochenendticket", "Ermäßigt", "VIP-Paket", "Workshop: Fotografie",
           "Kongresspass (3 Tage)", "Eintritt Erwachsene", "Frühbucher"],
    "en": ["Day ticket", "Weekend pass", "Early bird", "VIP package", "Student ticket", "Conference pass (3 days)",
           "Workshop: Data visualisation", "Regular admission"],
}
ADDONS = {"nl": ["Lunch", "Parkeerticket", "Drankbonnen (10 stuks)", "Garderobe", "Netwerkdiner"],
          "fr": ["Déjeuner", "Parking", "Jetons boissons (10)", "Vestiaire", "Dîner de gala"],
          "de": ["Mittagessen", "Parkticket", "Getränkebons (10 Stück)", "Garderobe", "Abendessen"],
          "en": ["Lunch", "Parking", "Drink vouchers (10)", "Cloakroom", "Conference dinner"]}
MERCH = {"nl": [("T-shirt", ["S", "M", "L", "XL"]), ("Hoodie", ["M", "L"]), ("Draagtas", None),
                ("Festivalposter", None), ("Programmaboekje", None)],
         "fr": [("T-shirt", ["S", "M", "L", "XL"]), ("Sweat à capuche", ["M", "L"]), ("Tote bag", None),
                ("Affiche du festival", None), ("Programme", None)],
         "de": [("T-Shirt", ["S", "M", "L", "XL"]), ("Kapuzenpullover", ["M", "L"]), ("Stofftasche", None),
                ("Festivalplakat", None), ("Programmheft", None)],
         "en": [("T-shirt", ["S", "M", "L", "XL"]), ("Hoodie", ["M", "L"]), ("Tote bag", None),
                ("Festival poster", None), ("Programme booklet", None)]}
FREE = {"nl": ["Welkomstdrankje", "Gratis rondleiding"], "fr": ["Boisson de bienvenue", "Visite guidée gratuite"],
        "de": ["Begrüßungsgetränk", "Kostenlose Führung"], "en": ["Welcome drink", "Free guided tour"]}
THEMES = {"nl": ["Jazzfestival", "Zomerfeesten", "Dataconferentie", "Boekenbeurs", "Filmfestival"],
          "fr": ["Festival de jazz", "Rencontres numériques", "Salon du livre", "Nuits musicales"],
          "de": ["Sommerfest", "Jazztage", "Datenkonferenz", "Buchmesse", "Filmtage"],
          "en": ["Jazz Festival", "Data Summit", "Design Week", "Open Source Days", "Film Festival"]}
INTRO = {"nl": ["Bedankt voor je bestelling!", "Hartelijk dank voor uw bestelling."],
         "fr": ["Merci pour votre commande !", "Nous vous remercions de votre commande."],
         "de": ["Vielen Dank für Ihre Bestellung!", "Wir bedanken uns für Ihren Einkauf."],
         "en": ["Thank you for your order!", "Thank you for your purchase."]}
PAYTEXT = {"nl": "Gelieve het bedrag over te maken op rekening {iban} (BIC {bic}) met vermelding van uw bestelcode.",
           "fr": "Veuillez virer le montant sur le compte {iban} (BIC {bic}) en mentionnant votre code de commande.",
           "de": "Bitte überweisen Sie den Betrag auf das Konto {iban} (BIC {bic}) unter Angabe Ihres Bestellcodes.",
           "en": "Please transfer the amount to account {iban} (BIC {bic}) quoting your order code."}
ADDTEXT = {"nl": ["Bankrekening: {iban} · BIC {bic}", "Tickets zijn niet terugbetaalbaar.",
                  "Algemene voorwaarden: zie onze website."],
           "fr": ["Compte bancaire : {iban} · BIC {bic}", "Les billets ne sont ni repris ni échangés.",
                  "Conditions générales : voir notre site."],
           "de": ["Bankverbindung: {iban} · BIC {bic}", "Tickets sind vom Umtausch ausgeschlossen.",
                  "Es gelten unsere AGB."],
           "en": ["Bank account: {iban} · BIC {bic}", "Tickets are non-refundable.",
                  "Our terms and conditions apply."]}
TAXID = {"BE": lambda p, r: f"KBO {p['vat'][2:6]}.{p['vat'][6:9]}.{p['vat'][9:]}",
         "NL": lambda p, r: f"KvK {r.randrange(10000000, 99999999)}",
         "DE": lambda p, r: f"{r.randrange(10, 99)}/{r.randrange(100, 999)}/{r.randrange(10000, 99999)}",
         "FR": lambda p, r: f"SIRET {p['vat'][4:]}{r.randrange(10000, 99999)}",
         "LU": lambda p, r: f"RCS B{r.randrange(10000, 299999)}"}
ORDER_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ3789"


def money(rng, lo, hi, cents=True):
    v = rng.randrange(lo * 100, hi * 100) if cents else rng.randrange(lo, hi) * 100
    return f"{v // 100}.{v % 100:02d}"


def make_job(rng, fam, idx, out_pdf):
    lang = LANGS[idx % len(LANGS)]
    sc = rng.choice(SELLERS[lang])
    seller = party(rng, sc)
    eu = ["BE", "NL", "DE", "FR", "LU"]
    r = rng.random()
    bc = sc if r < 0.55 else rng.choice([c for c in eu if c != sc]) if r < 0.92 else "GB"
    person = rng.random() < 0.22
    buyer = party(rng, bc, person=False)
    first, last = rng.choice(["Anna Jansen", "Pieter De Smet", "Julia Schneider", "Camille Laurent", "Tom Harris",
                              "Sofie Peeters", "Lukas Becker", "Emma Dubois", "Lotte Visser", "Bram Willems",
                              "Claire Martin", "Jan de Vries"]).split(" ", 1)
    cur = "EUR" if rng.random() < 0.84 else rng.choice(["GBP", "CHF", "USD"])
    rates = RATES[sc]
    rc_mode = rng.choice(["custom", "custom", "flag", "none"]) if bc != sc and not person else "none"
    includes_tax = rng.random() < 0.8
    # the organizer's shop: two tax rules, tickets on the reduced or standard rate
    ticket_rate = rng.choice([0, 1, 1]) if rng.random() < 0.7 else 0
    n_rows = rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12])
    rows = []
    tickets = rng.sample(TICKETS[lang], min(len(TICKETS[lang]), 4))
    merch = list(MERCH[lang])
    rng.shuffle(merch)
    attendees = rng.random() < 0.3
    include_free = rng.random() < 0.5
    fees = []
    used = lambda: len(rows) + len(fees) + sum(1 for r in rows if r.get("addon"))  # noqa: E731
    while used() < n_rows:
        k = rng.random()
        if k < 0.45 and tickets:
            name = tickets.pop()
            price = money(rng, 15, 120) if rng.random() < 0.6 else money(rng, 150, 900, cents=False)
            qty = rng.choice([1, 1, 1, 2, 2, 3, 4, 5])
            addon = None
            if rng.random() < 0.3 and used() + 2 <= n_rows:
                addon = dict(name=rng.choice(ADDONS[lang]), price=money(rng, 5, 60), rate=rng.choice([0, 1]))
            rows.append(dict(kind="ticket", name=name, price=price, qty=qty, rate=ticket_rate, addon=addon))
        elif k < 0.7 and merch:
            name, variants = merch.pop()
            rows.append(dict(kind="merch", name=name, price=money(rng, 8, 45), qty=rng.choice([1, 1, 2, 3]), rate=0,
                             variant=rng.choice(variants) if variants else None))
        elif k < 0.8 and include_free:
            rows.append(dict(kind="free", name=rng.choice(FREE[lang]), price="0.00", qty=1, rate=rng.choice([0, 1])))
        elif k < 0.95 and len(fees) < 2:
            ft = rng.choice([f for f in ["payment", "shipping", "service"] if f not in [x["type"] for x in fees]])
            fees.append(dict(type=ft, value=money(rng, 1, 12), rate=0))
        elif not tickets and not merch:
            fees.append(dict(type="other", value=money(rng, 2, 30), rate=0,
                             desc={"nl": "Administratiekosten", "fr": "Frais de dossier", "de": "Bearbeitungsgebühr",
                                   "en": "Handling fee"}[lang]))
    if not any(r["kind"] in ("ticket", "merch") for r in rows):
        rows.insert(0, dict(kind="ticket", name=TICKETS[lang][0], price=money(rng, 15, 120), qty=1, rate=ticket_rate,
                            addon=None))
    order_day = dt.date(2024, 1, 8) + dt.timedelta(days=rng.randrange(0, 800))
    order_dt = dt.datetime.combine(order_day, dt.time(rng.randrange(8, 22), rng.randrange(60), rng.randrange(60)))
    status = rng.choice(["paid", "paid", "paid", "pending", "pending", "pending", "pending", "partial"])
    issue_dt = order_dt + (dt.timedelta(days=rng.randrange(1, 12), hours=rng.randrange(0, 3))
                           if status == "paid" and rng.random() < 0.4 else dt.timedelta(minutes=rng.randrange(1, 5)))
    event_day = order_day + dt.timedelta(days=rng.randrange(20, 160))
    cancel = idx in (3, 8)
    prefix = rng.choice(["", "", "%Y-", "INV-%Y-", "F%Y/", "RE-%Y-", "%y", "TIX-"])
    own_is_buyer = rng.random() < 0.8
    footer_kind = rng.choice(["bank", "bank", "contact", "address", "none"])
    return dict(
        fam=fam, idx=idx, out=out_pdf, lang=lang, country=sc, tz=TZ[sc], currency=cur, rates=rates,
        seller=seller, seller_vat=rng.random() < 0.92, tax_id=TAXID[sc](seller, rng) if rng.random() < 0.3 else "",
        buyer=dict(company="" if person else buyer["name"], first=first, last=last,
                   contact=not person and rng.random() < 0.5, street=buyer["street_line"], zip=buyer["zip"],
                   city=buyer["city"], country=bc, vat_id="" if person or rng.random() < 0.1 else buyer["vat"],
                   reference=(rng.choice(["PO-", "BE-", "Ref. ", ""]) + str(rng.randrange(1000, 99999)))
                   if not person and rng.random() < 0.25 else ""),
        rc_mode=rc_mode, includes_tax=includes_tax, rows=rows, fees=fees, attendees=attendees,
        include_free=include_free, status=status, paid_share=rng.choice(["0.3", "0.5", "0.25"]),
        order_code="".join(rng.choice(ORDER_CHARS) for _ in range(5)),
        order_dt=order_dt.isoformat(), issue_dt=issue_dt.isoformat(),
        cancel_dt=(issue_dt + dt.timedelta(days=rng.randrange(2, 50), hours=rng.randrange(1, 6))).isoformat()
        if cancel else None,
        expires_days=rng.choice([3, 7, 10, 14, 14, 30]), include_expire=rng.random() < 0.6,
        event_day=event_day.isoformat(), event_days=rng.choice([0, 0, 1, 2]),
        event_name=f"{rng.choice(THEMES[lang])} {seller['city']} {event_day.year}",
        slug=f"{rng.choice(['fest', 'conf', 'expo', 'live', 'days'])}{event_day.year % 100}{rng.randrange(10, 99)}",
        prefix=prefix, prefix_cancel=rng.choice(["", "", "GS-%Y-", "CN-", "CR-%Y-", "AV-"]) if cancel else "",
        counter_len=rng.choice([3, 4, 5, 5, 6]), consecutive=rng.random() < 0.85, previous=rng.randrange(0, 400),
        footer_kind=footer_kind, paytext=rng.random() < 0.75, addtext=rng.random() < 0.4,
        add_iban=rng.random() < 0.4, intro=rng.choice(INTRO[lang]) if rng.random() < 0.4 else "",
        highlight=rng.random() < 0.6, show_payments=rng.random() < 0.9, own_is_buyer=own_is_buyer,
        paytext_tpl=PAYTEXT[lang], addtext_tpl=rng.choice(ADDTEXT[lang]), taxname=TAXNAME[lang],
        seller_email=seller["email"], seller_web=seller["web"], seller_phone=seller["phone"],
    )


# ---------------------------------------------------------------------------------------------
# The worker: runs inside pretix's interpreter with pretix's Django settings.

WORKER = r'''
import datetime as dt, json, os, sys, traceback
from decimal import Decimal
import logging
import django
django.setup()
from django.db import transaction
from django.utils.timezone import now
logging.getLogger("celery").setLevel(logging.WARNING)
import time_machine
from zoneinfo import ZoneInfo
from django.utils.formats import date_format
from django_scopes import scopes_disabled
from i18nfield.strings import LazyI18nString
from pretix.base.i18n import language
from pretix.base.models import (Event, Invoice, InvoiceAddress, Item, ItemVariation, Order, OrderFee, OrderPayment,
                                OrderPosition, Organizer, TaxRule)
from pretix.base.services.invoices import generate_cancellation, generate_invoice, invoice_pdf_task
from pretix.base.invoicing.pdf import addon_aware_groupby
from pretix.base.templatetags.money import money_filter
import pretix

D = Decimal
jobs = json.load(open(sys.argv[1]))
results = []


def ibanformat(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


def run(job):
    tz = ZoneInfo(job["tz"])
    L = job["lang"]
    loc = lambda s: LazyI18nString({L: s})  # noqa: E731
    seller = job["seller"]
    order_dt = dt.datetime.fromisoformat(job["order_dt"]).replace(tzinfo=tz)
    issue_dt = dt.datetime.fromisoformat(job["issue_dt"]).replace(tzinfo=tz)
    event_day = dt.date.fromisoformat(job["event_day"])
    with time_machine.travel(order_dt - dt.timedelta(days=60), tick=False):
        org = Organizer.objects.create(name=seller["name"], slug=f"o{job['fam'][:3]}{len(job['fam'])}x{job['idx']}",
                                       plugins="pretix.plugins.banktransfer")  # a hybrid plugin: organizer + event
        ev = Event.objects.create(
            organizer=org, name=loc(job["event_name"]), slug=job["slug"], currency=job["currency"],
            date_from=dt.datetime.combine(event_day, dt.time(10, 0), tzinfo=tz),
            date_to=dt.datetime.combine(event_day + dt.timedelta(days=job["event_days"]), dt.time(18, 0), tzinfo=tz)
            if job["event_days"] else None,
            location=loc(f"{seller['street_line']}, {seller['zip']} {seller['city']}"),
            plugins="pretix.plugins.banktransfer,pretix.plugins.ticketoutputpdf", live=True,
        )
        ev.set_defaults()
        s = ev.settings
        s.timezone = job["tz"]
        s.locale = L
        s.locales = [L]
        s.region = job["country"]
        s.invoice_language = L if job["idx"] % 3 else "__user__"
        s.invoice_renderer = job["fam"]
        s.invoice_generate = "True"
        s.invoice_address_asked = True
        s.invoice_address_vatid = True
        s.invoice_include_free = job["include_free"]
        s.invoice_include_expire_date = job["include_expire"]
        s.invoice_show_payments = job["show_payments"]
        s.invoice_attendee_name = job["attendees"]
        s.invoice_renderer_highlight_order_code = job["highlight"]
        s.invoice_numbers_prefix = job["prefix"]
        s.invoice_numbers_prefix_cancellations = job["prefix_cancel"]
        s.invoice_numbers_counter_length = job["counter_len"]
        s.invoice_numbers_consecutive = job["consecutive"]
        s.invoice_address_from_name = seller["name"]
        s.invoice_address_from = seller["street_line"]
        s.invoice_address_from_zipcode = seller["zip"]
        s.invoice_address_from_city = seller["city"]
        s.invoice_address_from_country = job["country"]
        if job["seller_vat"]:
            s.invoice_address_from_vat_id = seller["vat"]
        if job["tax_id"]:
            s.invoice_address_from_tax_id = job["tax_id"]
        iban_p = ibanformat(seller["iban"])
        fk = job["footer_kind"]
        if fk == "bank":
            footer = (f"{seller['name']} · {seller['street_line']} · {seller['zip']} {seller['city']}\n"
                      f"IBAN {iban_p} · BIC {seller['bic']} · {seller['bank']}")
        elif fk == "contact":
            footer = f"{seller['email']} · {seller['phone']} · {seller['web']}"
        elif fk == "address":
            footer = f"{seller['name']} · {seller['street_line']} · {seller['zip']} {seller['city']} · {seller['web']}"
        else:
            footer = ""
        s.invoice_footer_text = loc(footer)
        if job["intro"]:
            s.invoice_introductory_text = loc(job["intro"])
        if job["addtext"]:
            s.invoice_additional_text = loc(job["addtext_tpl"].format(iban=iban_p, bic=seller["bic"])
                                            if job["add_iban"] else job["addtext_tpl"].split("{")[0].rstrip(": ")
                                            if "{" in job["addtext_tpl"] else job["addtext_tpl"])
        s.payment_banktransfer__enabled = True
        s.payment_banktransfer_bank_details_type = "sepa"
        s.payment_banktransfer_bank_details_sepa_name = seller["name"]
        s.payment_banktransfer_bank_details_sepa_iban = seller["iban"]
        s.payment_banktransfer_bank_details_sepa_bic = seller["bic"]
        s.payment_banktransfer_bank_details_sepa_bank = seller["bank"]
        if job["paytext"]:
            s.payment_banktransfer__invoice_text = loc(job["paytext_tpl"].format(iban=iban_p, bic=seller["bic"]))
        rules = []
        for i, rate in enumerate(job["rates"]):
            tr = TaxRule(event=ev, name=loc(job["taxname"]), rate=D(rate), price_includes_tax=job["includes_tax"],
                         default=i == 0)
            if job["rc_mode"] == "flag":
                tr.eu_reverse_charge = True
                tr.home_country = job["country"]
            elif job["rc_mode"] == "custom":
                tr.custom_rules = json.dumps([
                    {"country": job["country"], "address_type": "", "action": "vat"},
                    {"country": "EU", "address_type": "business_vat_id", "action": "reverse"},
                ])
            tr.save()
            rules.append(tr)

    # the customer's order, placed at order_dt
    b = job["buyer"]
    with time_machine.travel(order_dt, tick=False), transaction.atomic():
        order = Order.objects.create(
            code=job["order_code"], event=ev, email=f"{b['first'].lower()}@example.org", status=Order.STATUS_PENDING,
            datetime=order_dt, locale=L, total=D("0.00"), sales_channel=org.sales_channels.get(identifier="web"),
            expires=dt.datetime.combine(order_dt.date() + dt.timedelta(days=job["expires_days"]),
                                        dt.time(23, 59, 59), tzinfo=tz),
        )
        ia = InvoiceAddress(order=order, is_business=bool(b["company"]), company=b["company"],
                            name_parts={"_scheme": "given_family", "given_name": b["first"], "family_name": b["last"]}
                            if (not b["company"] or b["contact"]) else {},
                            street=b["street"], zipcode=b["zip"], city=b["city"], country=b["country"],
                            vat_id=b["vat_id"], vat_id_validated=bool(b["vat_id"]),
                            internal_reference=b["reference"])
        ia.save()
        order.refresh_from_db()
        pid = 1
        attendee_pool = ["Anna Jansen", "Pieter De Smet", "Julia Schneider", "Camille Laurent", "Tom Harris",
                         "Sofie Peeters", "Lukas Becker", "Emma Dubois", "Lotte Visser", "Bram Willems"]
        for n, row in enumerate(job["rows"]):
            rule = rules[row["rate"]]
            item = Item.objects.create(event=ev, name=loc(row["name"]), default_price=D(row["price"]), tax_rule=rule,
                                       admission=row["kind"] == "ticket", personalized=row["kind"] == "ticket")
            var = None
            if row.get("variant"):
                var = ItemVariation.objects.create(item=item, value=loc(row["variant"]), default_price=D(row["price"]))
            addon_item = None
            if row.get("addon"):
                ad = row["addon"]
                addon_item = Item.objects.create(event=ev, name=loc(ad["name"]), default_price=D(ad["price"]),
                                                 tax_rule=rules[ad["rate"]], admission=False)
            for k in range(row["qty"]):
                # pretix's own price and tax computation for this invoice address (reverse charge: net price)
                price = rule.tax(D(row["price"]), invoice_address=ia).gross
                op = OrderPosition(order=order, item=item, variation=var, price=price, positionid=pid,
                                   attendee_name_parts={"_scheme": "given_family",
                                                        "given_name": attendee_pool[(n + k) % 10].split(" ", 1)[0],
                                                        "family_name": attendee_pool[(n + k) % 10].split(" ", 1)[1]}
                                   if job["attendees"] and row["kind"] == "ticket" else {})
                op._calculate_tax(invoice_address=ia)
                op.save()
                pid += 1
                if addon_item:
                    ap = rules[row["addon"]["rate"]].tax(D(row["addon"]["price"]), invoice_address=ia).gross
                    aop = OrderPosition(order=order, item=addon_item, price=ap, positionid=pid, addon_to=op)
                    aop._calculate_tax(invoice_address=ia)
                    aop.save()
                    pid += 1
        for fee in job["fees"]:
            f = OrderFee(order=order, fee_type=fee["type"], value=D(fee["value"]), description=fee.get("desc", ""),
                         internal_type="banktransfer" if fee["type"] == "payment" else "", tax_rule=rules[fee["rate"]])
            f._calculate_tax(invoice_address=ia)
            f.save()
        order.total = sum(p.price for p in order.positions.all()) + sum(f.value for f in order.fees.all())
        order.save()
        order.create_transactions(is_new=True)
        if job["status"] == "partial":
            part = (order.total * D(job["paid_share"])).quantize(D("0.01"))
            order.payments.create(local_id=1, state=OrderPayment.PAYMENT_STATE_CONFIRMED, amount=part,
                                  provider="banktransfer", payment_date=order_dt)
            order.payments.create(local_id=2, state=OrderPayment.PAYMENT_STATE_CREATED, amount=order.total - part,
                                  provider="banktransfer")
        else:
            order.payments.create(local_id=1, state=OrderPayment.PAYMENT_STATE_CREATED, amount=order.total,
                                  provider="banktransfer")

    if job["previous"] and job["consecutive"]:
        # the organizer's earlier invoices: the counter continues after the last one
        with time_machine.travel(order_dt - dt.timedelta(days=20), tick=False), transaction.atomic():
            prev = Order.objects.create(code="PREV" + job["order_code"][:1], event=ev, email="x@example.org",
                                        status=Order.STATUS_PAID, datetime=order_dt - dt.timedelta(days=20),
                                        locale=L, total=D("10.00"), expires=order_dt,
                                        sales_channel=org.sales_channels.get(identifier="web"))
            prev.create_transactions(is_new=True)
            pi = Invoice(order=prev, event=ev, organizer=org, date=(order_dt - dt.timedelta(days=20)).date())
            pi.save()
            Invoice.objects.filter(pk=pi.pk).update(
                invoice_no=Invoice._to_numeric_invoice_number(job["previous"], job["counter_len"]))

    with time_machine.travel(issue_dt, tick=False):
        if job["status"] == "paid":
            # paid by bank transfer: pretix's payment confirmation issues the invoice ("paid" stamp)
            order.payments.get(local_id=1).confirm(send_mail=False, force=True)
            order.refresh_from_db()
            inv = order.invoices.filter(is_cancellation=False).last()
            if inv is None:
                raise RuntimeError("payment confirmation issued no invoice")
        else:
            inv = generate_invoice(order, trigger_pdf=True)
    target = inv
    if job["cancel_dt"]:
        with time_machine.travel(dt.datetime.fromisoformat(job["cancel_dt"]).replace(tzinfo=tz), tick=False):
            with transaction.atomic():
                order.status = Order.STATUS_CANCELED
                order.cancellation_date = now()
                order.save()
                order.create_transactions()
            target = generate_cancellation(inv, trigger_pdf=True)
    target.refresh_from_db()
    if not target.file:
        invoice_pdf_task.apply(args=(target.pk,))
        target.refresh_from_db()
    with open(job["out"], "wb") as fo, target.file.open("rb") as fi:
        fo.write(fi.read())

    # ---- truth from pretix's stored objects
    lines = list(target.lines.all())
    key = lambda l: (l.description, l.tax_rate, l.tax_name, l.net_value, l.gross_value, l.subevent,  # noqa: E731
                     l.period_start, l.period_end)
    groups = sum(1 for _ in addon_aware_groupby(lines, key=key, is_addon=lambda l: l.description.startswith("  +")))
    total = sum((l.gross_value for l in lines), D("0.00"))
    if not target.is_cancellation:
        assert total == order.total, (total, order.total)
    rows = {}
    for l in lines:
        g, t = rows.get((l.tax_rate, l.tax_name), (D(0), D(0)))
        rows[(l.tax_rate, l.tax_name)] = (g + l.gross_value, t + l.tax_value)
    printed = [(r, g, t) for (r, n), (g, t) in rows.items() if not (r == 0 and g == 0)]
    has_tax_table = any(r != 0 and g != 0 for r, g, t in printed)
    sign = lambda x: f"{abs(x):.2f}"  # noqa: E731
    truth = dict(invoice_number=target.number, issue_date=target.date.isoformat(), currency=ev.currency,
                 total=sign(total), seller_name=target.invoice_from_name, buyer_name=target.invoice_to_company or
                 target.invoice_to_name, kind="credit_note" if target.is_cancellation else "invoice", lines=groups)
    if target.invoice_from_vat_id:
        truth["seller_vat"] = target.invoice_from_vat_id
    if has_tax_table and len(printed) == 1 and not target.reverse_charge:
        truth["subtotal"] = sign(printed[0][1] - printed[0][2])
        truth["vat_amount"] = sign(printed[0][2])
    dates = [date_format(target.date, "DATE_FORMAT")]
    with language(target.locale, ev.settings.region):
        dates = [date_format(target.date, "DATE_FORMAT")]
        if not target.is_cancellation:
            exp = date_format(order.expires, "SHORT_DATE_FORMAT")
            if job["include_expire"] and order.status == Order.STATUS_PENDING and exp in target.payment_provider_text:
                truth["due_date"] = order.expires.astimezone(tz).date().isoformat()
                dates.append(exp)
            order.refresh_from_db()
            if order.status == Order.STATUS_PENDING:
                ps = order.pending_sum
                truth["amount_due"] = sign(ps if (ev.settings.invoice_show_payments and ps != total) else total)
    texts = " ".join([target.footer_text or "", target.payment_provider_text or "", target.additional_text or "",
                      target.introductory_text or ""])
    if iban_p in texts or seller["iban"] in texts:
        truth["iban"] = seller["iban"]
    own_vat = [target.invoice_to_vat_id] if target.invoice_to_vat_id else []
    return dict(idx=job["idx"], fam=job["fam"], truth=truth, own_vat=own_vat, dates=dates,
                payment_text=target.payment_provider_text, stamp=target.payment_provider_stamp,
                payments=[(p.provider, p.state, str(p.amount)) for p in order.payments.all()],
                reverse_charge=target.reverse_charge, status=order.status, locale=target.locale)


with scopes_disabled():
    for job in jobs:
        try:
            res = run(job)
        except Exception:
            res = dict(idx=job["idx"], fam=job["fam"], error=traceback.format_exc())
        results.append(res)
        print(job["fam"], job["idx"], "error" if "error" in res else "ok", file=sys.stderr, flush=True)
json.dump(dict(version=pretix.__version__, results=results), open(sys.argv[2], "w"), indent=1, default=str)
'''


def self_check(text, t, own, dates):
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
    for d in dates:
        if norm(d) not in n:
            missing.append(f"date {d!r}")
    nh = n.replace("-", "")
    for k in ("seller_name", "buyer_name"):
        if t.get(k) and not all(norm(w).replace("-", "") in nh for w in t[k].split()):
            print(f"note: {k} {t[k]!r} wrapped/hyphenated on the page", file=sys.stderr)
    return missing


def main():
    ap = argparse.ArgumentParser(description="Invoices printed by pretix's own invoice renderers")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=13, help="documents per family")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--families", default=",".join(FAMILIES))
    venv_py = os.path.join(SCRATCH, "venv", "bin", "python")
    ap.add_argument("--python", default=venv_py if os.path.exists(venv_py) else sys.executable,
                    help="interpreter that has pretix and time-machine")
    ap.add_argument("--migrated-db", help="copy this already migrated SQLite database (same pretix version) "
                    "instead of migrating a new one")
    ap.add_argument("--keep-going", action="store_true", help="skip documents failing the self-check")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "pretix"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="pretix-")
    data = os.path.join(tmp, "data")
    os.makedirs(data)
    cfg = os.path.join(tmp, "pretix.cfg")
    with open(cfg, "w") as f:
        f.write(f"[pretix]\ninstance_name=billify-corpus\nurl=http://localhost\ndatadir={data}\n"
                f"ecb_rates=false\nregistration=off\n[database]\nbackend=sqlite3\nname={data}/db.sqlite3\n"
                f"[mail]\nfrom=noreply@localhost\n[django]\ndebug=off\n")
    env = dict(os.environ, PRETIX_CONFIG_FILE=cfg, DJANGO_SETTINGS_MODULE="pretix.settings", TZ="UTC")
    jobs, meta = [], {}
    for fam in a.families.split(","):
        for i in range(a.count):
            rng = random.Random(f"{a.seed}-pretix-{fam}-{i}")
            rel = f"pretix/{fam}-{i:03d}.pdf"
            job = make_job(rng, fam, i, os.path.join(out, rel))
            jobs.append(job)
            meta[(fam, i)] = (rel, job)
    manifest = []
    try:
        if a.migrated_db:
            shutil.copy(a.migrated_db, os.path.join(data, "db.sqlite3"))
        print("migrating the pretix database (SQLite) ...", file=sys.stderr)
        p = subprocess.run([a.python, "-m", "pretix", "migrate", "--noinput"], env=env, capture_output=True,
                           text=True, timeout=3600)
        if p.returncode != 0:
            raise SystemExit(f"pretix migrate failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
        wf = os.path.join(tmp, "worker.py")
        with open(wf, "w") as f:
            f.write(WORKER)
        jf, rf = os.path.join(tmp, "jobs.json"), os.path.join(tmp, "results.json")
        with open(jf, "w") as f:
            json.dump(jobs, f, ensure_ascii=False)
        p = subprocess.run([a.python, wf, jf, rf], env=env, cwd=tmp, text=True, timeout=7200,
                           stdout=subprocess.PIPE, stderr=None)
        if p.returncode != 0:
            raise SystemExit(f"pretix worker failed ({p.returncode})")
        with open(rf) as f:
            res = json.load(f)
        print(f"pretix {res['version']}", file=sys.stderr)
        for r in res["results"]:
            rel, job = meta[(r["fam"], r["idx"])]
            if "error" in r:
                msg = f"{rel}: pretix failed:\n{r['error']}"
                if not a.keep_going:
                    raise SystemExit(msg)
                print("SKIP", msg, file=sys.stderr)
                continue
            truth = r["truth"]
            own = ({"names": [truth["buyer_name"]], "vat_numbers": r["own_vat"], "ibans": []} if job["own_is_buyer"]
                   else {"names": [], "vat_numbers": [], "ibans": []})
            pdf = os.path.join(out, rel)
            miss = self_check(pdftext(pdf), truth, own, r["dates"])
            if miss:
                msg = f"{rel}: not found on the page: {', '.join(miss)}"
                if not a.keep_going:
                    raise SystemExit(msg)
                print("SKIP", msg, file=sys.stderr)
                os.unlink(pdf)
                continue
            manifest.append(dict(path=rel, producer="pretix", family=r["fam"], renderer="reportlab",
                                 split="tune" if r["idx"] % 2 == 0 else "heldout", own=own, truth=truth))
            print(rel, file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    print(f"{len(manifest)} documents in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
