#!/usr/bin/env python3
r"""Invoices printed by open-source billing and e-commerce software from PyPI, with its own templates.

Subscription billing back ends and web shops print their invoices with the template the software
ships; most users never restyle it. This script runs two such Django applications on seeded data
(a Django project written by the script, SQLite in a temporary directory, the applications' own
migrations), lets each compute and print its own invoices, and writes a scored corpus:

| family           | software (how it is run)                                          | renderer  |
|------------------|-------------------------------------------------------------------|-----------|
| `silver`         | PyPI `django-silver` 0.11.1 (Presslabs Silver, Django 3.2.25):    | xhtml2pdf |
|                  | Provider, Customer, Invoice and DocumentEntry models; the invoice |           |
|                  | is issued through its state machine (`issue()`, which numbers it, |           |
|                  | takes the customer's sales tax and computes the total), credit    |           |
|                  | notes are Silver's storno invoices (`pay()` then                  |           |
|                  | `create_storno()`, entries with negated quantities, "Storno of    |           |
|                  | ..."); the PDF is Silver's own `generate_pdf()`: its              |           |
|                  | `billing_documents/invoice_pdf.html` template rendered by         |           |
|                  | xhtml2pdf with its bundled Open Sans                               |           |
| `oscar-invoices` | PyPI `django-oscar-invoices` 0.2 on `django-oscar` 3.2.4: a shop  | chromium  |
|                  | (catalogue products, stock records, a `FixedRateTax` strategy     |           |
|                  | with per-product rates, a fixed-price or free shipping method),   |           |
|                  | orders placed through Oscar's `OrderCreator`, the invoice made by |           |
|                  | `InvoiceCreator.create_invoice()` (its `oscar_invoices/invoice.html` |        |
|                  | document, Oscar's `currency` filter through Babel); the stored    |           |
|                  | HTML document printed to A4 by puppeteer-core + Debian's Chromium |           |
|                  | the way a shop owner prints it from the browser                   |           |

Silver's template is English only (its labels are not marked for translation); the language
(nl/fr/de/en, Django's `translation.override`) changes its month abbreviations, and
`USE_L10N`/`USE_THOUSAND_SEPARATOR` change its number format (`1234.56`, `1234,56`, `1.234,56`,
`1 234,56`). The seller's VAT number, IBAN/BIC, bank, phone and registration are the provider's
"extra" text (Silver's field for what the invoice should show besides the address) in the
seller's language. oscar-invoices ships Dutch and English; with French or German as
`LANGUAGE_CODE` the strings Oscar's own catalogues translate come out translated and the rest in
English, as a French or German shop sees it. Bank details go into the template's "Terms and
conditions" block through an `InvoiceCreator` subclass that also picks the shop's legal entity
(the hooks the package documents), in about 6 documents of 10.

Varied: seller countries BE, NL first, then DE, FR, LU, GB; buyers companies (Silver: `company`
and `sales_tax_number`, printed as "Tax ID"; Oscar: company on the first address line and, in
about half, the VAT number typed on another line) and some persons; EUR mostly, GBP and USD some;
1-15 lines; Silver one sales-tax rate per document (its model), Oscar one or two rates of the
seller's country; Silver storno credit notes (5 of 18 Silver documents with the default seed,
about 14 % of the corpus); Silver's series/number, due days, customer reference; Oscar's order number beside
the invoice number, shipping charge, salutation, separate shipping address, print margins.

Install (Debian 12):

    apt-get install -y chromium poppler-utils nodejs npm fonts-dejavu-core fonts-liberation
    python3 -m venv /work/scratch/billing/venv && /work/scratch/billing/venv/bin/pip install \
        Django==3.2.25 django-silver==0.11.1 django-oscar==3.2.4 typing_extensions==4.12.2 \
        xhtml2pdf==0.2.7 reportlab==3.6.13 python-bidi==0.4.2 cryptography==3.3.2
    /work/scratch/billing/venv/bin/pip install --no-deps django-oscar-invoices==0.2
    cd /work/scratch/billing && npm init -y && PUPPETEER_SKIP_DOWNLOAD=1 npm install puppeteer-core@24

(django-annoying, which Silver imports, needs `typing_extensions` without declaring it.
xhtml2pdf is held at 0.2.7, the line Silver was written for: 0.2.28, which pip picks otherwise,
refuses to read Silver's fonts outside the working directory and falls back to Helvetica.
django-oscar-invoices 0.2 declares Django < 2.3 and psycopg2-binary < 2.9 (no Python 3.11 wheel);
its code runs unchanged on Django 3.2 and Oscar 3.2, so it is installed without its declared
dependencies.)

Usage: ``python3 billing.py OUT [--count N] [--seed S] [--families a,b] [--python PY]
[--node-modules DIR] [--keep-going]`` (``--count`` per family, default 18; ``--python`` is the
interpreter with the PyPI packages, default ``/work/scratch/billing/venv/bin/python`` when it
exists, else this one; ``--node-modules`` holds puppeteer-core, default
``/work/scratch/billing/node_modules``). Writes ``OUT/billing/<family>-NNN.pdf`` and
``OUT/manifest.json`` (producer ``billing``, split tune/heldout by even/odd index within the
family). Dates are drawn by the seeded generator in 2024-2026; a run is deterministic given the
seed (the temporary database and files are removed afterwards).

Truth: the software's stored or computed values. Silver: `series`-`number` as printed (see the
caveats), issue and due date
(storno invoices print an empty due date: no due date), currency, `total` (the sum of the
entries' `total`, each net + tax rounded per entry; credit notes unsigned, the page prints them
negative), seller (`billing_name` of the provider), seller VAT and IBAN where the extra text
has them, buyer (`billing_name`: the company, or the person's name), kind, number of entries.
Silver prints no net subtotal and no tax amount (only the rate in the header and totals per line
including tax), so ``subtotal``/``vat_amount`` are left out, and nothing about payments, so no
``amount_due``. oscar-invoices: the invoice number, the order date (``d.m.Y``), the order
currency, ``vat_amount`` = `order.total_tax` ("Order tax", lines and shipping), ``total`` =
`order.total_incl_tax`, seller (`business_name`) and its VAT ID, IBAN where the terms print it,
buyer (the company for business buyers, the person otherwise), number of order lines (the
shipping row is not a line); it prints no net subtotal, no due date and no amount due. Every
truth amount, number, IBAN, VAT number, the printed dates (as the software's own date filters
format them) and the currency (code or symbol) are checked against ``pdftotext -layout`` of the
page; a mismatch aborts the run (``--keep-going`` skips the document). Names that a layout wraps
only print a note.

Caveats: Silver hands xhtml2pdf the page as UTF-8 bytes without a charset declaration and
xhtml2pdf (0.2.x) reads them as windows-1252, so every non-ASCII character on a Silver page is
mojibake ("BahnhofstraÃŸe", "19 FÃ©v. 2026", "BÃ¼rostÃ¼hle"): this is how Silver prints; the
parties' names are drawn ASCII-only for Silver so that seller_name/buyer_name print as given, and
the self-check accepts the dates in that misread form (the truth stays the real date). With
`USE_L10N` and `USE_THOUSAND_SEPARATOR` on, Django groups Silver's document number too
("FAC-2.268"): invoice_number is the number as printed (series + "-" + number through the same
template engine and settings). Silver's storno copies quantities, prices and units but not the descriptions, so its
credit notes have empty "Service" cells (as Silver prints them); Silver's title is the lowercase
kind ("invoice F2025-17") also for credit notes, which say "Storno of ..." below it; Silver's
line "Total Amount" includes tax while "Unit price" does not. oscar-invoices prints the
seller's shop name as the letterhead (a brand word, or empty) and the legal name next to it,
the order number ("Order #...") beside the invoice number, and two addresses (shipping and
billing; the buyer is the billing one); a person buyer's name is printed with Oscar's salutation.

Rejected candidates: `tendenci` 16.30 (Django 5.2, about 70 pinned dependencies including
psycopg2 built from source, gevent and boto3, PostgreSQL only; its invoice is an HTML page of a
full association-management site: not a reasonable install for a corpus run); `invoicing` 2.1.1
(a Flask/LaTeX example whose template needs the commercial font "Aptifer Sans LT Pro" and a
logo file, with the seller hard-coded as "Company Name"; pins Flask 1.0.2 and uWSGI); `django-
invoice` 0.3.2 (Python 2 only: `from StringIO import StringIO`, South migrations, placeholder
seller "COMPANY NAME LTD" drawn by its ReportLab code); `django-sales` 0.1.3 (not invoicing: it
swaps contact details for sales affiliates); npm `invoice-templates` 2.5.0 (a Next.js/MUI web
application, not a library with a print path); npm `pdf-invoice-generator` 1.0.7 (an Australian
salary-packaging "activity statement" layout without VAT, PDF through html-pdf/PhantomJS, which
is downloaded at install time). Already in other corpora: pretix, InvoiceGenerator, pyinvoice,
microinvoice, jspdf-invoice-template, @h1dd3nsn1p3r/pdf-invoice, dinbrief, erechnung,
django-invoicing, GnuCash, Tryton, Kraft, LedgerSMB, SQL-Ledger, CTAN TeX packages.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
from libraries import (CNAME, PERSONS, PUPPETEER_JS, make_model, party, run, write)  # noqa: E402  (parties, model, printing)
from templates import amount_forms, norm, pdftext  # noqa: E402  (the same self-check helpers)
from manifest import halves, print_coverage, write_manifest  # noqa: E402  (the manifest and its summary)

D2 = Decimal("0.01")
SCRATCH = "/work/scratch/billing"


def q(x):
    return Decimal(x).quantize(D2, rounding=ROUND_HALF_UP)


def s2(x):
    return f"{abs(Decimal(x)):.2f}"


def person_name(rng, seller):
    """A private buyer: a name from the person list that is not the seller's own."""
    return rng.choice([p for p in PERSONS if not seller["name"].startswith(p)])


