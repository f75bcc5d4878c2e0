#!/usr/bin/env python3
"""English-language invoices from outside Europe, and SaaS billing, sent to a Belgian or Dutch buyer.

Each family is one supplier country or one kind of billing software: Australian and New Zealand
GST tax invoices, Canadian GST/HST/PST/QST invoices, Singapore GST, UAE VAT (TRN), South African
VAT, Hong Kong invoices without tax, US SaaS billing (Stripe, Chargebee, FreshBooks, QuickBooks,
Wave, Zoho Invoice and Xero styles) and UK SaaS and marketplace VAT invoices (Xero, FreeAgent,
Sage, Paddle-style reseller). The reading organisation (``own``) is always the buyer.

Usage: ``world.py OUT [--count N] [--seed S] [--families au,nz]``. Writes ``OUT/<family>-NN.pdf``,
``OUT/manifest.json`` (``producer`` = family, ``renderer`` = PDF producer) and
``OUT/by-renderer/manifest.json`` (``producer`` = PDF producer). Instance ``k`` of a family is
the same whatever ``--count`` is; even instances are the tuning half, odd ones held out.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
from datetime import date, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intl import (FpdfPen, ReportLabPen, digits, esc, luhn_digit, q, render_chromium,  # noqa: E402
                  render_libreoffice, vat_be, vat_nl, wrap)

FAMILIES = ["au", "nz", "ca", "sg", "ae", "za", "hk", "us-saas", "gb-saas"]
# Producers by pair of instances (tune + held-out share one), rotated per family.
PRODUCER_CYCLE = ["chromium", "reportlab", "fpdf", "weasyprint", "chromium", "libreoffice", "reportlab", "fpdf"]
MONTHS = "January February March April May June July August September October November December".split()


# ---------------------------------------------------------------------------------------------
# Identifiers (printed only; none is an EU VAT number, so none is in the truth).

def abn(rng):
    w = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]
    while True:
        d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(10)]
        if sum(((x - 1) if i == 0 else x) * w[i] for i, x in enumerate(d)) % 89 == 0:
            s = "".join(map(str, d))
            return f"{s[:2]} {s[2:5]} {s[5:8]} {s[8:]}"


def nz_gst(rng):
    s = digits(rng, 9, str(rng.randint(1, 1)))
    return f"{s[:3]}-{s[3:6]}-{s[6:]}"


def ca_bn(rng):
    body = digits(rng, 8, str(rng.randint(7, 8)))
    return body + luhn_digit(body)


def gb_vat(rng):
    while True:
        body = digits(rng, 7, str(rng.randint(1, 9)))
        s = sum(int(c) * w for c, w in zip(body, range(8, 1, -1)))
        chk = (-s) % 97
        if chk < 100:
            return f"GB {body[:3]} {body[3:]} {chk:02d}"


def fmt_date(d, style):
    m = MONTHS[d.month - 1]
    suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    return {
        "dmy/": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "mdy/": f"{d.month:02d}/{d.day:02d}/{d.year}",
        "ymd/": f"{d.year}/{d.month:02d}/{d.day:02d}",
        "iso": d.isoformat(),
        "dMony": f"{d.day} {m[:3]} {d.year}",
        "dMonthy": f"{d.day} {m} {d.year}",
        "d-Mon-y": f"{d.day:02d}-{m[:3]}-{d.year}",
        "Monthdy": f"{m} {d.day}, {d.year}",
        "Mondy": f"{m[:3]} {d.day}, {d.year}",
        "ordinal": f"{d.day}{suffix} {m} {d.year}",
    }[style]


def fmt_num(x, style):
    s = f"{abs(x):,.2f}"
    if style == "space":  # South African: 1 234,56
        s = s.replace(",", " ").replace(".", ",")
    return s


# ---------------------------------------------------------------------------------------------
# Countries.

ITEMS = ["Consulting services", "Website design and build", "Freight (international)", "Merino wool throws", "Organic green tea, 1 kg",
         "Cloud hosting - monthly", "Photography - product shoot", "Translation services", "Custom steel brackets", "Wine cartons (6 x 750 ml)",
         "Software development (hours)", "Marketing campaign management", "Spare parts kit", "Training workshop (1 day)", "Sample shipment"]
SAAS_ITEMS = ["Pro plan (monthly)", "Team plan - 5 seats", "Business plan (annual)", "Additional seats", "API calls (usage, 1,000s)",
              "Storage add-on 100 GB", "Premium support", "Email sends (per 1,000)", "Growth plan", "Onboarding package (one-off)"]

COUNTRY = {
    "au": dict(cur=("AUD", ["$", "A$", "AUD"]), dates=["dmy/", "dmy/", "dMony", "dMonthy"], tax="GST", rate=10,
               names=["Southern Cross Trading Pty Ltd", "Koala Creative Pty Ltd", "Bondi Digital Pty Ltd", "Outback Wool Co Pty Ltd",
                      "Harbour Analytics Pty Ltd"],
               addr=[("Level 4, 88 George Street", "Sydney NSW 2000"), ("12 Flinders Lane", "Melbourne VIC 3000"),
                     ("3/45 Adelaide Street", "Brisbane QLD 4000"), ("221 Hay Street", "Perth WA 6000")],
               phone="+61 2", country="Australia"),
    "nz": dict(cur=("NZD", ["$", "NZ$", "NZD"]), dates=["dmy/", "dMony", "dMonthy"], tax="GST", rate=15,
               names=["Kiwi Harvest Limited", "Tasman Studio Ltd", "Aotearoa Outdoor Gear Ltd", "Fern & Co Limited", "Waitemata Software Ltd"],
               addr=[("101 Queen Street", "Auckland 1010"), ("25 Cuba Street", "Wellington 6011"), ("8 Cashel Street", "Christchurch 8011")],
               phone="+64 9", country="New Zealand"),
    "ca": dict(cur=("CAD", ["$", "C$", "CAD", "CA$"]), dates=["Monthdy", "iso", "Mondy", "iso"], tax="GST",
               names=["Maple Leaf Analytics Inc.", "Northern Lights Design Ltd.", "Great Lakes Supply Corp.", "Pacific Coast Software Inc.",
                      "Laurentian Consulting Inc."],
               addr=None, phone="+1 416", country="Canada"),
    "sg": dict(cur=("SGD", ["S$", "SGD", "$"]), dates=["dmy/", "dMony", "dMonthy"], tax="GST", rate=9,
               names=["Lion City Logistics Pte. Ltd.", "Marina Bay Tech Pte. Ltd.", "Orchid Trading Pte Ltd", "Raffles Digital Pte. Ltd."],
               addr=[("1 Raffles Place, #20-61", "Singapore 048616"), ("50 Ubi Avenue 3, #04-12", "Singapore 408866")],
               phone="+65", country="Singapore"),
    "ae": dict(cur=("AED", ["AED", "Dhs", "AED"]), dates=["dmy/", "d-Mon-y", "dMonthy"], tax="VAT", rate=5,
               names=["Desert Rose General Trading LLC", "Gulf Horizon Technologies FZ-LLC", "Al Noor Events L.L.C.", "Palm Logistics FZE"],
               addr=[("Office 1204, Bay Square Building 5, Business Bay", "Dubai, United Arab Emirates"),
                     ("Warehouse 7, Jebel Ali Free Zone", "Dubai, UAE"), ("Al Reem Island, Shams Tower, Floor 18", "Abu Dhabi, UAE")],
               phone="+971 4", country="United Arab Emirates"),
    "za": dict(cur=("ZAR", ["R", "ZAR"]), dates=["ymd/", "dmy/", "dMonthy", "iso"], tax="VAT", rate=15,
               names=["Table Mountain Traders (Pty) Ltd", "Springbok Engineering (Pty) Ltd", "Karoo Coffee Roasters CC",
                      "Ubuntu Software Solutions (Pty) Ltd"],
               addr=[("14 Bree Street", "Cape Town, 8001"), ("Unit 5, 33 Jan Smuts Avenue", "Johannesburg, 2196"),
                     ("22 Florida Road", "Durban, 4001")],
               phone="+27 21", country="South Africa"),
    "hk": dict(cur=("HKD", ["HK$", "HKD"]), dates=["dmy/", "dMony", "iso"], tax=None, rate=0,
               names=["Victoria Harbour Trading Limited", "Kowloon Precision Electronics Co., Limited", "Pearl River Sourcing Limited",
                      "Lantau Creative Limited"],
               addr=[("Unit 1203, 12/F, Tower 2, Admiralty Centre", "18 Harcourt Road, Admiralty, Hong Kong"),
                     ("Flat B, 8/F, Kwai Cheong Industrial Building", "Kwai Chung, New Territories, Hong Kong")],
               phone="+852", country="Hong Kong"),
}

CA_PROVINCES = [  # province, address, taxes (label, rate)
    ("ON", ("200 Bay Street, Suite 1500", "Toronto, ON M5J 2J2"), [("HST", Decimal("13"))]),
    ("NS", ("1800 Argyle Street", "Halifax, NS B3J 3N8"), [("HST", Decimal("15"))]),
    ("BC", ("555 West Hastings Street", "Vancouver, BC V6B 4N6"), [("GST", Decimal("5")), ("PST", Decimal("7"))]),
    ("QC", ("1000 rue De La Gauchetière Ouest", "Montréal, QC H3B 4W5"), [("GST", Decimal("5")), ("QST", Decimal("9.975"))]),
    ("AB", ("10180 101 Street NW", "Edmonton, AB T5J 3S4"), [("GST", Decimal("5"))]),
    ("MB", ("201 Portage Avenue", "Winnipeg, MB R3B 3K6"), [("GST", Decimal("5")), ("RST", Decimal("7"))]),
]

US_STATES = [("NY", "New York", Decimal("8.875"), ("350 Fifth Avenue, Suite 4100", "New York, NY 10118")),
             ("CA", "California", Decimal("7.25"), ("510 Townsend Street", "San Francisco, CA 94103")),
             ("TX", "Texas", Decimal("8.25"), ("600 Congress Avenue", "Austin, TX 78701")),
             ("WA", "Washington", Decimal("10.25"), ("1201 Second Avenue", "Seattle, WA 98101")),
             ("IL", "Illinois", Decimal("10.25"), ("222 W Merchandise Mart Plaza", "Chicago, IL 60654")),
             ("DE", "Delaware", Decimal("0"), ("251 Little Falls Drive", "Wilmington, DE 19808"))]
US_NAMES = ["Acme Cloud, Inc.", "Brightside Labs LLC", "Pipeline Metrics, Inc.", "Northstar Software Corp.", "Sendwave Mail, Inc.",
            "Fieldnote Apps LLC", "Quantum Forms, Inc."]
GB_NAMES = ["Thistle Software Ltd", "Albion Analytics Limited", "Greenwich Digital Ltd", "Kestrel Cloud Services Ltd", "Pennine Print Co Ltd",
            "Brighton Marketplace Ltd"]
GB_ADDR = [("14 Old Street", "London EC1V 9BD"), ("2 Whitworth Street", "Manchester M1 3QW"), ("47 Queen Street", "Edinburgh EH2 3NH"),
           ("9 Temple Street", "Birmingham B2 5BN")]

BUYERS = [("Brasserie De Kroon BV", "Kerkstraat 12", "9000 Gent", "BE"), ("Atelier Lumière SRL", "Rue de Namur 45", "1000 Bruxelles", "BE"),
          ("Van Dijk Installaties B.V.", "Industrieweg 8", "3542 AD Utrecht", "NL"), ("Bakkerij Peeters BV", "Grote Markt 3", "2000 Antwerpen", "BE"),
          ("Studio Noord B.V.", "Prinsengracht 212", "1016 HE Amsterdam", "NL"), ("Menuiserie Dubois SRL", "Chaussée de Liège 77", "5000 Namur", "BE"),
          ("Groenhuis Hoveniers B.V.", "Dorpsstraat 41", "5611 AB Eindhoven", "NL"), ("Koffiebranderij Maes BV", "Stationsstraat 5", "3000 Leuven", "BE")]


# ---------------------------------------------------------------------------------------------
# Labels: country families draw from these; SaaS families use a software style.

def country_labels(rng, fam, credit):
    tax = COUNTRY[fam]["tax"] if fam in COUNTRY else "Tax"
    ch = rng.choice
    lab = dict(
        title=ch({"au": ["Tax Invoice", "TAX INVOICE", "Tax Invoice"], "nz": ["Tax Invoice", "TAX INVOICE"], "ca": ["Invoice", "INVOICE"],
                  "sg": ["Tax Invoice", "TAX INVOICE", "Invoice"], "ae": ["Tax Invoice", "TAX INVOICE"], "za": ["Tax Invoice", "TAX INVOICE"],
                  "hk": ["Invoice", "INVOICE", "Commercial Invoice"]}[fam]),
        credit=ch({"au": ["Adjustment Note", "Credit Note"], "nz": ["Credit Note", "Tax Credit Note"], "ca": ["Credit Memo", "Credit Note"],
                   "sg": ["Credit Note", "Tax Credit Note"], "ae": ["Tax Credit Note", "Credit Note"], "za": ["Tax Credit Note", "Credit Note"],
                   "hk": ["Credit Note"]}[fam]),
        number=ch(["Invoice No.", "Invoice Number", "Invoice #", "Tax Invoice No.", "Invoice No"]) if fam != "hk" else ch(["Invoice No.", "Invoice Number", "Our Ref."]),
        credit_number=ch(["Credit Note No.", "Credit Note Number", "Credit No."]),
        issue=ch(["Invoice Date", "Date", "Date of Issue", "Issue Date"]),
        due=ch(["Due Date", "Payment Due", "Due"]),
        bill_to=ch(["Bill To", "Invoice To", "Customer", "Sold To", "To"]),
        subtotal=ch({"au": ["Subtotal", "Total ex. GST", "Subtotal (ex GST)"], "nz": ["Subtotal", "Total excl. GST", "Sub Total"],
                     "ca": ["Subtotal", "Sub-total"], "sg": ["Subtotal", "Total before GST", "Sub Total"],
                     "ae": ["Total (excl. VAT)", "Taxable Amount", "Subtotal"], "za": ["Total Exclusive", "Subtotal", "Total excl. VAT"],
                     "hk": ["Subtotal", "Sub-total"]}[fam]),
        gross=ch(["Gross amount", "Total before discount", "Sub-total before discount"]),
        discount=ch(["Discount ({p}%)", "Less discount {p}%", "Trade discount {p}%"]),
        tax=ch([tax + " {r}%", tax + " @ {r}%", tax + " ({r}%)", "Total " + tax]) if tax else None,
        total=ch({"au": ["Total inc. GST", "Total (inc GST)", "TOTAL AUD", "Total"], "nz": ["Total incl. GST", "TOTAL NZD", "Total"],
                  "ca": ["Total", "Total CAD", "TOTAL"], "sg": ["Total incl. GST", "Total", "Total Amount"],
                  "ae": ["Total (incl. VAT)", "Total Amount Payable", "Grand Total"], "za": ["Total Inclusive", "Total", "Total incl. VAT"],
                  "hk": ["Total", "Total Amount", "TOTAL"]}[fam]),
        paid=ch(["Less: Deposit paid", "Amount Paid", "Less Payments Received", "Deposit received"]),
        amount_due=ch(["Amount Due", "Balance Due", "AMOUNT DUE", "Balance Owing"]),
        refund=ch(["Amount Credited", "Total Credit", "Credit Amount"]),
        desc=ch(["Description", "Item", "Item & Description", "Details"]), qty=ch(["Qty", "Quantity", "Hours/Qty"]),
        price=ch(["Unit Price", "Rate", "Price"]), amount=ch(["Amount", "Line Total", "Total"]),
    )
    if fam == "ca":
        lab["total"] = ch(["Total", "Total CAD", "TOTAL", "Total (CAD)"])
    return lab


SAAS_STYLES = {
    "us-saas": ["stripe", "chargebee", "freshbooks", "quickbooks", "wave", "zoho", "xero"],
    "gb-saas": ["xero", "freeagent", "sage", "reseller", "stripe"],
}


def saas_labels(style, fam, tax):
    """Labels as each product prints them (written for this corpus from what their PDFs look like)."""
    uk = fam == "gb-saas"
    return {
        "stripe": dict(title="Invoice", credit="Credit note", number="Invoice number", credit_number="Credit note number", issue="Date of issue",
                       due="Date due", bill_to="Bill to", subtotal="Total excluding tax", gross="Subtotal", discount="Discount ({p}% off)",
                       tax=tax, total="Total", paid="Amount paid", amount_due="Amount due", refund="Total credit",
                       desc="Description", qty="Qty", price="Unit price", amount="Amount"),
        "chargebee": dict(title="INVOICE", credit="CREDIT NOTE", number="Invoice #", credit_number="Credit Note #", issue="Invoice Date",
                          due="Due Date", bill_to="Billed To", subtotal="Sub Total", gross="Sub Total", discount="Discount ({p}%)", tax=tax,
                          total="Total", paid="Payments", amount_due="Amount Due", refund="Total Credits",
                          desc="Description", qty="Units", price="Unit Price", amount="Amount (USD)"),
        "freshbooks": dict(title="Invoice", credit="Credit Note", number="Invoice Number", credit_number="Credit Number", issue="Date of Issue",
                           due="Due Date", bill_to="Billed To", subtotal="Subtotal", gross="Subtotal", discount="Discount", tax=tax, total="Total",
                           paid="Amount Paid", amount_due="Amount Due (USD)", refund="Credit Total",
                           desc="Description", qty="Qty", price="Rate", amount="Line Total"),
        "quickbooks": dict(title="INVOICE", credit="CREDIT MEMO", number="INVOICE #", credit_number="CREDIT #", issue="DATE", due="DUE DATE",
                           bill_to="BILL TO", subtotal="SUBTOTAL", gross="SUBTOTAL", discount="DISCOUNT {p}%", tax=tax.upper(), total="TOTAL",
                           paid="PAYMENT", amount_due="BALANCE DUE", refund="TOTAL CREDIT",
                           desc="DESCRIPTION", qty="QTY", price="RATE", amount="AMOUNT"),
        "wave": dict(title="INVOICE", credit="CREDIT NOTE", number="Invoice Number:", credit_number="Credit Note Number:", issue="Invoice Date:",
                     due="Payment Due:", bill_to="BILL TO", subtotal="Subtotal:", gross="Subtotal:", discount="Discount {p}%:", tax=tax + ":",
                     total="Total:", paid="Payment on {d}:", amount_due="Amount Due (USD):", refund="Total credit:",
                     desc="Items", qty="Quantity", price="Price", amount="Amount"),
        "zoho": dict(title="INVOICE", credit="CREDIT NOTE", number="Invoice#", credit_number="Credit Note#", issue="Invoice Date", due="Due Date",
                     bill_to="Bill To", subtotal="Sub Total", gross="Sub Total", discount="Discount({p}%)", tax=tax, total="Total",
                     paid="Payment Made", amount_due="Balance Due", refund="Credits Remaining",
                     desc="Item & Description", qty="Qty", price="Rate", amount="Amount"),
        "xero": dict(title="TAX INVOICE" if uk else "INVOICE", credit="CREDIT NOTE", number="Invoice Number", credit_number="Credit Note Number",
                     issue="Invoice Date", due="Due Date", bill_to="", subtotal="Subtotal", gross="Subtotal", discount="Discount {p}%",
                     tax="TOTAL VAT 20%" if uk else "TOTAL SALES TAX", total="TOTAL GBP" if uk else "TOTAL USD", paid="Less Amount Paid",
                     amount_due="AMOUNT DUE GBP" if uk else "AMOUNT DUE USD", refund="TOTAL CREDIT",
                     desc="Description", qty="Quantity", price="Unit Price", amount="Amount GBP" if uk else "Amount USD"),
        "freeagent": dict(title="Invoice", credit="Credit Note", number="Invoice", credit_number="Credit Note", issue="Dated", due="Payment Due",
                          bill_to="To", subtotal="Subtotal", gross="Subtotal", discount="Discount ({p}%)", tax="VAT", total="Total",
                          paid="Paid", amount_due="Total Due", refund="Total",
                          desc="Details", qty="Quantity", price="Price", amount="Total"),
        "sage": dict(title="SALES INVOICE", credit="SALES CREDIT NOTE", number="Invoice No.", credit_number="Credit Note No.", issue="Invoice/Tax Date",
                     due="Due Date", bill_to="Invoice Address", subtotal="Total Net Amount", gross="Net before discount", discount="Discount {p}%",
                     tax="Total VAT Amount", total="Invoice Total", paid="Deposit Paid", amount_due="Balance Due", refund="Credit Total",
                     desc="Description", qty="Qty", price="Unit Price", amount="Net Amount"),
        "reseller": dict(title="VAT Invoice", credit="VAT Credit Note", number="Invoice number", credit_number="Credit note number",
                         issue="Invoice date", due="Payment due", bill_to="Billing address", subtotal="Total (excl. VAT)", gross="Subtotal",
                         discount="Coupon ({p}%)", tax="VAT 20%", total="Total payable", paid="Paid", amount_due="Amount due",
                         refund="Total refunded", desc="Product", qty="Qty", price="Unit price (excl. VAT)", amount="Net"),
    }[style]


# ---------------------------------------------------------------------------------------------
# The invoice model.

def make_invoice(rng, fam, k):
    credit = k % 7 == 3
    long_lines = k % 7 == 5 and fam in ("au", "ca", "us-saas", "gb-saas", "za")
    saas = fam in SAAS_STYLES
    style = rng.choice(SAAS_STYLES[fam]) if saas else "country"
    ch = rng.choice

    # Seller and its identifiers.
    seller_lines, footer = [], []
    if fam in COUNTRY:
        c = COUNTRY[fam]
        name = ch(c["names"])
        street, city = ch(c["addr"]) if c["addr"] else (None, None)
    elif fam == "us-saas":
        name = ch(US_NAMES)
    else:
        name = ch(GB_NAMES)
    brand = name.split()[0].upper().strip(",")
    # Taxes: list of (label, rate); zero-rated exports print a 0 % line.
    taxes, zero_note = [], None
    cur, sym = None, None
    ids = []
    if fam == "au":
        cur, sym = "AUD", ch(c["cur"][1])
        ids = [f"ABN {abn(rng)}" if rng.random() < 0.7 else f"ABN: {abn(rng).replace(' ', '')}"]
        taxes = [("GST", Decimal(10))]
    elif fam == "nz":
        cur, sym = "NZD", ch(c["cur"][1])
        ids = [ch(["GST No. ", "GST Number: ", "GST Reg No: "]) + nz_gst(rng), f"NZBN {digits(rng, 13, '94')}"]
        taxes = [("GST", Decimal(15))]
    elif fam == "ca":
        prov, (street, city), taxes = ch(CA_PROVINCES)
        cur, sym = "CAD", ch(c["cur"][1])
        bn = ca_bn(rng)
        ids = [ch([f"GST/HST Registration No. {bn} RT0001", f"GST/HST No.: {bn}RT0001", f"Business Number: {bn}"])]
        if prov == "QC":
            ids.append(f"QST Registration No. {digits(rng, 10, '12')} TQ0001")
        if prov == "BC":
            ids.append(f"PST No. PST-{digits(rng, 4)}-{digits(rng, 4)}")
    elif fam == "sg":
        cur, sym = "SGD", ch(c["cur"][1])
        if rng.random() < 0.2:
            cur, sym = "USD", ch(["US$", "USD"])
        uen = f"{rng.randint(2005, 2021)}{digits(rng, 5)}{ch('KMNRWZ')}"
        ids = [f"UEN: {uen}", ch([f"GST Reg. No.: {uen}", f"GST Registration No: M2-{digits(rng, 7)}-{rng.randint(0, 9)}", f"GST Reg No. {uen}"])]
        taxes = [("GST", Decimal(9))]
    elif fam == "ae":
        cur, sym = "AED", ch(c["cur"][1])
        if rng.random() < 0.2:
            cur, sym = "USD", ch(["USD", "US$"])
        ids = [ch(["TRN: ", "TRN ", "Tax Registration Number: "]) + "100" + digits(rng, 12)]
        taxes = [("VAT", Decimal(5))]
    elif fam == "za":
        cur, sym = "ZAR", ch(c["cur"][1])
        ids = [ch(["VAT No. ", "VAT Reg No: ", "VAT Registration Number: "]) + "4" + digits(rng, 9),
               f"Reg. No. {rng.randint(1998, 2020)}/{digits(rng, 6)}/07"]
        taxes = [("VAT", Decimal(15))]
    elif fam == "hk":
        cur, sym = "HKD", ch(c["cur"][1])
        if rng.random() < 0.25:
            cur, sym = "USD", "US$"
        ids = [f"BR No. {digits(rng, 8, '6')}"]
    elif fam == "us-saas":
        cur, sym = "USD", ch(["$", "$", "$", "US$"])
        st, stname, rate, (street, city) = ch(US_STATES)
        if rng.random() < 0.5 and rate:
            taxes = [({"stripe": f"Sales tax - {stname} ({rate}%)", "wave": f"{st} Sales Tax {rate}%"}.get(style, f"Sales Tax ({rate}%)"), rate)]
        if rng.random() < 0.3:
            ids = [f"EIN {digits(rng, 2, '8')}-{digits(rng, 7)}"]
    else:  # gb-saas
        cur, sym = "GBP", ch(["£", "£", "GBP"])
        street, city = ch(GB_ADDR)
        ids = [ch(["VAT Reg No: ", "VAT Registration No. ", "VAT Number: ", "VAT No. "]) + gb_vat(rng),
               f"Company No. {digits(rng, 8, '0')}"]
        taxes = [("VAT", Decimal(20))]
        if not credit and rng.random() < 0.25:
            taxes = [("VAT", Decimal(0))]
            zero_note = "Outside the scope of UK VAT: place of supply is the customer's country (reverse charge applies)."
    if fam in ("au", "nz", "sg", "za", "ae") and not credit and rng.random() < 0.25:
        taxes = [(taxes[0][0], Decimal(0))]
        zero_note = {"au": "GST-free export (s 38-190 GST Act)", "nz": "Zero-rated supply of services to a non-resident (0% GST)",
                     "sg": "Zero-rated supply - international services (s21(3) GST Act)", "za": "Zero-rated export of services (s11(2))",
                     "ae": "Zero-rated export of services (Art. 31 Federal Decree-Law No. 8 of 2017)"}[fam]
    street_city = (street, city)
    phone = {"us-saas": "+1 (415) ", "gb-saas": "+44 20 "}.get(fam, COUNTRY.get(fam, {}).get("phone", "") + " ")
    seller_lines = [name, street_city[0], street_city[1]]
    if fam in COUNTRY:
        seller_lines.append(COUNTRY[fam]["country"] if fam != "ae" else "")
    elif fam == "us-saas":
        seller_lines.append("United States")
    else:
        seller_lines.append("United Kingdom")
    seller_lines = [s for s in seller_lines if s]
    seller_lines += ids
    email = "billing@" + "".join(x for x in name.split()[0].lower() if x.isalnum()) + ".example"
    seller_lines.append(ch([email, f"{phone}{digits(rng, 4)} {digits(rng, 4)}"]))

    # Buyer.
    bname, bstreet, bcity, bc = ch(BUYERS)
    bvat = vat_be(rng) if bc == "BE" else vat_nl(rng)
    buyer_lines = [bname, bstreet, bcity, {"BE": "Belgium", "NL": "Netherlands"}[bc]]
    if rng.random() < 0.7:
        buyer_lines.append(ch(["VAT: ", "VAT No: ", "Customer VAT ID: ", "Tax ID: ", "BE VAT " if bc == "BE" else "NL VAT "]) + bvat)
    if saas and style == "stripe" and rng.random() < 0.5:
        buyer_lines.insert(1, f"accounts@{''.join(x for x in bname.split()[0].lower() if x.isalnum())}.example")

    # Lines.
    n = rng.randint(32, 46) if long_lines else rng.randint(1, 6)
    items = SAAS_ITEMS if saas else ITEMS
    lines = []
    for i in range(n):
        qty = Decimal(ch([1, 1, 1, 2, 3, 5, 10, 12, 25])) if rng.random() < 0.85 else Decimal(ch(["1.5", "7.5", "12.25"]))
        price = q(Decimal(rng.randint(500, 250000 if fam in ("hk", "za", "ae") else 90000)) / 100)
        desc = ch(items)
        if saas and rng.random() < 0.5:
            start = date(2024, rng.randint(1, 12), 1)
            desc += f" ({MONTHS[start.month - 1][:3]} 1 - {MONTHS[start.month - 1][:3]} 28, {start.year})"
        lines.append(dict(desc=desc, qty=qty, price=price, net=q(qty * price)))
    gross = sum((ln["net"] for ln in lines), Decimal(0))
    discount_pct = ch([5, 10, 15, 20]) if (not credit and not long_lines and rng.random() < 0.2) else 0
    discount = q(gross * discount_pct / 100)
    subtotal = gross - discount
    tax_rows = [(label, rate, q(subtotal * rate / 100)) for label, rate in taxes]
    tax_total = sum((t[2] for t in tax_rows), Decimal(0))
    total = subtotal + tax_total
    # AU/NZ: a quarter of the invoices show tax-inclusive prices ("Amounts are tax inclusive"): no ex-tax subtotal printed.
    inclusive = fam in ("au", "nz") and not discount and taxes and taxes[0][1] and rng.random() < 0.25
    receipt = saas and style == "stripe" and not credit and rng.random() < 0.4
    paid_stamp = saas and not receipt and not credit and rng.random() < 0.2
    deposit = Decimal(0)
    if not credit and not receipt and rng.random() < 0.2:
        deposit = q(total * Decimal(ch([25, 30, 50])) / 100)
    if paid_stamp:
        deposit = total
    due_amount = total - deposit

    year = ch([2024, 2025])
    issue = date(year, rng.randint(1, 12), rng.randint(1, 28))
    days = ch([7, 14, 30, 30, 45])
    if fam in ("au", "nz") and rng.random() < 0.3:  # "20th of the month following"
        nxt = date(issue.year + issue.month // 12, issue.month % 12 + 1, 20)
        due, terms = nxt, "Payment terms: 20th of the month following invoice"
    else:
        due, terms = issue + timedelta(days=days), ch([f"Terms: Net {days}", f"Payment terms: {days} days", f"Net {days}", f"Due within {days} days"])
    due_mode = "none" if (credit or receipt) else ch(["meta", "meta", "meta", "text", "terms"])
    datestyle = ch({"us-saas": ["Monthdy", "mdy/", "Mondy", "Monthdy"], "gb-saas": ["dmy/", "dMony", "dMonthy", "ordinal"]}.get(fam)
                   or COUNTRY[fam]["dates"])
    D = lambda d: fmt_date(d, datestyle)  # noqa: E731

    nn = rng.randint(17, 4800)
    if credit:
        number = ch([f"CN-{nn:05d}", f"CN{year}-{nn:04d}", f"CR-{nn}"])
    elif saas:
        number = {"stripe": f"{''.join(ch('ABCDEF0123456789') for _ in range(8))}-{nn % 100 + 1:04d}", "chargebee": f"{nn + 1000}",
                  "freshbooks": f"{nn:07d}", "quickbooks": f"{nn + 1000}", "wave": f"{nn}", "zoho": f"INV-{nn:06d}", "xero": f"INV-{nn:04d}",
                  "freeagent": f"{nn:03d}", "sage": f"SI-{nn}", "reseller": f"{year}-{nn:08d}"}[style]
    else:
        number = ch([f"INV-{nn:05d}", f"{nn + 10000}", f"TI{year}-{nn:04d}", f"INV{nn:06d}", f"{year}/{nn:04d}"])

    # Money.
    numstyle = "space" if (fam == "za" and rng.random() < 0.5) else "comma"
    neg_style = ch(["minus", "minus", "paren"]) if fam in ("us-saas", "ca") else "minus"
    sign = -1 if credit and rng.random() < 0.6 else 1
    suffix_sym = fam == "ae" and sym != "US$" and rng.random() < 0.4

    def A(x, with_sym=True):
        s = fmt_num(x, numstyle)
        if with_sym and sym:
            if suffix_sym:
                s = f"{s} {sym}"
            elif sym in ("$", "£", "A$", "NZ$", "S$", "US$", "C$", "CA$", "HK$") or (sym == "R" and numstyle == "comma"):
                s = f"{sym}{s}"
            else:
                s = f"{sym} {s}"
        if x < 0:
            s = f"({s})" if neg_style == "paren" else f"-{s}"
        return s

    lab = saas_labels(style, fam, taxes[0][0] if taxes else "Tax") if saas else country_labels(rng, fam, credit)
    doc = dict(fam=fam, style=style, credit=credit, brand=brand, seller=seller_lines, buyer=buyer_lines, lab=lab)
    doc["title"] = lab["credit"] if credit else ("Receipt" if receipt else lab["title"])
    if fam == "ae" and rng.random() < 0.5:
        doc["title_ar"] = "إشعار دائن ضريبي" if credit else "فاتورة ضريبية"
    meta = [(lab["credit_number"] if credit else lab["number"], number)]
    if receipt:
        meta.append(("Receipt number", f"{digits(rng, 4)}-{digits(rng, 4)}"))
    meta.append(("Date paid" if receipt else lab["issue"], D(issue)))
    if due_mode == "meta":
        meta.append((lab["due"], D(due)))
    if rng.random() < 0.4:
        meta.append((ch(["Reference", "PO Number", "Your Ref.", "Order No."]), f"PO-{rng.randint(1000, 99999)}"))
    if rng.random() < 0.3:
        meta.append((ch(["Account No.", "Customer ID", "Account"]), str(rng.randint(10000, 99999))))
    if style == "quickbooks" and due_mode != "none":
        meta.append(("TERMS", f"Net {days}"))
    doc["meta"] = meta
    doc["buyer_label"] = lab["bill_to"]

    # Lines table.
    doc["cols"] = [lab["desc"], lab["qty"], lab["price"], lab["amount"]]
    doc["rows"] = [[ln["desc"], f"{ln['qty'].normalize():f}", A(sign * ln["price"], False), A(sign * ln["net"], rng.random() < 0.3)]
                   for ln in lines]
    if inclusive:
        for r, ln in zip(doc["rows"], lines):
            rate = taxes[0][1]
            r[2] = A(sign * q(ln["price"] * (100 + rate) / 100), False)
            r[3] = A(sign * q(ln["net"] * (100 + rate) / 100), False)

    # Totals.
    tot = []
    taxword = taxes[0][0] if taxes else "Tax"
    print_subtotal = False
    if inclusive:
        if rng.random() < 0.5:
            tot.append(("Subtotal", A(sign * total)))
        tot.append((ch(["Includes GST of", "Total includes GST 10%" if fam == "au" else "Includes GST 15%", "GST included"]), A(sign * tax_total)))
        tot.append((lab["total"], A(sign * total), "bold"))
    else:
        net_row = True
        if discount:
            tot.append((lab["gross"], A(sign * gross)))
            tot.append((lab["discount"].format(p=discount_pct), A(-discount)))
            net_row = lab["gross"] != lab["subtotal"]  # FreshBooks, QuickBooks, ...: no net row after the discount
        print_subtotal = net_row and (bool(taxes) or bool(discount) or rng.random() < 0.5)
        if print_subtotal:
            tot.append((lab["subtotal"], A(sign * subtotal)))
        for label, rate, amt in tax_rows:
            if saas:
                t = label if style in ("stripe", "wave") else lab["tax"]
                if style in ("chargebee", "freshbooks", "zoho", "quickbooks", "reseller") and "%" not in t:
                    t = f"{t} ({rate.normalize():f}%)" if fam == "us-saas" else f"VAT ({rate.normalize():f}%)"
                if style == "stripe" and fam == "gb-saas":
                    t = f"VAT - United Kingdom ({rate.normalize():f}% on {A(sign * subtotal)})"
            elif fam == "ca":
                t = f"{label} ({rate.normalize():f}%)" if rng.random() < 0.7 else f"{label} @ {rate.normalize():f}%"
            else:
                t = lab["tax"].format(r=f"{rate.normalize():f}")
            tot.append((t, A(sign * amt)))
        if fam == "ca" and len(tax_rows) > 1 and rng.random() < 0.4:
            tot.append(("Total taxes", A(sign * tax_total)))
        tot.append((lab["total"], A(sign * total), "bold"))
    printed_due = False
    if receipt:
        tot.append(("Amount paid", A(total), "bold"))
    elif deposit:
        paid_label = lab["paid"].format(d=D(issue + timedelta(days=rng.randint(0, 5)))) + (" using Visa •••• 4242" if style == "wave" else "")
        tot.append((paid_label, A(-deposit)))
        tot.append((lab["amount_due"], A(due_amount), "bold"))
        printed_due = True
    elif credit:
        if rng.random() < 0.4:
            tot.append((lab["refund"], A(total), "bold"))
            printed_due = True
    elif rng.random() < (0.8 if saas else 0.5):
        tot.append((lab["amount_due"], A(due_amount), "bold"))
        printed_due = True
    doc["totals"] = tot
    # A headline with the amount due (Stripe, FreshBooks, Wave, Zoho).
    doc["headline"] = None
    if not credit and style in ("stripe", "freshbooks", "wave", "zoho"):
        if receipt:
            doc["headline"] = f"{A(total)} paid on {D(issue)}"
        elif paid_stamp:
            doc["headline"] = "PAID"
        elif style == "stripe" and due_mode != "none":
            doc["headline"] = f"{A(due_amount)} due {D(due)}"
            due_mode = "headline" if due_mode != "meta" else due_mode
        elif style in ("freshbooks", "wave", "zoho"):
            doc["headline"] = f"{lab['amount_due'].rstrip(':')} {A(due_amount)}"
            printed_due = True
    elif paid_stamp:
        doc["headline"] = "PAID"

    notes = []
    if credit:
        orig = issue - timedelta(days=rng.randint(5, 60))
        notes.append(ch(["This credit note relates to invoice {n} dated {d}.", "Credit against invoice {n} of {d}", "Original invoice: {n} ({d})"])
                     .format(n=ch([f"INV-{nn - 3:05d}", f"{nn + 9990}", f"INV-{nn - 3:04d}"]), d=D(orig)))
    if zero_note:
        notes.append(zero_note)
    if inclusive:
        notes.append("Amounts are tax inclusive")
    if fam == "hk":
        notes.append(ch(["No tax is chargeable in Hong Kong.", "All amounts in " + cur + ".", "E. & O.E."]))
    if fam == "sg" and cur == "USD" and tax_total:
        notes.append(f"GST payable in SGD at 1 USD = 1.3412 SGD: S${fmt_num(q(tax_total * Decimal('1.3412')), 'comma')}")
    doc["notes"] = notes

    # Payment block.
    pay = [ch(["Payment details", "How to pay", "Remittance advice", "Bank details"])]
    if fam == "au":
        pay += [f"Account name: {name}", f"BSB: {digits(rng, 3, '06')}-{digits(rng, 3)}", f"Account: {digits(rng, 4)} {digits(rng, 4)}",
                "SWIFT: CTBAAU2S"]
    elif fam == "nz":
        pay += [f"Bank account: {digits(rng, 2, '0')}-{digits(rng, 4)}-{digits(rng, 7)}-{digits(rng, 2, '0')}", "SWIFT: ANZBNZ22"]
    elif fam == "ca":
        pay += [f"Institution {digits(rng, 3, '0')} Transit {digits(rng, 5)} Account {digits(rng, 7)}", "Interac e-Transfer: " + email]
    elif fam == "sg":
        pay += [f"Bank: DBS Bank Ltd, Account No. {digits(rng, 3)}-{digits(rng, 6)}-{digits(rng, 1)}", "SWIFT: DBSSSGSG", "PayNow UEN accepted"]
    elif fam == "ae":
        ae_iban = "AE" + digits(rng, 2) + digits(rng, 19)
        pay += [f"Bank: Emirates NBD, IBAN: {ae_iban}", "SWIFT: EBILAEAD"]
    elif fam == "za":
        pay += [f"Bank: FNB, Branch code: 250655, Account no.: {digits(rng, 11, '6')}", f"Reference: {number}"]
    elif fam == "hk":
        pay += [f"HSBC Hong Kong, A/C No. {digits(rng, 3)}-{digits(rng, 6)}-{digits(rng, 3)}", "SWIFT: HSBCHKHHHKH", "FPS ID: " + digits(rng, 7)]
    elif fam == "us-saas":
        pay += [ch(["Pay online: https://pay.example/inv/" + digits(rng, 10), f"ACH: routing {digits(rng, 9, '0')}, account {digits(rng, 10)}",
                    "Charged to Visa ending in 4242"])]
    else:
        pay += [f"Sort code: {digits(rng, 2, '2')}-{digits(rng, 2)}-{digits(rng, 2)}  Account no: {digits(rng, 8)}",
                "SWIFT: BARCGB22 (international payments)"]
    if due_mode == "text":
        pay.append(ch(["Please pay {a} by {d}.", "Payment is due on {d}.", "Due date: {d}"]).format(a=A(due_amount), d=D(due)))
    elif due_mode == "terms":
        pay.append(terms)
    doc["pay"] = pay
    doc["thanks"] = ch(["Thank you for your business!", "Thanks for your custom.", "", "Questions? Contact " + email])
    doc["footer"] = " · ".join([name] + ids[:2])

    truth = dict(invoice_number=number, issue_date=issue.isoformat(), currency=cur, total=str(q(total)), seller_name=name,
                 buyer_name=bname, kind="credit_note" if credit else "invoice", lines=len(lines))
    if print_subtotal:
        truth["subtotal"] = str(q(subtotal))
    if tax_rows:
        truth["vat_amount"] = str(q(tax_total))
    if due_mode in ("meta", "text", "headline"):
        truth["due_date"] = due.isoformat()
    if printed_due:
        truth["amount_due"] = str(q(due_amount if not credit else total))
    own = dict(names=[bname], vat_numbers=[bvat], ibans=[])
    meta_info = dict(style=style, receipt=receipt, inclusive=bool(inclusive), long=long_lines)
    return doc, truth, own, meta_info


# ---------------------------------------------------------------------------------------------
# HTML layouts (Chromium, WeasyPrint, LibreOffice).

CSS = """
@page { size: %(page)s; margin: 14mm 15mm; }
body { font-family: %(font)s; font-size: %(size)spt; color: #1d1d1d; }
table { border-collapse: collapse; }
.lines { width: 100%%; margin-top: 6mm; }
.lines th { border-bottom: 2px solid %(accent)s; text-align: left; padding: 4px 5px; font-weight: bold; }
.lines td { border-bottom: 1px solid #ddd; padding: 3px 5px; }
.r { text-align: right; }
.tot td { padding: 2px 6px; }
.b { font-weight: bold; }
.small { font-size: 7.5pt; color: #555; }
.title { font-size: 20pt; font-weight: bold; color: %(accent)s; }
.head { font-size: 14pt; font-weight: bold; margin-top: 4mm; }
.stamp { color: #1a7f37; border: 3px solid #1a7f37; display: inline-block; padding: 2px 10px; font-size: 18pt; font-weight: bold; }
"""


def lines_html(doc):
    head = "".join(f"<th{' class=r' if i else ''}>{esc(c)}</th>" for i, c in enumerate(doc["cols"]))
    body = "".join("<tr>" + "".join(f"<td{' class=r' if i else ''}>{esc(v)}</td>" for i, v in enumerate(r)) + "</tr>" for r in doc["rows"])
    return f'<table class="lines" width="100%"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def totals_html(doc):
    rows = "".join(f'<tr class="{"b" if len(t) > 2 else ""}"><td>{esc(t[0])}</td><td class="r">{esc(t[1])}</td></tr>' for t in doc["totals"])
    return f'<table class="tot" align="right" width="50%" style="margin-top:4mm; min-width:80mm">{rows}</table><div style="clear:both"></div>'


def block_html(lines, bold_first=True):
    return "<br>".join((f"<b>{esc(x)}</b>" if i == 0 and bold_first else esc(x)) for i, x in enumerate(lines))


def meta_rows_html(meta):
    return "<table>" + "".join(f'<tr><td style="padding:1px 10px 1px 0">{esc(k.rstrip(":"))}{":" if not k.endswith("#") else ""}</td>'
                               f'<td class="b">{esc(v)}</td></tr>' for k, v in meta) + "</table>"


def meta_grid_html(meta):
    head = "".join(f'<td nowrap class="small b" style="padding:2px 8px 0 0">{esc(k.rstrip(":"))}</td>' for k, _ in meta)
    vals = "".join(f'<td nowrap style="padding:0 8px 2px 0">{esc(v)}</td>' for _, v in meta)
    return f'<table style="margin-top:4mm"><tr>{head}</tr><tr>{vals}</tr></table>'


def title_html(doc):
    ar = f' <span dir="rtl" style="font-size:14pt">{esc(doc["title_ar"])}</span>' if doc.get("title_ar") else ""
    return f'<div class="title">{esc(doc["title"])}{ar}</div>'


def headline_html(doc):
    h = doc["headline"]
    if not h:
        return ""
    return '<div class="stamp">PAID</div>' if h == "PAID" else f'<div class="head">{esc(h)}</div>'


def tail_html(doc):
    notes = "".join(f"<p>{esc(n)}</p>" for n in doc["notes"])
    pay = block_html(doc["pay"])
    return f'{notes}<p style="margin-top:5mm">{pay}</p><p>{esc(doc["thanks"])}</p>'


def buyer_html(doc):
    label = f'<div class="small b">{esc(doc["buyer_label"])}</div>' if doc["buyer_label"] else ""
    return label + block_html(doc["buyer"])


def html_letter(doc, rng):
    """Seller top left, title and label: value rows at the right, buyer under its label."""
    head = (f'<table width="100%" style="width:100%"><tr><td style="vertical-align:top; width:55%">{block_html(doc["seller"])}</td>'
            f'<td style="vertical-align:top">{title_html(doc)}{meta_rows_html(doc["meta"])}</td></tr></table>')
    buyer = f'<div style="margin-top:8mm">{buyer_html(doc)}</div>'
    return head + headline_html(doc) + buyer + lines_html(doc) + totals_html(doc) + tail_html(doc)


def html_right(doc, rng):
    """Brand and title left, seller top right; header fields as a row of labels over values; buyer below."""
    head = (f'<table width="100%" style="width:100%"><tr><td style="vertical-align:top"><div style="font-size:22pt; font-weight:bold">{esc(doc["brand"])}</div>'
            f'{title_html(doc)}</td><td style="vertical-align:top; text-align:right">{block_html(doc["seller"])}</td></tr></table>')
    buyer = f'<div style="margin-top:6mm">{buyer_html(doc)}</div>'
    return head + buyer + meta_grid_html(doc["meta"]) + headline_html(doc) + lines_html(doc) + totals_html(doc) + tail_html(doc)


def html_footer(doc, rng):
    """Brand word on top, buyer left, meta right, the seller only in the footer."""
    head = (f'<div style="font-size:26pt; font-weight:bold; letter-spacing:2px">{esc(doc["brand"])}</div>'
            f'<table width="100%" style="width:100%; margin-top:8mm"><tr><td style="vertical-align:top; width:55%">{buyer_html(doc)}</td>'
            f'<td style="vertical-align:top">{title_html(doc)}{meta_rows_html(doc["meta"])}</td></tr></table>')
    sep = rng.choice([" · ", " | ", " • "])
    foot = f'<p class="small" style="margin-top:10mm; border-top:1px solid #ccc; padding-top:2mm; text-align:center">{esc(sep.join(doc["seller"]))}</p>'
    return head + headline_html(doc) + lines_html(doc) + totals_html(doc) + tail_html(doc) + foot


def html_saas(doc, rng):
    """Stripe-like: title, meta rows top left, seller and buyer in two columns, headline amount, lines, totals."""
    head = f'{title_html(doc)}<div style="margin-top:3mm">{meta_rows_html(doc["meta"])}</div>'
    cols = (f'<table width="100%" style="width:100%; margin-top:6mm"><tr><td style="vertical-align:top; width:50%">{block_html(doc["seller"])}</td>'
            f'<td style="vertical-align:top">{buyer_html(doc)}</td></tr></table>')
    return head + cols + headline_html(doc) + lines_html(doc) + totals_html(doc) + tail_html(doc) + f'<p class="small">{esc(doc["footer"])}</p>'


HTML_LAYOUTS = {"letter": html_letter, "right": html_right, "footer": html_footer, "saas": html_saas}


def to_html(doc, rng, layout, page):
    font = rng.choice(["DejaVu Sans", "Liberation Sans", "Liberation Serif", "Arial, Helvetica, sans-serif"])
    css = CSS % dict(font=font, size=rng.choice([8.5, 9, 9.5]), accent=rng.choice(["#2a4d69", "#635bff", "#333", "#0b7a75"]), page=page)
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{css}</style></head><body>{HTML_LAYOUTS[layout](doc, rng)}</body></html>'


def render_weasyprint(html_text, out):
    import logging
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint import HTML
    HTML(string=html_text).write_pdf(out)


# ---------------------------------------------------------------------------------------------
# Drawn layouts (ReportLab and fpdf2), on a pen measured in millimetres from the top left.

class PagedReportLab(ReportLabPen):
    def newpage(self):
        self.c.showPage()


class PagedFpdf(FpdfPen):
    def newpage(self):
        self.pdf.add_page()


def draw_block(pen, x, y, lines, size=9, bold_first=True, step=4.2, align="l"):
    for i, s in enumerate(lines):
        pen.text(x, y + i * step, s, size, bold=(i == 0 and bold_first), align=align)
    return y + len(lines) * step


def draw_meta_rows(pen, x, y, meta, vx):
    for k, v in meta:
        pen.text(x, y, k if k.endswith(("#", ":")) else f"{k}:", 8.5)
        pen.text(vx, y, v, 8.5, bold=True)
        y += 4.4
    return y


def draw_meta_grid(pen, x, y, meta, width):
    w = width / max(len(meta), 4)
    for i, (k, v) in enumerate(meta):
        pen.text(x + i * w, y, k.rstrip(":"), 6.5, bold=True)
        pen.text(x + i * w, y + 4.5, v, 8)
    return y + 10


def draw_table(pen, y, doc, bottom):
    xs = [15, 130, 160, 195]

    def header(y):
        for i, c in enumerate(doc["cols"]):
            pen.text(xs[i], y, c, 8, bold=True, align="l" if i == 0 else "r")
        pen.line(15, y + 1.5, 195, y + 1.5)
        return y + 6
    y = header(y)
    for r in doc["rows"]:
        if y > bottom:
            pen.newpage()
            y = header(20)
        for i, v in enumerate(r):
            pen.text(xs[i], y, v[:70] if i == 0 else v, 8.5, align="l" if i == 0 else "r")
        y += 5
    pen.line(15, y - 3, 195, y - 3)
    return y + 2


def draw_totals(pen, y, doc, lx=120):
    if y + 6 * len(doc["totals"]) > 270:
        pen.newpage()
        y = 20
    if max(len(t[0]) for t in doc["totals"]) > 26:
        lx = 75
    for t in doc["totals"]:
        pen.text(lx, y, t[0], 9, bold=len(t) > 2)
        pen.text(195, y, t[1], 9, bold=len(t) > 2, align="r")
        y += 5
    return y + 2


def draw_tail(pen, y, doc):
    if y > 235:
        pen.newpage()
        y = 20
    for n in doc["notes"]:
        for s in wrap(n):
            pen.text(15, y, s, 8)
            y += 4
    y += 2
    for i, s in enumerate(doc["pay"]):
        pen.text(15, y, s, 8.5, bold=i == 0)
        y += 4.3
    if doc["thanks"]:
        pen.text(15, y + 2, doc["thanks"], 8.5)
    return y + 6


def draw_headline(pen, y, doc):
    h = doc["headline"]
    if not h:
        return y
    pen.text(15, y + 2, h, 13 if h != "PAID" else 18, bold=True)
    return y + 9


def draw_title(pen, x, y, doc, size=16, align="l"):
    pen.text(x, y, doc["title"], size, bold=True, align=align)


def draw_letter(pen, doc, rng):
    y = draw_block(pen, 15, 18, doc["seller"], 9)
    draw_title(pen, 120, 20, doc)
    ym = draw_meta_rows(pen, 120, 28, doc["meta"], 160)
    y = draw_headline(pen, max(y, ym) + 3, doc) + 3
    if doc["buyer_label"]:
        pen.text(15, y, doc["buyer_label"], 7.5, bold=True)
    y = draw_block(pen, 15, y + 4.5, doc["buyer"], 9) + 6
    y = draw_table(pen, y, doc, 272)
    y = draw_totals(pen, y, doc)
    draw_tail(pen, y, doc)


def draw_right(pen, doc, rng):
    pen.text(15, 22, doc["brand"], 20, bold=True)
    draw_title(pen, 15, 32, doc, 14)
    y = draw_block(pen, 195, 18, doc["seller"], 8.5, align="r")
    y = max(y, 40) + 4
    if doc["buyer_label"]:
        pen.text(15, y, doc["buyer_label"], 7.5, bold=True)
    y = draw_block(pen, 15, y + 4.5, doc["buyer"], 9) + 4
    y = draw_meta_grid(pen, 15, y, doc["meta"], 180)
    y = draw_headline(pen, y, doc) + 3
    y = draw_table(pen, y, doc, 272)
    y = draw_totals(pen, y, doc)
    draw_tail(pen, y, doc)


def draw_footer(pen, doc, rng):
    pen.text(15, 20, doc["brand"], 22, bold=True)
    y = 40
    if doc["buyer_label"]:
        pen.text(15, y, doc["buyer_label"], 7.5, bold=True)
        y += 4.5
    yb = draw_block(pen, 15, y, doc["buyer"], 9.5, step=4.6)
    draw_title(pen, 118, 40, doc, 15)
    ym = draw_meta_rows(pen, 118, 48, doc["meta"], 158)
    y = draw_headline(pen, max(yb, ym) + 3, doc) + 5
    y = draw_table(pen, y, doc, 262)
    y = draw_totals(pen, y, doc)
    draw_tail(pen, y, doc)
    sep = rng.choice([" · ", " | ", " – "])
    parts = doc["seller"]
    pen.line(15, 278, 195, 278)
    pen.text(105, 282, sep.join(parts[:4])[:150], 7, align="c")
    pen.text(105, 285.5, sep.join(parts[4:])[:150], 7, align="c")


def draw_saas(pen, doc, rng):
    draw_title(pen, 15, 20, doc, 18)
    y = draw_meta_rows(pen, 15, 30, doc["meta"], 55) + 4
    y1 = draw_block(pen, 15, y, doc["seller"], 8.5)
    if doc["buyer_label"]:
        pen.text(110, y, doc["buyer_label"], 8.5, bold=True)
    y2 = draw_block(pen, 110, y + (4.2 if doc["buyer_label"] else 0), doc["buyer"], 8.5, bold_first=not doc["buyer_label"])
    y = draw_headline(pen, max(y1, y2) + 3, doc) + 3
    y = draw_table(pen, y, doc, 272)
    y = draw_totals(pen, y, doc)
    draw_tail(pen, y, doc)


DRAW_LAYOUTS = {"letter": draw_letter, "right": draw_right, "footer": draw_footer, "saas": draw_saas}


def render_drawn(doc, rng, layout, out, producer):
    font = rng.choice(["DejaVu", "DejaVu", "DejaVuSerif", "Liberation"])
    pen = PagedReportLab(out, font) if producer == "reportlab" else PagedFpdf(out, font)
    DRAW_LAYOUTS[layout](pen, doc, rng)
    pen.save()


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=14, help="invoices per family")
    ap.add_argument("--seed", type=int, default=110)
    ap.add_argument("--families", default=",".join(FAMILIES))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-world-")
    try:
        for family in args.families.split(","):
            fi = FAMILIES.index(family)
            for k in range(args.count):
                rng = random.Random(hashlib.sha256(f"{args.seed}-{family}-{k}".encode()).hexdigest())
                doc, truth, own, info = make_invoice(rng, family, k)
                producer = PRODUCER_CYCLE[(k // 2 + fi) % len(PRODUCER_CYCLE)]
                if info["style"] in ("stripe", "chargebee", "freshbooks", "wave", "zoho") and rng.random() < 0.7:
                    layout = "saas"
                else:
                    layout = rng.choice(["letter", "right", "footer", "saas"] if family in SAAS_STYLES else ["letter", "right", "footer"])
                page = "Letter" if family in ("us-saas", "ca") else "A4"
                doc_id = f"{family}-{k:02d}"
                out = os.path.join(args.out, doc_id + ".pdf")
                if producer in ("chromium", "libreoffice", "weasyprint"):
                    html_text = to_html(doc, rng, layout, page)
                    if producer == "chromium":
                        render_chromium(html_text, out, tmp)
                    elif producer == "libreoffice":
                        render_libreoffice(html_text, out, tmp)
                    else:
                        render_weasyprint(html_text, out)
                else:
                    render_drawn(doc, rng, layout, out, producer)
                split = "tune" if k % 2 == 0 else "heldout"
                manifest.append(dict(path=f"{doc_id}.pdf", producer=family, family=family, split=split, own=own, truth=truth,
                                     renderer=producer, layout=layout, style=info["style"], language="en", country=family.split("-")[0]))
                print(f"{doc_id} {producer} {layout} {info['style']}", file=sys.stderr)
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