def split_name(name):
    first, _, last = name.partition(" ")
    return first, last or first


# ---------------------------------------------------------------------------------------------
# Silver (PyPI django-silver): Provider/Customer/Invoice, issue() and storno, generate_pdf().

SILVER_WORKER = r'''
import json, os, sys
from decimal import Decimal as D
jobs = json.load(open(sys.argv[1]))
tmp = sys.argv[3]
import django
from django.conf import settings
import silver
STATIC = os.path.join(os.path.dirname(silver.__file__), "static")
settings.configure(
    DEBUG=False, SECRET_KEY="billing-corpus", USE_TZ=True, TIME_ZONE="UTC", LANGUAGE_CODE="en", USE_I18N=True,
    USE_L10N=False,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(tmp, "silver.sqlite3")}},
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "dal",
                    "dal_select2", "django.contrib.admin", "django.contrib.messages", "django.contrib.staticfiles",
                    "rest_framework", "django_filters", "silver"],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
                "OPTIONS": {"context_processors": []}}],
    STATIC_URL="/static/", STATIC_ROOT=STATIC, STATICFILES_DIRS=[], MEDIA_URL="/media/",
    MEDIA_ROOT=os.path.join(tmp, "media"), ROOT_URLCONF="silver.urls", DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    PAYMENT_PROCESSORS={}, SILVER_AUTOMATICALLY_CREATE_TRANSACTIONS=False, API_PAGE_SIZE=20,
    PAYMENT_METHOD_SECRET=b"billing-corpus-secret-0123456789", SILVER_SHOW_PDF_STORAGE_URL=False,
    SILVER_DEFAULT_DUE_DAYS=14)
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test.utils import override_settings
from django.utils import translation
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from silver.models import Provider, Customer, Invoice, DocumentEntry

res = []
for j in jobs:
    with translation.override(j["lang"]), override_settings(USE_L10N=j["l10n"], USE_THOUSAND_SEPARATOR=j["grouping"]):
        p = Provider.objects.create(**j["provider"])
        cu = dict(j["customer"])
        if cu.get("sales_tax_percent") is not None:
            cu["sales_tax_percent"] = D(cu["sales_tax_percent"])
        c = Customer.objects.create(**cu)
        inv = Invoice.objects.create(provider=p, customer=c, currency=j["currency"], transaction_currency=j["currency"],
                                     number=j["number"])
        for e in j["entries"]:
            DocumentEntry.objects.create(invoice=inv, description=e["description"], unit=e["unit"],
                                         quantity=D(e["quantity"]), unit_price=D(e["unit_price"]))
        inv.issue(issue_date=j["first_issue"], due_date=j["due"])
        inv.save()
        doc = inv
        if j["storno"]:
            inv.pay(paid_date=j["paid"])
            inv.save()
            doc = inv.create_storno()
            doc.issue(issue_date=j["issue"])
            doc.save()
        doc = Invoice.objects.get(pk=doc.pk)
        pdf = doc.generate_pdf(upload=False)
        with open(j["pdf"], "wb") as f:
            f.write(pdf.getvalue())
        printed_number = Template("{{ d.series }}-{{ d.number }}").render(Context({"d": doc})).strip()
        res.append(dict(number=printed_number, stored_number=doc.series_number, total=str(doc.total), net=str(doc.total_before_tax),
                        tax=str(doc.tax_value), issue=date_filter(doc.issue_date, "d M. Y"),
                        due=date_filter(doc.due_date, "d M. Y") if doc.due_date else "",
                        due_iso=doc.due_date.isoformat() if doc.due_date else None,
                        issue_iso=doc.issue_date.isoformat(), storno=doc.is_storno,
                        entries=len(list(doc.entries)), provider=doc.provider.billing_name,
                        customer=doc.customer.billing_name, currency=doc.currency))
json.dump(res, open(sys.argv[2], "w"))
'''

SILVER_L = {
    "nl": dict(vat=["BTW: ", "Btw-nr.: ", "BTW-nummer: "], iban=["IBAN: ", "Rekening: IBAN "], bic="BIC: ",
               tel="Tel. ", reg={"BE": "Ondernemingsnummer: ", "NL": "KvK: "}, tax=["BTW", "btw", "VAT"],
               ref="Klantnummer "),
    "fr": dict(vat=["TVA : ", "N° TVA : ", "TVA intracommunautaire : "], iban=["IBAN : ", "Compte : IBAN "], bic="BIC : ",
               tel="Tél. ", reg={"BE": "BCE : ", "FR": "SIRET : ", "LU": "RCS Luxembourg "}, tax=["TVA"], ref="Client "),
    "de": dict(vat=["USt-IdNr.: ", "USt-ID: "], iban=["IBAN: ", "Bankverbindung: IBAN "], bic="BIC: ", tel="Tel.: ",
               reg={"DE": "Amtsgericht Köln, "}, tax=["USt.", "MwSt.", "VAT"], ref="Kunden-Nr. "),
    "en": dict(vat=["VAT: ", "VAT No: ", "VAT Reg. No. "], iban=["IBAN: ", "Bank: IBAN "], bic="BIC: ", tel="Tel: ",
               reg={"GB": "Company No. ", "NL": "KvK: ", "BE": "Company no. "}, tax=["VAT", "VAT", None], ref="Account "),
}
SERIES = ["F{y}", "{y}", "INV", "FAC", "RE", "F", "INV{y}", "SO"]


def render_silver_batch(models, pdfs, ctx, rngs):
    jobs, extra = [], []
    for m, pdf, rng in zip(models, pdfs, rngs):
        s, b, lang = m["seller"], m["buyer"], m["lang"]
        L = SILVER_L[lang]
        # Silver hands xhtml2pdf UTF-8 bytes without a charset and xhtml2pdf reads them as
        # windows-1252 ("StraÃŸe"): the parties' names are kept ASCII so that they print as given
        for p in (s, b):
            for _ in range(20):
                if p["name"].isascii():
                    break
                p["name"] = party(rng, p["country"])["name"]
        person_seller = any(s["name"].startswith(p) for p in PERSONS)
        rate = m["lines"][0]["rate"]
        # the provider's extra text: what the seller wants printed besides the address
        show_vat = rng.random() < 0.9
        show_iban = rng.random() < 0.8
        iban_txt = generate.iban_print(s["iban"]) if rng.random() < 0.6 else s["iban"]
        ex = []
        if show_vat:
            ex.append(rng.choice(L["vat"]) + s["vat"])
        if s["country"] in L["reg"] and rng.random() < 0.4:
            ex.append(L["reg"][s["country"]] + s["reg"])
        if show_iban:
            ex.append(rng.choice(L["iban"]) + iban_txt + (("  " + L["bic"] + s["bic"]) if rng.random() < 0.7 else ""))
            if rng.random() < 0.4:
                ex.append(s["bank"])
        if rng.random() < 0.4:
            ex.append(L["tel"] + s["phone"])
        if rng.random() < 0.3:
            ex.append(s["web"])
        provider = dict(name=s["name"] if person_seller else s["contact"], company=None if person_seller else s["name"],
                        address_1=s["street_line"], city=s["city"], zip_code=s["zip"], country=s["country"],
                        email=s["email"] if rng.random() < 0.7 else None, extra="\n".join(ex) or None,
                        invoice_series=rng.choice(SERIES).format(y=m["issue"].year), invoice_starting_number=1,
                        flow="invoice")
        person_buyer = rng.random() < 0.2
        if person_buyer:
            b["name"] = person_name(rng, s)
            first, last = split_name(b["name"])
        else:
            first, last = split_name(b["contact"])
        bvat = not person_buyer and rng.random() < 0.85
        customer = dict(first_name=first, last_name=last, company=None if person_buyer else b["name"],
                        address_1=b["street_line"], city=b["city"], zip_code=b["zip"], country=b["country"],
                        email=b["email"] if not person_buyer and rng.random() < 0.4 else None,
                        sales_tax_number=b["vat"] if bvat else None, sales_tax_percent=str(rate),
                        sales_tax_name=rng.choice(L["tax"]), currency=m["currency"], payment_due_days=m["terms"],
                        customer_reference=(L["ref"].strip().split()[0] + "-" + str(rng.randrange(100, 99999)))
                        if rng.random() < 0.3 else None,
                        extra=rng.choice([None, None, None, f"PO {rng.randrange(4500000000, 4599999999)}"]))
        if customer["customer_reference"]:
            customer["customer_reference"] = re.sub(r"[^A-Za-z0-9-]", "", customer["customer_reference"])
        sign_first = m["issue"] - dt.timedelta(days=rng.randrange(5, 60)) if m["credit"] else m["issue"]
        entries = [dict(description=l["desc"], unit=l["unit"], quantity=str(l["qty"]), unit_price=str(l["price"]))
                   for l in m["lines"]]
        l10n = lang != "en" and rng.random() < 0.7 or lang == "en" and rng.random() < 0.2
        jobs.append(dict(lang=rng.choice({"nl": ["nl"], "fr": ["fr"], "de": ["de"], "en": ["en", "en-gb"]}[lang]),
                         l10n=l10n, grouping=l10n and rng.random() < 0.5, provider=provider, customer=customer,
                         currency=m["currency"], number=rng.randrange(1, 2400), entries=entries,
                         first_issue=sign_first.isoformat(),
                         due=(sign_first + dt.timedelta(days=m["terms"])).isoformat(),
                         storno=m["credit"], paid=(sign_first + dt.timedelta(days=rng.randrange(1, 20))).isoformat(),
                         issue=m["issue"].isoformat(), pdf=pdf))
        extra.append(dict(show_vat=show_vat, show_iban=show_iban, bvat=bvat))
    jf = write(os.path.join(ctx["tmp"], "silver-jobs.json"), json.dumps(jobs))
    wf = write(os.path.join(ctx["tmp"], "silver_worker.py"), SILVER_WORKER)
    rf = os.path.join(ctx["tmp"], "silver-out.json")
    run([ctx["python"], wf, jf, rf, ctx["tmp"]], cwd=ctx["tmp"], timeout=1800)
    with open(rf) as f:
        res = json.load(f)
    outs = []
    for m, r, e in zip(models, res, extra):
        t = dict(invoice_number=r["number"], issue_date=r["issue_iso"], currency=r["currency"], total=s2(r["total"]),
                 seller_name=r["provider"], buyer_name=r["customer"],
                 kind="credit_note" if r["storno"] else "invoice", lines=r["entries"])
        if r["due_iso"]:
            t["due_date"] = r["due_iso"]
        if e["show_vat"]:
            t["seller_vat"] = m["seller"]["vat"]
        if e["show_iban"]:
            t["iban"] = m["seller"]["iban"]
        printed = dict(dates=[r["issue"]] + ([r["due"]] if r["due"] else []))
        outs.append(("xhtml2pdf", t, [m["buyer"]["vat"]] if e["bvat"] else [], printed))
    return outs


# ---------------------------------------------------------------------------------------------
# oscar-invoices (PyPI, on django-oscar): an Oscar order, InvoiceCreator, the stored HTML printed.

OSCAR_WORKER = r'''
import json, os, sys, datetime as dt
from decimal import Decimal as D
jobs = json.load(open(sys.argv[1]))
tmp = sys.argv[3]
import django
from django.conf import settings
from oscar.defaults import *  # noqa: F401,F403  (Oscar's documented settings defaults)
OSC = {k: v for k, v in dict(globals()).items() if k.startswith("OSCAR_")}
OSC["OSCAR_DEFAULT_CURRENCY"] = "EUR"
settings.configure(
    DEBUG=False, SECRET_KEY="billing-corpus", USE_TZ=True, TIME_ZONE="Europe/Brussels", LANGUAGE_CODE="en",
    USE_I18N=True, USE_L10N=True,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(tmp, "oscar.sqlite3")}},
    INSTALLED_APPS=[
        "django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "django.contrib.sites",
        "django.contrib.flatpages", "django.contrib.messages", "django.contrib.staticfiles",
        "oscar.config.Shop", "oscar.apps.analytics.apps.AnalyticsConfig", "oscar.apps.checkout.apps.CheckoutConfig",
        "oscar.apps.address.apps.AddressConfig", "oscar.apps.shipping.apps.ShippingConfig",
        "oscar.apps.catalogue.apps.CatalogueConfig", "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
        "oscar.apps.communication.apps.CommunicationConfig", "oscar.apps.partner.apps.PartnerConfig",
        "oscar.apps.basket.apps.BasketConfig", "oscar.apps.payment.apps.PaymentConfig",
        "oscar.apps.offer.apps.OfferConfig", "oscar.apps.order.apps.OrderConfig",
        "oscar.apps.customer.apps.CustomerConfig", "oscar.apps.search.apps.SearchConfig",
        "oscar.apps.voucher.apps.VoucherConfig", "oscar.apps.wishlists.apps.WishlistsConfig",
        "oscar.apps.dashboard.apps.DashboardConfig", "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
        "oscar.apps.dashboard.users.apps.UsersDashboardConfig", "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
        "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
        "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
        "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
        "oscar.apps.dashboard.pages.apps.PagesDashboardConfig", "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
        "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
        "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
        "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
        "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
        "widget_tweaks", "haystack", "treebeard", "django_tables2", "oscar_invoices"],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
                "OPTIONS": {"context_processors": []}}],
    SITE_ID=1, HAYSTACK_CONNECTIONS={"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}},
    STATIC_URL="/static/", MEDIA_URL="/media/", MEDIA_ROOT=os.path.join(tmp, "media"),
    OSCAR_INVOICES_DOCUMENTS_ROOT=os.path.join(tmp, "documents"), ROOT_URLCONF="oscar_invoices.urls",
    DEFAULT_AUTO_FIELD="django.db.models.AutoField", PHONENUMBER_DEFAULT_FORMAT="INTERNATIONAL", **OSC)
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.utils import translation
from django.template.defaultfilters import date as date_filter
from oscar.core.loading import get_model
from oscar.apps.partner import strategy
from oscar.apps.shipping.methods import FixedPrice, Free
from oscar.apps.order.utils import OrderCreator
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar_invoices.utils import InvoiceCreator

Country = get_model("address", "Country")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")
BillingAddress = get_model("order", "BillingAddress")
ShippingAddress = get_model("order", "ShippingAddress")
LegalEntity = get_model("oscar_invoices", "LegalEntity")
LegalEntityAddress = get_model("oscar_invoices", "LegalEntityAddress")

RATES = {}


class ShopTax(strategy.FixedRateTax):
    """Oscar's fixed-rate tax with the hook for a rate per product (two VAT rates of one country)."""
    def get_rate(self, product, stockrecord):
        return RATES[product.upc]


class ShopStrategy(strategy.UseFirstStockRecord, strategy.StockRequired, ShopTax, strategy.Structured):
    pass


class ShopInvoiceCreator(InvoiceCreator):
    """The documented hooks: the shop's legal entity for this order, terms printed on the invoice."""
    def __init__(self, entity, terms, notes):
        self.entity, self.terms, self.notes = entity, terms, notes

    def get_legal_entity(self):
        return self.entity

    def get_invoice_template_context(self, invoice, **kwargs):
        c = super().get_invoice_template_context(invoice, **kwargs)
        if self.terms:
            c["terms_and_conditions"] = self.terms
        if self.notes:
            c["additional_data"] = self.notes
        return c


ISO3 = {"BE": ("BEL", "056"), "NL": ("NLD", "528"), "DE": ("DEU", "276"), "FR": ("FRA", "250"), "GB": ("GBR", "826"),
        "LU": ("LUX", "442")}
for code, (a3, num) in ISO3.items():
    Country.objects.create(iso_3166_1_a2=code, iso_3166_1_a3=a3, iso_3166_1_numeric=num, name=code, printable_name=code,
                           is_shipping_country=True)
pc = ProductClass.objects.create(name="Goods", requires_shipping=True, track_stock=False)
partner = Partner.objects.create(name="Warehouse")
res = []
for k, j in enumerate(jobs):
    for code, name in j["country_names"].items():
        Country.objects.filter(iso_3166_1_a2=code).update(printable_name=name)
    s = j["seller"]
    le = LegalEntity.objects.create(shop_name=s["shop_name"], business_name=s["business_name"],
                                    vat_number=s["vat_number"])
    LegalEntityAddress.objects.create(legal_entity=le, line1=s["line1"], line4=s["city"], postcode=s["postcode"],
                                      country=Country.objects.get(iso_3166_1_a2=s["country"]),
                                      phone_number=s["phone"] or "", fax_number=s["fax"] or "")
    basket = Basket.objects.create()
    basket.strategy = ShopStrategy()
    for i, l in enumerate(j["lines"]):
        p = Product.objects.create(product_class=pc, title=l["title"], upc=f"D{k}L{i}")
        RATES[p.upc] = D(l["rate"])
        StockRecord.objects.create(product=p, partner=partner, partner_sku=f"D{k}L{i}", price_currency=j["currency"],
                                   price=D(l["price"]), num_in_stock=1000)
        basket.add_product(p, l["qty"])
    if j["shipping"]:
        ship = FixedPrice(charge_excl_tax=D(j["shipping"][0]), charge_incl_tax=D(j["shipping"][1]))
    else:
        ship = Free()
    charge = ship.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    countries = {c: Country.objects.get(iso_3166_1_a2=c) for c in ISO3}
    ba = BillingAddress.objects.create(**{**j["billing"], "country": countries[j["billing"]["country"]]})
    sa = ShippingAddress.objects.create(**{**j["shipping_address"], "country": countries[j["shipping_address"]["country"]]})
    placed = dt.datetime.fromisoformat(j["placed"])
    with translation.override(j["lang"]):
        order = OrderCreator().place_order(basket=basket, total=total, shipping_method=ship, shipping_charge=charge,
                                           billing_address=ba, shipping_address=sa, order_number=j["order_number"],
                                           date_placed=placed)
        inv = ShopInvoiceCreator(le, j["terms"], j["notes"]).create_invoice(order, number=j["invoice_number"])
        printed_date = date_filter(order.date_placed, "d.m.Y")
    basket.set_as_submitted()
    shutil_src = inv.document.path
    with open(shutil_src, encoding="utf-8") as f:
        html = f.read()
    with open(j["html"], "w", encoding="utf-8") as f:
        f.write(html)
    res.append(dict(invoice_number=inv.number, order_number=order.number, currency=order.currency,
                    total_excl=str(order.total_excl_tax), tax=str(order.total_tax), total=str(order.total_incl_tax),
                    date=printed_date, date_iso=dt.datetime.fromisoformat(j["placed"]).date().isoformat(),
                    lines=order.lines.count(), seller=le.business_name, vat=le.vat_number))
json.dump(res, open(sys.argv[2], "w"))
'''

OSCAR_LOCALES = {"nl": {"BE": ["nl-be", "nl"], "NL": ["nl"]}, "fr": {"BE": ["fr-be", "fr"], "FR": ["fr"], "LU": ["fr"]},
                 "de": {"DE": ["de", "de-de"]}, "en": {"GB": ["en-gb"], "NL": ["en", "en-gb"], "BE": ["en"]}}
OSCAR_TERMS = {
    "nl": ["Betaling binnen {terms} dagen op rekening {iban} (BIC {bic}) met vermelding van factuurnummer {num}.",
           "Gelieve het totaalbedrag over te maken op IBAN {iban} t.n.v. {name}.",
           "Op al onze verkopen zijn onze algemene voorwaarden van toepassing. Bankrekening: {iban}"],
    "fr": ["Paiement à {terms} jours par virement sur le compte {iban} (BIC {bic}), référence {num}.",
           "Merci de régler le montant total sur le compte IBAN {iban} au nom de {name}."],
    "de": ["Zahlbar innerhalb von {terms} Tagen ohne Abzug auf IBAN {iban} (BIC {bic}), Verwendungszweck {num}.",
           "Bitte überweisen Sie den Gesamtbetrag auf das Konto {iban} ({bank})."],
    "en": ["Payment within {terms} days by bank transfer to {iban} (BIC {bic}), quoting invoice {num}.",
           "Please pay the order total to account {iban} in the name of {name}."],
}
OSCAR_NOTES = {"nl": ["Bedankt voor uw bestelling!", "Retourneren kan binnen 14 dagen."],
               "fr": ["Merci pour votre commande !", "Retour possible sous 14 jours."],
               "de": ["Vielen Dank für Ihre Bestellung!", "Rückgabe innerhalb von 14 Tagen möglich."],
               "en": ["Thank you for your order!", "Returns accepted within 14 days."]}
OSCAR_VATL = {"nl": ["BTW ", "Btw-nr. "], "fr": ["TVA ", "N° TVA "], "de": ["USt-IdNr. "], "en": ["VAT ", "VAT No. "]}
SHOP_WORDS = ["Shop", "Store", "Webshop", "Online", "Direct"]


def render_oscar_batch(models, pdfs, ctx, rngs):
    jobs, extra = [], []
    for m, pdf, rng in zip(models, pdfs, rngs):
        s, b, lang = m["seller"], m["buyer"], m["lang"]
        loc = rng.choice(OSCAR_LOCALES[lang].get(s["country"]) or sum(OSCAR_LOCALES[lang].values(), []))
        first_word = re.split(r"[\s&-]+", s["name"])[0]
        shop_name = rng.choice([f"{first_word} {rng.choice(SHOP_WORDS)}", first_word, "", s["name"]])
        seller = dict(shop_name=shop_name, business_name=s["name"], vat_number=s["vat"], line1=s["street_line"],
                      city=s["city"], postcode=s["zip"], country=s["country"],
                      phone=s["phone"] if rng.random() < 0.6 else None,
                      fax=s["phone"][:-2] + "99" if rng.random() < 0.1 else None)
        lines = [dict(title=l["desc"], price=str(l["price"]), rate=str(Decimal(l["rate"]) / 100),
                      qty=max(1, int(l["qty"]))) for l in m["lines"]]  # one product per line (Oscar: whole units)
        base = Decimal(m["lines"][0]["rate"]) / 100
        ship = None
        if rng.random() < 0.6:
            excl = q(rng.choice(["4.95", "5.95", "6.50", "7.95", "9.95", "12.50", "14.95"]))
            ship = (str(excl), str(q(excl * (1 + base))))
        person_buyer = rng.random() < 0.3
        title = rng.choice(["", "", "Mr", "Mrs", "Ms", "Dr"])
        if person_buyer:
            b["name"] = person_name(rng, s)
            first, last = split_name(b["name"])
            billing = dict(title=title, first_name=first, last_name=last, line1=b["street_line"], line4=b["city"],
                           postcode=b["zip"], country=b["country"])
            bvat = False
        else:
            first, last = split_name(b["contact"])
            bvat = rng.random() < 0.6
            billing = dict(title=title, first_name=first, last_name=last, line1=b["name"], line2=b["street_line"],
                           line3=(rng.choice(OSCAR_VATL[lang]) + b["vat"]) if bvat else "", line4=b["city"],
                           postcode=b["zip"], country=b["country"])
        if rng.random() < 0.6:
            shipping = {k: v for k, v in billing.items() if k not in ("line3",)}
        else:
            alt = generate_alt_address(rng, b["country"])
            shipping = dict(first_name=first, last_name=last, line1=alt[0], line4=alt[1], postcode=alt[2],
                            country=b["country"])
        show_terms = rng.random() < 0.6
        iban_txt = generate.iban_print(s["iban"]) if rng.random() < 0.7 else s["iban"]
        inv_no = rng.choice([f"{m['issue'].year % 100}{rng.randrange(1, 9999):06d}", f"{m['issue'].year}-{rng.randrange(1, 9999):04d}",
                             f"{rng.randrange(10000, 99999)}", f"F{m['issue'].year}{rng.randrange(1, 999):03d}"])
        terms = rng.choice(OSCAR_TERMS[lang]).format(terms=m["terms"], iban=iban_txt, bic=s["bic"], num=inv_no,
                                                     name=s["name"], bank=s["bank"]).replace("..", ".") if show_terms else None
        notes = rng.choice(OSCAR_NOTES[lang]) if rng.random() < 0.3 else None
        placed = dt.datetime.combine(m["issue"], dt.time(rng.randrange(8, 19), rng.randrange(0, 60)),
                                     tzinfo=dt.timezone.utc)
        html = os.path.join(ctx["tmp"], f"oscar-{m['idx']}.html")
        jobs.append(dict(lang=loc, country_names=CNAME[lang], seller=seller, lines=lines, shipping=ship,
                         currency=m["currency"], billing=billing, shipping_address=shipping,
                         placed=placed.isoformat(), order_number=str(rng.randrange(100000, 999999)),
                         invoice_number=inv_no, terms=terms, notes=notes, html=html))
        extra.append(dict(bvat=bvat, show_terms=show_terms, html=html, pdf=pdf,
                          margin=rng.choice(["0", "10mm", "10mm", "15mm"])))
    jf = write(os.path.join(ctx["tmp"], "oscar-jobs.json"), json.dumps(jobs))
    wf = write(os.path.join(ctx["tmp"], "oscar_worker.py"), OSCAR_WORKER)
    rf = os.path.join(ctx["tmp"], "oscar-out.json")
    run([ctx["python"], wf, jf, rf, ctx["tmp"]], cwd=ctx["tmp"], timeout=1800)
    with open(rf) as f:
        res = json.load(f)
    pj = write(os.path.join(ctx["tmp"], "oscar-print.json"),
               json.dumps([dict(html=e["html"], pdf=e["pdf"], margin=e["margin"]) for e in extra]))
    js = write(os.path.join(ctx["tmp"], "pp.js"), PUPPETEER_JS)
    run(["node", js, ctx["node_modules"], pj, ctx["chromium"]], timeout=1800)
    outs = []
    for m, r, e in zip(models, res, extra):
        t = dict(invoice_number=r["invoice_number"], issue_date=r["date_iso"], currency=r["currency"],
                 vat_amount=s2(r["tax"]), total=s2(r["total"]), seller_name=r["seller"], seller_vat=r["vat"],
                 buyer_name=m["buyer"]["name"], kind="invoice", lines=r["lines"])
        if e["show_terms"]:
            t["iban"] = m["seller"]["iban"]
        outs.append(("chromium", t, [m["buyer"]["vat"]] if e["bvat"] else [], dict(dates=[r["date"]])))
    return outs


ALT_STREETS = {"BE": ["Industrieweg", "Rue du Commerce", "Havenlaan"], "NL": ["Industrieweg", "Havenstraat"],
               "DE": ["Gewerbepark", "Lagerstraße"], "FR": ["zone industrielle", "rue de l'Industrie"],
               "GB": ["Industrial Estate", "Dock Road"], "LU": ["Zone d'activités", "rue de l'Industrie"]}
ALT_CITIES = {"BE": [("2030", "Antwerpen"), ("1930", "Zaventem")], "NL": [("1118 CP", "Schiphol"), ("3197 KJ", "Rotterdam")],
              "DE": [("41460", "Neuss"), ("21079", "Hamburg")], "FR": [("93200", "Saint-Denis"), ("69007", "Lyon")],
              "GB": [("B1 1AA", "Birmingham"), ("G1 1XQ", "Glasgow")], "LU": [("L-3364", "Leudelange")]}


def generate_alt_address(rng, country):
    street, (zip_, city) = rng.choice(ALT_STREETS[country]), rng.choice(ALT_CITIES[country])
    n = str(rng.randrange(1, 120))
    return (f"{n} {street}" if country in ("FR", "GB", "LU") else f"{street} {n}"), city, zip_


# ---------------------------------------------------------------------------------------------

FAMILIES = {
    "silver": dict(batch=render_silver_batch, langs=["nl", "en", "fr", "nl", "de", "en", "nl", "fr", "en"],
                   sellers={"nl": ["BE", "NL"], "fr": ["BE", "FR", "LU", "BE"], "de": ["DE"],
                            "en": ["GB", "NL", "BE", "NL"]},
                   credit_idx=(3, 8, 13, 16), credit_p=0.03, currencies=["EUR"] * 14 + ["USD"]),
    "oscar-invoices": dict(batch=render_oscar_batch, langs=["nl", "en", "nl", "fr", "en", "de", "nl", "en", "fr"],
                           sellers={"nl": ["BE", "NL"], "fr": ["BE", "FR", "LU", "BE"], "de": ["DE"],
                                    "en": ["GB", "NL", "BE", "NL"]}, currencies=["EUR"] * 14 + ["USD"]),
}
CUR_SIGNS = {"EUR": "€", "GBP": "£", "USD": "$"}


def self_check(text, t, own, printed):
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
    for d in printed.get("dates", []):
        # Silver's pages show non-ASCII month names as xhtml2pdf misreads them ("FÃ©v.")
        if norm(d) not in n and norm(d.encode("utf-8").decode("cp1252", errors="replace")) not in n:
            missing.append(f"date {d!r}")
    if t.get("currency") and t["currency"] not in text and CUR_SIGNS[t["currency"]] not in text:
        missing.append(f"currency={t['currency']}")
    nh = n.replace("-", "")
    for k in ("seller_name", "buyer_name"):
        if t.get(k) and not all(norm(w).replace("-", "") in nh for w in t[k].split()):
            print(f"note: {k} {t[k]!r} wrapped/hyphenated on the page", file=sys.stderr)
    return missing


def main():
    ap = argparse.ArgumentParser(description="Invoices printed by open-source billing software with its own templates")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=18, help="documents per family")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--families", default=",".join(FAMILIES))
    venv_py = os.path.join(SCRATCH, "venv", "bin", "python")
    ap.add_argument("--python", default=venv_py if os.path.exists(venv_py) else sys.executable,
                    help="interpreter that has django-silver, django-oscar and django-oscar-invoices")
    ap.add_argument("--node-modules", default=os.path.join(SCRATCH, "node_modules"), help="holds puppeteer-core")
    ap.add_argument("--keep-going", action="store_true", help="skip documents failing the self-check")
    a = ap.parse_args()
    t0 = time.time()
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "billing"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="billing-")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    ctx = dict(node_modules=os.path.abspath(a.node_modules), tmp=tmp, python=a.python, chromium=chromium)
    manifest = []
    try:
        for fam in a.families.split(","):
            spec = FAMILIES[fam]
            rngs, models, pdfs, rels = [], [], [], []
            for i in range(a.count):
                rng = random.Random(f"{a.seed}-billing-{fam}-{i}")
                models.append(make_model(rng, i, spec))
                rngs.append(rng)
                rels.append(f"billing/{fam}-{i:03d}.pdf")
                pdfs.append(os.path.join(out, rels[-1]))
            results = spec["batch"](models, pdfs, ctx, rngs)
            for i, (m, rel, pdf, (renderer, truth, own_vat, printed)) in enumerate(zip(models, rels, pdfs, results)):
                truth = {k: v for k, v in truth.items() if v is not None}
                if m["own_is_buyer"]:
                    own = {"names": [m["buyer"]["name"]], "vat_numbers": own_vat, "ibans": []}
                else:
                    own = {"names": [], "vat_numbers": [], "ibans": []}
                miss = self_check(pdftext(pdf), truth, own, printed)
                if miss:
                    msg = f"{rel}: not found on the page: {', '.join(miss)}"
                    if not a.keep_going:
                        raise SystemExit(msg)
                    print("SKIP", msg, file=sys.stderr)
                    os.unlink(pdf)
                    continue
                manifest.append(dict(path=rel, producer="billing", family=fam, renderer=renderer,
                                     split="tune" if i % 2 == 0 else "heldout", own=own, truth=truth))
                print(rel, file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_manifest(out, manifest)
    print(f"{len(manifest)} documents in {out}: " + halves(manifest), file=sys.stderr)
    print_coverage(manifest)
    print(f"wall time {time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
