#!/usr/bin/env python3
"""Prints the public e-invoices of `einvoices/invoices.jsonl` (their XML values) in eight styles
that imitate how German and French invoicing software and ERP systems print invoices, and writes
a corpus with the XML's values as the ground truth. None of these styles is in `printed.py`:

* `ferd`: a German business letter as the FeRD samples print one (Chromium);
* `lexoffice`: a modern German SaaS page, lexoffice / sevDesk-like (Chromium);
* `easybill`: an easybill / Billomat-like page, header table with labels over values (ReportLab);
* `datev`: a dense DATEV / Sage 100-like ERP print in small type, tax table, carry-over (fpdf2);
* `sage_fr`: a French Sage / EBP-like page with SIRET, échéances and a RIB box (LibreOffice);
* `pennylane`: a modern French SaaS page, Pennylane / Axonaut-like (Chromium);
* `chorus`: a French public-sector invoice with engagement number and service code (ReportLab);
* `odoo_fd`: an Odoo-like invoice in French or German by the seller's country (fpdf2).

Usage: `styles.py OUT [--seed S] [--styles a,b]`. Every source file is in the tuning or the
held-out half by a hash of its id (as in `printed.py`), in every style alike. The values the XML
does not carry (customer numbers, delivery dates, registers, BICs) are drawn from a seeded RNG.
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
from generate import esc, fmt_num, render_chromium, render_libreoffice  # noqa: E402
from printed import iban_print, nonzero, split_of, truth_of  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
STYLES = ["ferd", "lexoffice", "easybill", "datev", "sage_fr", "pennylane", "chorus", "odoo_fd"]
RENDERER = dict(ferd="chromium", lexoffice="chromium", pennylane="chromium", sage_fr="libreoffice", easybill="reportlab",
                chorus="reportlab", datev="fpdf2", odoo_fd="fpdf2")
MONTHS = {"de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
          "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]}
FIRST = ["Anna", "Thomas", "Julia", "Markus", "Claire", "Pierre", "Sophie", "Jean", "Katrin", "Stefan"]
LAST = ["Berger", "Hoffmann", "Wagner", "Lefèvre", "Martin", "Dubois", "Schulz", "Keller", "Moreau", "Richter"]
COURTS = ["München", "Frankfurt am Main", "Köln", "Berlin-Charlottenburg", "Hamburg", "Stuttgart"]
BANKS = [("Sparkasse KölnBonn", "COLSDE33XXX"), ("Commerzbank AG", "COBADEFFXXX"), ("Deutsche Bank", "DEUTDEDBXXX"),
         ("GLS Bank", "GENODEM1GLS"), ("Crédit Agricole", "AGRIFRPPXXX"), ("BNP Paribas", "BNPAFRPPXXX"), ("Société Générale", "SOGEFRPPXXX")]


def date(s, how):
    """A date in one of the notations these tools print."""
    if not s:
        return ""
    d = dt.date.fromisoformat(s)
    return {"dot": d.strftime("%d.%m.%Y"), "dot2": d.strftime("%d.%m.%y"), "slash": d.strftime("%d/%m/%Y"),
            "de_long": f"{d.day}. {MONTHS['de'][d.month - 1]} {d.year}", "fr_long": f"{d.day} {MONTHS['fr'][d.month - 1]} {d.year}",
            "iso": d.isoformat()}[how]


def qty(s, dec=","):
    """A quantity as a person reads it: "400", "1,5" (the XML's "400.0000", "1.5")."""
    try:
        d = Decimal(s).normalize()
    except Exception:
        return s
    return format(d, "f").replace(".", dec)


def shift(s, days):
    return (dt.date.fromisoformat(s) + dt.timedelta(days=days)).isoformat() if s else ""


class Doc:
    """One invoice's values as a style prints them: the sign the tool uses for credit notes, the
    numbers and names the XML does not carry, drawn once per document."""

    def __init__(self, f, rng, negate_credits=False):
        self.f, self.rng = f, rng
        self.s, self.b = f["seller"], f["buyer"]
        self.credit = f["type"] in ("381", "261", "396")
        self.correction = f["type"] == "384"
        self.selfbilled = f["type"] == "389"
        # Some tools print a credit note's amounts negative; the XML keeps them positive.
        self.sign = Decimal(-1) if negate_credits and self.credit else Decimal(1)
        self.customer_no = f["buyer_ref"] if f["buyer_ref"] and len(f["buyer_ref"]) <= 10 else str(rng.randint(10000, 99999))
        self.delivery = shift(f["issue"], -rng.randint(0, 6))
        self.manager = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        self.court = f"Amtsgericht {rng.choice(COURTS)}, HRB {rng.randint(1000, 250000)}"
        self.taxno = f"{rng.randint(100, 299)}/{rng.randint(100, 999)}/{rng.randint(10000, 99999)}"
        self.bank, self.bic = rng.choice(BANKS)
        self.siret = " ".join([str(rng.randint(100, 999)) for _ in range(3)]) + f" {rng.randint(10000, 99999)}"
        self.phone = f"+{49 if self.s['country'] == 'DE' else 33} {rng.randint(10, 99)} {rng.randint(100000, 9999999)}"
        self.skonto_pct = rng.choice([2, 3])

    def amt(self, s, style="eu"):
        return fmt_num(Decimal(s) * self.sign, style) if s not in ("", None) else ""

    def neg(self, s, style="eu"):
        """An amount that is deducted, printed with a minus."""
        return fmt_num(-abs(Decimal(s)) * (1 if self.sign > 0 else -1), style)

    def rate(self, r, dec=","):
        d = Decimal(r or "0").normalize()
        return format(d, "f").replace(".", dec)

    def code(self, rate):
        """The tax key of a line's rate: its place in the VAT breakdown, from 1."""
        rates = [Decimal(r or "0") for r, _, _ in self.f["breakdown"]]
        return rates.index(Decimal(rate or "0")) + 1 if Decimal(rate or "0") in rates else 1

    def iban(self):
        return iban_print(self.f["iban"]) if self.f["iban"] else ""

    def terms_de(self, how):
        f = self.f
        parts = [f["terms"]] if f["terms"] else []
        if f["due"] and self.rng.random() < 0.6:
            sk_day = date(shift(f["issue"], 10), how)
            sk = (Decimal(f["total"] or "0") * self.skonto_pct / 100).quantize(Decimal("0.01"))
            parts.append(f"Bei Zahlung bis zum {sk_day} gewähren wir {self.skonto_pct} % Skonto ({fmt_num(sk, 'eu')} EUR), "
                         f"ohne Abzug zahlbar bis zum {date(f['due'], how)}.")
        elif f["due"]:
            parts.append(f"Bitte überweisen Sie den Rechnungsbetrag bis zum {date(f['due'], how)}.")
        return " ".join(parts)

    def title_de(self):
        if self.credit:
            return self.rng.choice(["Gutschrift", "Rechnungskorrektur"])
        if self.correction:
            return "Rechnungskorrektur"
        if self.selfbilled:
            return "Gutschrift (Gutschriftsverfahren)"
        return {"387": "Mietrechnung", "575": "Versicherungsrechnung"}.get(self.f["type"], "Rechnung")

    def title_fr(self):
        if self.credit or self.correction:
            return "Avoir"
        return "Facture d'autofacturation" if self.selfbilled else "Facture"


CSS = "@page { size: A4; margin: 12mm 15mm 10mm 18mm; } body { padding-bottom: 16mm; } body { font-size: 9pt; } td.n, th.n { text-align: right; }"


def html_page(css, body, font):
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{CSS} body {{ font-family: {font}; }} {css}</style></head><body>{body}</body></html>"


def ferd(f, rng):
    """FeRD-sample-like German letter: letterhead, sender line over the address window, info
    block at the right, positions, net / USt / gross, Skonto, a three-column footer."""
    d = Doc(f, rng)
    s, b = d.s, d.b
    how = rng.choice(["dot", "dot", "de_long"])
    colon = rng.choice([":", ""])
    info = [("Rechnungsnummer", f["number"]), ("Rechnungsdatum", date(f["issue"], how)), ("Kundennummer", d.customer_no),
            ("Lieferdatum", date(d.delivery, how))]
    if f["order"]:
        info.append(("Ihre Bestellung", f["order"]))
    if f["buyer_ref"] and f["buyer_ref"] != d.customer_no:
        info.append(("Leitweg-ID" if "-" in f["buyer_ref"] else "Ihr Zeichen", f["buyer_ref"]))
    info.append(("Ansprechpartner", d.manager))
    if f["due"] and rng.random() < 0.5:
        info.append(("Fälligkeitsdatum", date(f["due"], how)))
    infotab = "".join(f"<tr><td>{esc(k)}{colon}</td><td class='n'>{esc(v)}</td></tr>" for k, v in info)
    lines = "".join(
        f"<tr><td>{i + 1}</td><td>{esc(a)}</td><td>{esc(bb)}</td><td class='n'>{qty(c)}</td><td class='n'>{d.amt(p)}</td>"
        f"<td class='n'>{d.rate(r)} %</td><td class='n'>{d.amt(g)}</td></tr>"
        for i, (a, bb, c, p, r, g) in enumerate(f["lines"]))
    tot = []
    if nonzero(f.get("allowances")) or nonzero(f.get("charges")):
        tot.append(("Summe Positionen", d.amt(f["line_total"])))
        if nonzero(f.get("allowances")):
            tot.append(("abzüglich Rabatt", d.neg(f["allowances"])))
        if nonzero(f.get("charges")):
            tot.append(("zuzüglich Fracht / Verpackung", d.amt(f["charges"])))
    tot.append(("Gesamtbetrag netto", d.amt(f["net"])))
    for r, base, v in f["breakdown"]:
        tot.append((rng.choice([f"zzgl. USt {d.rate(r)} %", f"zzgl. {d.rate(r)} % USt auf {d.amt(base)}"]), d.amt(v)))
    tot.append(("Gesamtbetrag brutto", d.amt(f["total"]) + " EUR"))
    if nonzero(f.get("prepaid")):
        tot.append(("abzüglich geleistete Anzahlung", d.neg(f["prepaid"])))
        tot.append(("Zahlbetrag", d.amt(f["due_amount"]) + " EUR"))
    totals = "".join(f"<tr><td>{esc(k)}</td><td class='n'>{esc(v)}</td></tr>" for k, v in tot)
    brk = " style='page-break-before: always'" if rng.random() < 0.2 else ""
    title = d.title_de()
    if d.correction:
        title += " zur Rechnung vom " + date(shift(f["issue"], -rng.randint(10, 40)), how)
    iban = f"IBAN: {d.iban()}<br>BIC: {d.bic}" if f["iban"] else "Zahlung per SEPA-Lastschrift"
    css = """.lh { text-align: right; font-size: 16pt; font-weight: bold; color: #1b4f8a; } .lh2 { text-align: right; font-size: 8pt; color: #555; }
.row { display: flex; justify-content: space-between; margin-top: 8mm; } .sender { font-size: 6.5pt; border-bottom: 0.5px solid #000; margin-bottom: 2mm; }
.win { width: 85mm; height: 40mm; } table.info td { padding: 0 0 0 6mm; font-size: 8.5pt; } h1 { font-size: 13pt; margin: 8mm 0 2mm 0; }
table.pos { width: 100%; border-collapse: collapse; } table.pos th { border-bottom: 1px solid #000; text-align: left; font-size: 8pt; }
table.pos td { padding: 2px; vertical-align: top; border-bottom: 0.5px solid #ccc; } table.tot { margin-left: auto; margin-top: 4mm; }
table.tot td { padding: 1px 4px 1px 12mm; } table.tot tr:last-child td { font-weight: bold; border-top: 1px solid #000; }
.foot { position: fixed; bottom: 0; left: 0; right: 0; display: flex; font-size: 6.5pt; color: #444; border-top: 0.5px solid #888; padding-top: 1mm; }
.foot div { flex: 1; }"""
    body = (f"<div class='lh'>{esc(s.get('trading') or s['name'])}</div><div class='lh2'>{esc(s['street'])} · {esc(s['city'])} · Tel. {d.phone}</div>"
            f"<div class='row'><div class='win'><div class='sender'>{esc(s['name'])} · {esc(s['street'])} · {esc(s['city'])}</div>"
            f"{esc(b['name'])}<br>{esc(b['street'])}<br>{esc(b['city'])}</div><table class='info'>{infotab}</table></div>"
            f"<h1>{esc(title)}</h1><p>Sehr geehrte Damen und Herren,<br>für unsere Lieferungen und Leistungen berechnen wir Ihnen:</p>"
            f"<table class='pos'><tr><th>Pos.</th><th>Art.-Nr.</th><th>Bezeichnung</th><th class='n'>Menge</th><th class='n'>Einzelpreis</th>"
            f"<th class='n'>USt</th><th class='n'>Gesamtpreis</th></tr>{lines}</table><table class='tot'{brk}>{totals}</table>"
            + (f"<p>{esc(f['exemption'])}</p>" if f.get("exemption") else "") + f"<p>{esc(d.terms_de(how))}</p>"
            f"<p>Mit freundlichen Grüßen<br>{esc(s.get('trading') or s['name'])}</p>"
            f"<div class='foot'><div>{esc(s['name'])}<br>{esc(s['street'])}<br>{esc(s['city'])}<br>Geschäftsführer: {esc(d.manager)}</div>"
            f"<div>{esc(d.court)}<br>" + (f"USt-IdNr.: {esc(s['vat'])}<br>" if s["vat"] else "") + f"Steuernummer: {d.taxno}</div>"
            f"<div>{esc(d.bank)}<br>{iban}</div></div>")
    return html_page(css, body, "'Liberation Sans', sans-serif")


def lexoffice(f, rng):
    """lexoffice / sevDesk-like: a clean SaaS page, meta as label/value rows without colons,
    long dates, credit notes as "Rechnungskorrektur" with negative amounts."""
    d = Doc(f, rng, negate_credits=True)
    s, b = d.s, d.b
    how = rng.choice(["de_long", "dot"])
    meta = [("Rechnungsnr." if not d.credit else "Belegnr.", f["number"]), ("Kundennr.", d.customer_no),
            ("Datum", date(f["issue"], how))]
    meta.append(rng.choice([("Lieferdatum", date(d.delivery, how)),
                            ("Leistungszeitraum", f"{date(shift(d.delivery, -30), 'dot')} – {date(d.delivery, 'dot')}")]))
    if f["order"]:
        meta.append(("Bestellnr.", f["order"]))
    if f["buyer_ref"] and f["buyer_ref"] != d.customer_no:
        meta.append(("Referenz", f["buyer_ref"]))
    metatab = "".join(f"<tr><td class='k'>{esc(k)}</td><td class='n'>{esc(v)}</td></tr>" for k, v in meta)
    lines = "".join(
        f"<tr><td>{i + 1}.</td><td><b>{esc(bb)}</b></td><td class='n'>{qty(c)}</td><td class='n'>{d.amt(p)} €</td><td class='n'>{d.amt(g)} €</td></tr>"
        for i, (a, bb, c, p, r, g) in enumerate(f["lines"]))
    tot = [("Gesamtbetrag (netto)" if rng.random() < 0.5 else "Zwischensumme (netto)", d.amt(f["net"]))]
    if nonzero(f.get("allowances")):
        tot.insert(0, ("Rabatt", d.neg(f["allowances"])))
    if nonzero(f.get("charges")):
        tot.insert(0, ("Versandkosten", d.amt(f["charges"])))
    for r, base, v in f["breakdown"]:
        tot.append((f"Umsatzsteuer {d.rate(r)} %", d.amt(v)))
    tot.append(("Gesamtbetrag", d.amt(f["total"])))
    if nonzero(f.get("prepaid")):
        tot.append(("abzüglich Abschlagszahlung", d.neg(f["prepaid"])))
        tot.append(("Offener Betrag", d.amt(f["due_amount"])))
    totals = "".join(f"<tr><td>{esc(k)}</td><td class='n'>{esc(v)} €</td></tr>" for k, v in tot)
    pay = (f"Zahlungsbedingungen: Zahlung innerhalb von {(dt.date.fromisoformat(f['due']) - dt.date.fromisoformat(f['issue'])).days} Tagen "
           f"ab Rechnungseingang ohne Abzüge (bis {date(f['due'], how)})." if f["due"] else "Zahlungsbedingungen: " + (f["terms"] or "sofort ohne Abzug."))
    if d.credit:
        pay = "Der Betrag wird Ihnen in den nächsten Tagen auf Ihr Konto erstattet."
    title = "Rechnungskorrektur" if (d.credit or d.correction) else ("Gutschrift" if d.selfbilled else "Rechnung")
    css = """.sender { font-size: 7pt; color: #777; margin-top: 30mm; } .top { display: flex; justify-content: space-between; }
.brand { font-size: 20pt; font-weight: 300; color: #2a2a2a; position: absolute; top: 0; right: 0; } table.meta td { padding: 1px 0 1px 8mm; }
td.k { color: #666; } h1 { font-size: 17pt; font-weight: normal; margin: 12mm 0 1mm 0; } .intro { color: #444; }
table.pos { width: 100%; border-collapse: collapse; margin-top: 4mm; } table.pos th { text-align: left; color: #666; font-weight: normal; border-bottom: 1px solid #ddd; }
table.pos td { padding: 3px 2px; border-bottom: 1px solid #eee; } table.tot { margin-left: auto; width: 80mm; margin-top: 3mm; }
table.tot tr:last-child td { font-weight: bold; font-size: 10.5pt; border-top: 2px solid #333; }
.foot { position: fixed; bottom: 0; left: 0; right: 0; display: flex; gap: 4mm; font-size: 6.5pt; color: #777; } .foot div { flex: 1; }"""
    body = (f"<div class='brand'>{esc(s.get('trading') or s['name'])}</div><div class='top'><div><div class='sender'>{esc(s['name'])} · {esc(s['street'])} · {esc(s['city'])}</div>"
            f"{esc(b['name'])}<br>{esc(b['street'])}<br>{esc(b['city'])}</div><table class='meta' style='margin-top: 30mm'>{metatab}</table></div>"
            f"<h1>{title} Nr. {esc(f['number'])}</h1><p class='intro'>Vielen Dank für Ihren Auftrag. Wir berechnen Ihnen folgende Leistungen:</p>"
            f"<table class='pos'><tr><th>Pos.</th><th>Beschreibung</th><th class='n'>Menge</th><th class='n'>Einzelpreis</th><th class='n'>Gesamtpreis</th></tr>{lines}</table>"
            f"<table class='tot'>{totals}</table><p>{esc(pay)}</p>" + (f"<p>{esc(f['exemption'])}</p>" if f.get("exemption") else "") +
            f"<div class='foot'><div>{esc(s['name'])}<br>{esc(s['street'])}<br>{esc(s['city'])}</div><div>Tel. {d.phone}<br>"
            + (f"USt-IdNr. {esc(s['vat'])}" if s["vat"] else f"St.-Nr. {d.taxno}") + f"</div><div>Inhaber/Geschäftsführung<br>{esc(d.manager)}</div>"
            f"<div>Bankverbindung<br>{esc(d.bank)}<br>" + (f"<span style='white-space: nowrap'>IBAN {d.iban()}</span><br>BIC {d.bic}" if f["iban"] else "") + "</div></div>")
    return html_page(css, body, "'DejaVu Sans', sans-serif")


def pennylane(f, rng):
    """Pennylane / Axonaut-like French SaaS page: long or slash dates, Émetteur / Destinataire,
    Total HT / TVA / TTC, "Reste à payer", avoirs printed with negative amounts."""
    d = Doc(f, rng, negate_credits=True)
    s, b = d.s, d.b
    how = rng.choice(["fr_long", "slash"])
    cur = rng.choice([" €", " EUR"])
    m = lambda x: d.amt(x, "fr") + cur  # noqa: E731
    title = d.title_fr()
    meta = [(rng.choice([f"{title} n°", "Numéro"]), f["number"]), (rng.choice(["Date d'émission", "Date de facture"]), date(f["issue"], how))]
    if f["due"]:
        meta.append((rng.choice(["Date d'échéance", "Échéance"]), date(f["due"], how)))
    meta.append(("Date de livraison", date(d.delivery, how)))
    if f["order"]:
        meta.append(("Bon de commande", f["order"]))
    colon = rng.choice([" :", ""])
    metatab = "".join(f"<tr><td class='k'>{esc(k)}{colon}</td><td>{esc(v)}</td></tr>" for k, v in meta)
    lines = "".join(
        f"<tr><td>{esc(bb)}</td><td class='n'>{qty(c)}</td><td class='n'>{m(p)}</td><td class='n'>{d.rate(r)} %</td><td class='n'>{m(g)}</td></tr>"
        for a, bb, c, p, r, g in f["lines"])
    tot = []
    if nonzero(f.get("allowances")):
        tot.append(("Remise globale", d.neg(f["allowances"], "fr") + cur))
    if nonzero(f.get("charges")):
        tot.append(("Frais de livraison", m(f["charges"])))
    tot.append(("Total HT", m(f["net"])))
    for r, base, v in f["breakdown"]:
        tot.append((f"TVA {d.rate(r)} %", m(v)))
    tot.append(("Total TTC", m(f["total"])))
    if nonzero(f.get("prepaid")):
        tot.append((rng.choice(["Déjà réglé", "Acompte reçu"]), d.neg(f["prepaid"], "fr") + cur))
    tot.append((rng.choice(["Reste à payer", "Montant restant dû", "Net à payer"]), m(f["due_amount"])))
    totals = "".join(f"<tr><td>{esc(k)}</td><td class='n'>{esc(v)}</td></tr>" for k, v in tot)
    vat = lambda p: f"<br>N° TVA : {esc(p['vat'])}" if p["vat"] else ""  # noqa: E731
    pay = (f"<div class='pay'><b>Paiement par virement bancaire</b><br>Titulaire : {esc(s['name'])}<br>IBAN : {d.iban()}<br>BIC : {d.bic}"
           f"<br>Référence à indiquer : {esc(f['number'])}</div>" if f["iban"] else "")
    css = """.top { display: flex; justify-content: space-between; align-items: flex-start; } .brand { font-size: 18pt; font-weight: bold; color: #6b4de6; }
h1 { font-size: 20pt; margin: 0; text-align: right; } table.meta td { padding: 1px 4px; } td.k { color: #777; }
.parties { display: flex; gap: 10mm; margin: 10mm 0 6mm 0; } .parties div { flex: 1; } .lab { font-size: 7.5pt; text-transform: uppercase; color: #999; letter-spacing: 0.5px; }
table.pos { width: 100%; border-collapse: collapse; } table.pos th { background: #f4f2fd; text-align: left; padding: 4px; font-weight: 600; }
table.pos td { padding: 4px; border-bottom: 1px solid #eee; } table.tot { margin-left: auto; width: 75mm; margin-top: 4mm; }
table.tot tr:last-child td { font-weight: bold; background: #f4f2fd; font-size: 10.5pt; } .pay { border: 1px solid #ddd; border-radius: 4px; padding: 3mm; margin-top: 6mm; width: 95mm; }
.legal { font-size: 7pt; color: #888; margin-top: 8mm; }"""
    body = (f"<div class='top'><div class='brand'>{esc(s.get('trading') or s['name'])}</div><div><h1>{esc(title)}</h1><table class='meta'>{metatab}</table></div></div>"
            f"<div class='parties'><div><div class='lab'>Émetteur</div><b>{esc(s['name'])}</b><br>{esc(s['street'])}<br>{esc(s['city'])}{vat(s)}</div>"
            f"<div><div class='lab'>{rng.choice(['Destinataire', 'Client', 'Adressé à'])}</div><b>{esc(b['name'])}</b><br>{esc(b['street'])}<br>{esc(b['city'])}{vat(b)}</div></div>"
            f"<table class='pos'><tr><th>Description</th><th class='n'>Quantité</th><th class='n'>Prix unitaire HT</th><th class='n'>TVA</th><th class='n'>Total HT</th></tr>{lines}</table>"
            f"<table class='tot'>{totals}</table>{pay}<div class='legal'>{esc(f['terms'])}<br>" + (esc(f["exemption"]) + "<br>" if f.get("exemption") else "") +
            "Pénalités de retard : trois fois le taux d'intérêt légal. Indemnité forfaitaire pour frais de recouvrement : 40 €. Pas d'escompte pour paiement anticipé.<br>"
            f"{esc(s['name'])} – SAS au capital de {rng.choice(['1 000', '10 000', '50 000'])} € – SIRET {d.siret} – RCS {rng.choice(['Paris', 'Lyon', 'Nantes'])}</div>")
    return html_page(css, body, "'DejaVu Sans', sans-serif")


def sage_fr(f, rng):
    """French Sage / EBP-like page: seller block, header table (labels over values), lines with
    references, tax base table, Total HT / TVA / TTC / Net à payer, conditions, RIB box."""
    d = Doc(f, rng)
    s, b = d.s, d.b
    title = d.title_fr().upper()
    hdr = [("Date", date(f["issue"], "slash")), (f"N° {'Avoir' if title == 'AVOIR' else 'Facture'}", f["number"]), ("Code client", d.customer_no)]
    if f["due"]:
        hdr.append(("Échéance", date(f["due"], "slash")))
    if f["order"]:
        hdr.append(("Votre commande", f["order"]))
    header = ("<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>" + "".join(f"<td align='center'><b>{esc(k)}</b></td>" for k, _ in hdr) +
              "</tr><tr>" + "".join(f"<td align='center'>{esc(v)}</td>" for _, v in hdr) + "</tr></table>")
    m = lambda x: d.amt(x, rng.choice(["frs"]))  # noqa: E731
    lines = "".join(
        f"<tr><td>{esc(a)[:14]}</td><td>{esc(bb)}</td><td align='right'>{qty(c)}</td><td align='right'>{m(p)}</td><td align='right'>{m(g)}</td>"
        f"<td align='center'>{d.code(r)}</td></tr>" for a, bb, c, p, r, g in f["lines"])
    bases = "".join(f"<tr><td>{k + 1}</td><td align='right'>{m(base)}</td><td align='right'>{d.rate(r)} %</td><td align='right'>{m(v)}</td></tr>"
                    for k, (r, base, v) in enumerate(f["breakdown"]))
    tot = []
    if nonzero(f.get("allowances")):
        tot.append(("Remise", d.neg(f["allowances"], "frs")))
    if nonzero(f.get("charges")):
        tot.append(("Port", m(f["charges"])))
    tot += [("Total HT", m(f["net"])), ("Total TVA", m(f["vat"])), ("Total TTC", m(f["total"]))]
    if nonzero(f.get("prepaid")):
        tot.append(("Acompte", d.neg(f["prepaid"], "frs")))
    tot.append(("NET À PAYER" if not d.credit else "NET À DÉDUIRE", m(f["due_amount"]) + " €"))
    totals = "".join(f"<tr><td><b>{esc(k)}</b></td><td align='right'>{esc(v)}</td></tr>" for k, v in tot)
    ib = f["iban"].replace(" ", "")
    rib = ""
    if ib:
        rib = f"<table border='1' cellspacing='0' cellpadding='3'><tr><td colspan='4'><b>Relevé d'identité bancaire</b> – {esc(d.bank)}</td></tr>"
        if ib.startswith("FR") and len(ib) == 27:
            rib += (f"<tr><td>Banque</td><td>Guichet</td><td>N° compte</td><td>Clé</td></tr>"
                    f"<tr><td>{ib[4:9]}</td><td>{ib[9:14]}</td><td>{ib[14:25]}</td><td>{ib[25:27]}</td></tr>")
        rib += f"<tr><td colspan='4'>IBAN : {d.iban()} &nbsp; BIC : {d.bic}</td></tr></table>"
    cond = rng.choice(["Virement à 30 jours", "Virement à réception", "Chèque ou virement à 45 jours fin de mois", "Virement à 60 jours"])
    ech = f"<p>Échéance(s) : {date(f['due'], 'slash')} &nbsp; {m(f['due_amount'])} €</p>" if f["due"] else ""
    return (f"<!doctype html><html><head><meta charset='utf-8'></head><body style='font-family: Liberation Sans; font-size: 8.5pt'>"
            f"<table width='100%'><tr><td valign='top' width='55%'><b style='font-size: 12pt'>{esc(s.get('trading') or s['name'])}</b><br>{esc(s['street'])}<br>{esc(s['city'])}<br>"
            f"Tél. : {d.phone}<br>SIRET : {d.siret}<br>Code APE : {rng.randint(1000, 9999)}Z" + (f"<br>N° TVA intracom. : {esc(s['vat'])}" if s["vat"] else "") +
            f"</td><td valign='top'><h1 align='right'>{esc(title)}</h1><table border='1' cellspacing='0' cellpadding='6' width='100%'><tr><td>"
            f"<b>{esc(b['name'])}</b><br>{esc(b['street'])}<br>{esc(b['city'])}" + (f"<br>TVA : {esc(b['vat'])}" if b["vat"] else "") +
            f"</td></tr></table></td></tr></table><br>{header}<br>"
            f"<table border='1' cellspacing='0' cellpadding='2' width='100%'><tr><td><b>Référence</b></td><td><b>Désignation</b></td><td align='right'><b>Qté</b></td>"
            f"<td align='right'><b>P.U. HT</b></td><td align='right'><b>Montant HT</b></td><td align='center'><b>TVA</b></td></tr>{lines}</table><br>"
            f"<table width='100%'><tr><td valign='top'><table border='1' cellspacing='0' cellpadding='2'><tr><td><b>Code</b></td><td><b>Base HT</b></td>"
            f"<td><b>Taux</b></td><td><b>Montant TVA</b></td></tr>{bases}</table><p><b>Conditions de règlement :</b> {esc(cond)}</p>{ech}"
            f"<p>{esc(f['terms'])}</p>{rib}</td><td valign='top' align='right'><table border='1' cellspacing='0' cellpadding='3'>{totals}</table></td></tr></table>"
            + (f"<p>{esc(f['exemption'])}</p>" if f.get("exemption") else "") +
            f"<p style='font-size: 6.5pt'>En cas de retard de paiement, une pénalité égale à 3 fois le taux d'intérêt légal sera exigible, ainsi qu'une indemnité "
            f"forfaitaire de 40 € pour frais de recouvrement.</p><hr><p align='center' style='font-size: 6.5pt'>{esc(s['name'])} – SARL au capital de "
            f"{rng.randint(2, 90) * 1000} € – RCS {rng.choice(['Paris', 'Lyon', 'Lille', 'Bordeaux'])} {d.siret[:11]} – SIRET {d.siret}"
            + (f" – TVA {esc(s['vat'])}" if s["vat"] else "") + "</p></body></html>")


# --- Direct drawing (ReportLab, fpdf2) ------------------------------------------------------------

class Pen:
    """A page writer on ReportLab or fpdf2 with mm coordinates from the top left."""

    def __init__(self, backend, out, font="Helvetica"):
        self.backend, self.out, self.page = backend, out, 1
        if backend == "reportlab":
            from reportlab.lib.pagesizes import A4
            from reportlab.pdfgen import canvas
            from reportlab.pdfbase.pdfmetrics import stringWidth
            self.c = canvas.Canvas(out, pagesize=A4, pageCompression=1)
            self.h = A4[1]
            self.sw = stringWidth
            self.fonts = {False: font, True: {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold"}[font]}
        else:
            from fpdf import FPDF
            self.c = FPDF(unit="mm", format="A4")
            self.c.set_auto_page_break(False)
            dj = "/usr/share/fonts/truetype/dejavu/"
            base = {"DejaVu": "DejaVuSans", "DejaVuCond": "DejaVuSansCondensed"}[font]
            self.c.add_font("F", "", dj + base + ".ttf")
            self.c.add_font("F", "B", dj + base + "-Bold.ttf")
            self.c.add_page()

    def clean(self, s):
        s = str(s)
        if self.backend == "reportlab":  # WinAnsi standard fonts
            s = s.replace("\u202f", " ").replace("–", "-").replace("\u2212", "-")
            s = s.encode("cp1252", "replace").decode("cp1252")
        return s

    def width(self, s, size=9, bold=False):
        s = self.clean(s)
        if self.backend == "reportlab":
            return self.sw(s, self.fonts[bold], size) / 72 * 25.4
        self.c.set_font("F", "B" if bold else "", size)
        return self.c.get_string_width(s)

    def text(self, x, y, s, size=9, bold=False, align="left"):
        s = self.clean(s)
        if not s:
            return
        w = self.width(s, size, bold)
        if align == "right":
            x -= w
        elif align == "center":
            x -= w / 2
        if self.backend == "reportlab":
            self.c.setFont(self.fonts[bold], size)
            self.c.drawString(x / 25.4 * 72, self.h - y / 25.4 * 72, s)
        else:
            self.c.set_font("F", "B" if bold else "", size)
            self.c.text(x, y, s)

    def wrap(self, s, width, size=9, bold=False):
        out, cur = [], ""
        for word in str(s).split():
            t = (cur + " " + word).strip()
            if cur and self.width(t, size, bold) > width:
                out.append(cur)
                cur = word
            else:
                cur = t
        return out + ([cur] if cur else [])

    def para(self, x, y, s, width, size=9, bold=False, lead=1.35):
        for ln in self.wrap(s, width, size, bold):
            self.text(x, y, ln, size, bold)
            y += size * lead * 25.4 / 72
        return y

    def line(self, x1, y1, x2, y2, w=0.2):
        if self.backend == "reportlab":
            self.c.setLineWidth(w / 25.4 * 72)
            self.c.line(x1 / 25.4 * 72, self.h - y1 / 25.4 * 72, x2 / 25.4 * 72, self.h - y2 / 25.4 * 72)
        else:
            self.c.set_line_width(w)
            self.c.line(x1, y1, x2, y2)

    def rect(self, x, y, w, h):
        for a, b_, c, d in [(x, y, x + w, y), (x, y + h, x + w, y + h), (x, y, x, y + h), (x + w, y, x + w, y + h)]:
            self.line(a, b_, c, d)

    def new_page(self):
        self.page += 1
        if self.backend == "reportlab":
            self.c.showPage()
        else:
            self.c.add_page()

    def save(self):
        if self.backend == "reportlab":
            self.c.save()
        else:
            self.c.output(self.out)


def table(pen, y, cols, rows, size, on_break, bottom=262, head_bold=True, carry=None, break_after=None):
    """Draws a positions table (cols: (label, x, align, wrap width or None)); breaks pages at
    `bottom` (or after row `break_after`), calling on_break(pen) for the next page's top. `carry`
    sums the rows' amounts for a carry-over ("Übertrag") line at each break: (label, x, fmt)."""
    lh = size * 1.4 * 25.4 / 72

    def head(y):
        for label, x, align, _ in cols:
            pen.text(x, y, label, size, head_bold, align)
        pen.line(cols[0][1], y + 1.2, 195, y + 1.2)
        return y + lh + 1

    y = head(y)
    running = Decimal(0)
    for i, (row, amount) in enumerate(rows):
        cells = [pen.wrap(v, c[3], size) if c[3] else [v] for v, c in zip(row, cols)]
        n = max(len(c) for c in cells)
        if y + n * lh > bottom or i == break_after:
            if carry:
                pen.text(carry[1], y + 1, carry[0], size, True)
                pen.text(195, y + 1, carry[2](running), size, True, "right")
            pen.new_page()
            y = on_break(pen)
            if carry:
                pen.text(carry[1], y, carry[0], size, True)
                pen.text(195, y, carry[2](running), size, True, "right")
                y += lh + 1
            y = head(y)
        for k, (cell, (label, x, align, _)) in enumerate(zip(cells, cols)):
            for j, ln in enumerate(cell):
                pen.text(x, y + j * lh, ln, size, False, align)
        running += Decimal(amount or "0")
        y += n * lh + 0.6
    pen.line(cols[0][1], y - lh + 1.5, 195, y - lh + 1.5)
    return y


def totals_block(pen, y, rows, size, x_label=120, x_val=195, bold_last=True):
    lh = size * 1.45 * 25.4 / 72
    for k, (label, val) in enumerate(rows):
        last = bold_last and k == len(rows) - 1
        if last:
            pen.line(x_label, y - lh + 1.2, x_val, y - lh + 1.2, 0.3)
        pen.text(x_label, y, label, size, last)
        pen.text(x_val, y, val, size, last, "right")
        y += lh
    return y


def easybill(f, rng, out):
    """easybill / Billomat-like (ReportLab): seller block at the top right, the buyer in the
    address window, a header table with the labels over the values, Summe netto / USt / brutto."""
    d = Doc(f, rng)
    s, b = d.s, d.b
    pen = Pen("reportlab", out, rng.choice(["Helvetica", "Times-Roman"]))
    how = rng.choice(["dot", "dot", "de_long"])
    pen.text(195, 18, s.get("trading") or s["name"], 14, True, "right")
    y = 24
    for ln in [s["street"], s["city"], f"Telefon {d.phone}", f"buchhaltung@{(s.get('trading') or s['name']).split()[0].lower().strip('[]')}.de"]:
        pen.text(195, y, ln, 8, False, "right")
        y += 3.8
    pen.text(20, 48, f"{s['name']} - {s['street']} - {s['city']}", 6.5)
    pen.line(20, 49, 100, 49, 0.15)
    y = 55
    for ln in [b["name"], b["street"], b["city"]]:
        y = pen.para(20, y, ln, 80, 10)
    title = d.title_de()
    pen.text(20, 92, title, 15, True)
    cols = [("Rechnungs-Nr." if not d.credit else "Gutschrift-Nr.", f["number"]), ("Kunden-Nr.", d.customer_no),
            ("Datum", date(f["issue"], how)), ("Lieferdatum", date(d.delivery, how))]
    if f["due"]:
        cols.append(("Zahlbar bis", date(f["due"], how)))
    x = 20
    wcol = 175 / len(cols)
    for label, val in cols:
        pen.text(x, 100, label, 7.5, True)
        pen.text(x, 104.5, val, 9)
        x += wcol
    pen.line(20, 106.5, 195, 106.5)
    if f["order"]:
        pen.text(20, 112, f"Ihre Bestellung: {f['order']}", 8.5)
    rows = [([str(i + 1), bb, qty(c), d.amt(p), f"{d.rate(r)} %", d.amt(g)], g) for i, (a, bb, c, p, r, g) in enumerate(f["lines"])]
    tcols = [("Pos.", 20, "left", None), ("Beschreibung", 30, "left", 75), ("Menge", 128, "right", None), ("Einzelpreis", 152, "right", None),
             ("USt.", 168, "right", None), ("Gesamt", 195, "right", None)]
    y = table(pen, 120, tcols, rows, 8.5, lambda p: 25)
    tot = [("Summe netto", d.amt(f["net"]) + " €")]
    if nonzero(f.get("allowances")):
        tot.insert(0, ("Rabatt", d.neg(f["allowances"]) + " €"))
    for r, base, v in f["breakdown"]:
        tot.append((f"USt. {d.rate(r)} %", d.amt(v) + " €"))
    tot.append(("Summe brutto" if nonzero(f.get("prepaid")) else "Rechnungsbetrag", d.amt(f["total"]) + " €"))
    if nonzero(f.get("prepaid")):
        tot += [("Anzahlung", d.neg(f["prepaid"]) + " €"), ("Zu zahlen", d.amt(f["due_amount"]) + " €")]
    if y + 40 > 262:
        pen.new_page()
        y = 25
    y = totals_block(pen, y + 4, tot, 9)
    y = pen.para(20, y + 5, d.terms_de(how), 170, 8.5)
    if f.get("exemption"):
        y = pen.para(20, y + 1, f["exemption"], 170, 8.5)
    foot = [[s["name"], s["street"], s["city"]], [f"Geschäftsführer: {d.manager}", d.court, (f"USt-IdNr.: {s['vat']}" if s["vat"] else f"St.-Nr.: {d.taxno}")],
            [d.bank] + ([f"IBAN: {d.iban()}", f"BIC: {d.bic}"] if f["iban"] else ["Zahlung per Lastschrift"])]
    pen.line(20, 272, 195, 272, 0.15)
    for k, col in enumerate(foot):
        for j, ln in enumerate(col):
            pen.text(20 + k * 60, 276 + j * 3.2, ln, 6.5)
    pen.save()


def chorus(f, rng, out):
    """A French public-sector invoice as deposited on Chorus Pro (ReportLab): Fournisseur and
    Destinataire blocks with SIRET, service exécutant and numéro d'engagement, slash dates."""
    d = Doc(f, rng)
    s, b = d.s, d.b
    pen = Pen("reportlab", out, "Helvetica")
    m = lambda x: d.amt(x, "frs")  # noqa: E731
    pen.text(20, 20, d.title_fr().upper(), 16, True)
    pen.text(195, 20, "Cadre de facturation : A1 – Facture de fournisseur", 7.5, False, "right")
    rows = [("Numéro de facture", f["number"]), ("Date de facture", date(f["issue"], "slash"))]
    if f["due"]:
        rows.append(("Date d'échéance", date(f["due"], "slash")))
    rows.append(("Mode de paiement", "Virement" if f["iban"] else "Prélèvement"))
    rows.append(("Devise", f["currency"]))
    y = 30
    for k, v in rows:
        pen.text(20, y, f"{k} :", 8.5, True)
        pen.text(62, y, v, 8.5)
        y += 4.5
    ybox = y + 4
    pen.rect(18, ybox - 5, 84, 46)
    pen.rect(108, ybox - 5, 87, 46)
    pen.text(20, ybox, "FOURNISSEUR", 8, True)
    pen.text(110, ybox, "DESTINATAIRE (STRUCTURE PUBLIQUE)", 8, True)
    left = [f"Raison sociale : {s['name']}", s["street"], s["city"], f"SIRET : {d.siret}"] + ([f"N° TVA : {s['vat']}"] if s["vat"] else [])
    engagement = f["order"] or f"EJ{rng.randint(1000000, 9999999)}"
    right = [f"Raison sociale : {b['name']}", b["street"], b["city"], f"SIRET : {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)} 00017",
             f"Code service exécutant : SE{rng.randint(1000, 9999)}", f"Numéro d'engagement : {engagement}"]
    if f["buyer_ref"]:
        right.append(f"Référence acheteur : {f['buyer_ref']}")
    yl = ybox + 5
    for ln in left:
        yl = pen.para(20, yl, ln, 80, 8)
    yr = ybox + 5
    for ln in right:
        yr = pen.para(110, yr, ln, 83, 8)
    rows = [([a[:10], bb, qty(c), m(p), f"{d.rate(r)} %", m(g)], g) for a, bb, c, p, r, g in f["lines"]]
    cols = [("Réf.", 20, "left", None), ("Désignation", 38, "left", 70), ("Quantité", 128, "right", None),
            ("PU HT", 150, "right", None), ("TVA", 165, "right", None), ("Montant HT", 195, "right", None)]
    y = table(pen, ybox + 50, cols, rows, 8, lambda p: 25)
    tot = []
    if nonzero(f.get("allowances")):
        tot.append(("Remise (HT)", d.neg(f["allowances"], "frs")))
    if nonzero(f.get("charges")):
        tot.append(("Frais (HT)", m(f["charges"])))
    tot.append(("Montant HT", m(f["net"])))
    for r, base, v in f["breakdown"]:
        tot.append((f"TVA {d.rate(r)} % sur {m(base)}", m(v)))
    tot += [("Montant TVA", m(f["vat"])), ("Montant TTC", m(f["total"]))]
    if nonzero(f.get("prepaid")):
        tot.append(("Acomptes déjà versés", d.neg(f["prepaid"], "frs")))
    tot.append(("Montant à payer (EUR)", m(f["due_amount"])))
    if y + 45 > 262:
        pen.new_page()
        y = 25
    y = totals_block(pen, y + 4, tot, 8.5, x_label=110)
    if f["iban"]:
        y = pen.para(20, y + 4, f"Coordonnées bancaires : {s['name']} – IBAN {d.iban()} – BIC {d.bic}", 175, 8)
    if f["terms"]:
        y = pen.para(20, y + 2, f"Conditions de paiement : {f['terms']}", 175, 8)
    if f.get("exemption"):
        y = pen.para(20, y + 1, f["exemption"], 175, 8)
    pen.para(20, 280, "Facture transmise via Chorus Pro. En cas de retard de paiement, indemnité forfaitaire de 40 € pour frais de recouvrement "
             "(art. L441-10 du code de commerce).", 175, 6.5)
    pen.save()


def datev(f, rng, out):
    """DATEV / Sage 100-like ERP print (fpdf2, condensed small type): sender line, a framed info
    box, Beleg-Nr., article numbers, a tax table with the labels over the values, carry-over
    lines when the positions run over a page, two-digit years."""
    d = Doc(f, rng)
    s, b = d.s, d.b
    pen = Pen("fpdf2", out, "DejaVuCond")
    how = rng.choice(["dot", "dot2"])
    size = rng.choice([6.5, 7, 7.5])
    pen.text(20, 15, (s.get("trading") or s["name"]).upper(), 11, True)
    pen.text(20, 44, f"{s['name']} · {s['street']} · {s['city']}", 6)
    y = 50
    for ln in [b["name"], b["street"], b["city"]]:
        y = pen.para(20, y, ln, 80, 8.5)
    info = [("Beleg-Nr.", f["number"]), ("Beleg-Datum", date(f["issue"], how)), ("Kunden-Nr.", d.customer_no),
            ("Liefer-Datum", date(d.delivery, how)), ("Bearbeiter", d.manager)]
    if f["order"]:
        info.append(("Ihre Best.-Nr.", f["order"]))
    pen.rect(125, 40, 70, 6 + 3.6 * len(info))
    for k, (lab, v) in enumerate(info):
        pen.text(127, 45 + k * 3.6, lab + ":", size)
        pen.text(193, 45 + k * 3.6, v, size, False, "right")
    title = d.title_de().upper()

    def top(p):
        p.text(20, 15, f"{title} {f['number']}", size + 1, True)
        p.text(195, 15, f"Seite {p.page}", size, False, "right")
        return 24

    pen.text(20, 82, title, 12, True)
    pen.text(195, 82, "Seite 1", size, False, "right")
    rows = [([str(i + 1), a[:12], bb, qty(c), "Stk", d.amt(p), d.amt(g), str(d.code(r))], g) for i, (a, bb, c, p, r, g) in enumerate(f["lines"])]
    cols = [("Pos", 20, "left", None), ("Art.-Nr.", 27, "left", None), ("Bezeichnung", 48, "left", 68), ("Menge", 134, "right", None),
            ("ME", 136, "left", None), ("E-Preis", 162, "right", None), ("G-Preis", 187, "right", None), ("St", 195, "right", None)]
    brk = (len(rows) // 2 or 1) if len(rows) >= 2 and rng.random() < 0.35 else None
    y = table(pen, 90, cols, rows, size, top, carry=("Übertrag", 48, lambda v: d.amt(str(v))), break_after=brk)
    # The tax table: one column per quantity, labels over values, a row per rate.
    if y + 30 > 268:
        pen.new_page()
        y = top(pen)
    y += 3
    heads = [("St", 20), ("Warenwert", 55), ("Nettobetrag", 90), ("MwSt-%", 110), ("MwSt-Betrag", 140), ("Endbetrag", 195)]
    for lab, x in heads:
        pen.text(x, y, lab, size, True, "left" if x == 20 else "right")
    pen.line(20, y + 1, 195, y + 1)
    y += 4
    for k, (r, base, v) in enumerate(f["breakdown"]):
        vals = [str(k + 1), d.amt(base), d.amt(base), d.rate(r), d.amt(v), ""]
        for (lab, x), v_ in zip(heads, vals):
            pen.text(x, y, v_, size, False, "left" if x == 20 else "right")
        y += 3.6
    pen.line(20, y - 2.4, 195, y - 2.4)
    summ = ["", d.amt(f["line_total"]), d.amt(f["net"]), "", d.amt(f["vat"]), d.amt(f["total"]) + " EUR"]
    for (lab, x), v_ in zip(heads, summ):
        pen.text(x, y, v_, size, True, "left" if x == 20 else "right")
    y += 5
    if nonzero(f.get("allowances")):
        pen.text(20, y, f"Im Warenwert enthalten: Rabatt {d.amt(f['allowances'])}", size)
        y += 3.6
    if nonzero(f.get("prepaid")):
        pen.text(120, y, "./. Anzahlung", size)
        pen.text(195, y, d.amt(f["prepaid"]), size, False, "right")
        pen.text(120, y + 3.6, "Restbetrag", size, True)
        pen.text(195, y + 3.6, d.amt(f["due_amount"]) + " EUR", size, True, "right")
        y += 8
    cond = f"Zahlungsbedingung: {d.skonto_pct} % Skonto innerhalb 10 Tagen, 30 Tage netto" if rng.random() < 0.5 else "Zahlungsbedingung: sofort netto"
    y = pen.para(20, y + 2, cond, 170, size)
    if f["due"]:
        y = pen.para(20, y, f"Fälligkeit netto: {date(f['due'], how)}", 170, size)
    if f["terms"]:
        y = pen.para(20, y, f["terms"], 170, size)
    if f.get("exemption"):
        y = pen.para(20, y, f["exemption"], 170, size)
    pen.line(20, 278, 195, 278, 0.1)
    foot = f"{s['name']} · {s['street']} · {s['city']} · GF: {d.manager} · {d.court} · " + (f"USt-IdNr. {s['vat']} · " if s["vat"] else "") + \
        f"St.-Nr. {d.taxno} · {d.bank}" + (f" · IBAN {d.iban()} · BIC {d.bic}" if f["iban"] else "")
    pen.para(20, 281, foot, 175, 6)
    pen.save()


def odoo_fd(f, rng, out):
    """Odoo-like invoice (fpdf2, DejaVu), French when the seller is French, else German: company
    top left, partner at the right, "Rechnung X" / "Facture X", an information row with labels
    over values, taxes per line, "Paid on" and "Amount due" lines, a footer with the page."""
    fr = f["seller"]["country"] == "FR" or f["buyer"]["country"] == "FR"
    d = Doc(f, rng)
    s, b = d.s, d.b
    pen = Pen("fpdf2", out, "DejaVu")
    how = rng.choice(["slash", "iso"]) if fr else rng.choice(["dot", "iso"])
    m = lambda x: d.amt(x, "fr" if fr else "eu") + " €"  # noqa: E731
    L = (dict(title=d.title_fr(), date="Date de facturation", due="Date d'échéance", src="Origine", ref="Référence", desc="Description",
              qty="Quantité", pu="Prix unitaire", tax="Taxes", amount="Montant", sub="Montant hors taxes", tot="Total", paid="Payé le",
              dueamt="Montant dû", vat="TVA", on="sur", comm="Veuillez utiliser la communication suivante pour votre paiement :", page="Page")
         if fr else
         dict(title=d.title_de(), date="Rechnungsdatum", due="Fälligkeitsdatum", src="Quelle", ref="Referenz", desc="Beschreibung",
              qty="Menge", pu="Einzelpreis", tax="Steuern", amount="Betrag", sub="Zwischensumme", tot="Gesamt", paid="Bezahlt am",
              dueamt="Fälliger Betrag", vat="MwSt.", on="auf", comm="Bitte verwenden Sie die folgende Referenz für Ihre Zahlung:", page="Seite"))
    pen.text(20, 16, s["name"], 13, True)
    y = 21
    for ln in ([s["trading"]] if s.get("trading") else []) + [s["street"], s["city"]]:
        pen.text(20, y, ln, 8)
        y += 3.8
    pen.line(20, y, 195, y, 0.3)
    y = 45
    for ln in [b["name"], b["street"], b["city"]] + ([f"{'TVA' if fr else 'USt-IdNr.'} : {b['vat']}"] if b["vat"] else []):
        y = pen.para(120, y, ln, 75, 9.5)
    pen.text(20, 75, f"{L['title']} {f['number']}", 16, True)
    info = [(L["date"], date(f["issue"], how))]
    if f["due"]:
        info.append((L["due"], date(f["due"], how)))
    if f["order"]:
        info.append((L["src"], f["order"]))
    if f["buyer_ref"]:
        info.append((L["ref"], f["buyer_ref"]))
    for k, (lab, v) in enumerate(info):
        pen.text(20 + k * 44, 84, lab, 8.5, True)
        pen.text(20 + k * 44, 89, v, 8.5)
    rows = [([bb, qty(c, '.' if rng.random() < 0.3 else ','), m(p), f"{d.rate(r)}%", m(g)], g) for a, bb, c, p, r, g in f["lines"]]
    cols = [(L["desc"], 20, "left", 80), (L["qty"], 122, "right", None), (L["pu"], 150, "right", None), (L["tax"], 166, "right", None),
            (L["amount"], 195, "right", None)]

    def top(p):
        return 20

    y = table(pen, 100, cols, rows, 8.5, top, break_after=(len(rows) - 1) if len(rows) >= 3 and rng.random() < 0.25 else None)
    if y + 35 > 262:
        pen.new_page()
        y = 25
    tot = []
    if nonzero(f.get("allowances")):
        tot.append(("Remise" if fr else "Rabatt", d.neg(f["allowances"], "fr" if fr else "eu") + " €"))
    if nonzero(f.get("charges")):
        tot.append(("Frais" if fr else "Zuschläge", m(f["charges"])))
    tot.append((L["sub"], m(f["net"])))
    for r, base, v in f["breakdown"]:
        tot.append((f"{L['vat']} {d.rate(r)}% {L['on']} {m(base)}", m(v)))
    tot.append((L["tot"], m(f["total"])))
    if nonzero(f.get("prepaid")):
        tot.append((f"{L['paid']} {date(shift(f['issue'], rng.randint(-20, -1)), how)}", m(f["prepaid"])))
        tot.append((L["dueamt"], m(f["due_amount"])))
    y = totals_block(pen, y + 4, tot, 9, x_label=112, bold_last=True)
    y = pen.para(20, y + 5, f"{L['comm']} {f['number']}", 170, 8.5)
    if f["terms"]:
        y = pen.para(20, y + 1, f["terms"], 170, 8.5)
    if f.get("exemption"):
        y = pen.para(20, y + 1, f["exemption"], 170, 8.5)
    pages = pen.page
    foot = f"{d.phone} · info@{(s.get('trading') or s['name']).split()[0].lower().strip('[]')}.example" + \
        (f" · {'TVA' if fr else 'USt-IdNr.'} {s['vat']}" if s["vat"] else "") + (f" · IBAN {d.iban()}" if f["iban"] else "")
    for k in range(1, pages + 1):
        pen.c.page = k
        pen.line(20, 280, 195, 280, 0.1)
        pen.text(107.5, 284, foot, 7, False, "center")
        pen.text(107.5, 288, f"{L['page']}: {k} / {pages}", 7, False, "center")
    pen.save()


HTML = dict(ferd=ferd, lexoffice=lexoffice, pennylane=pennylane, sage_fr=sage_fr)
DRAWN = dict(easybill=easybill, chorus=chorus, datev=datev, odoo_fd=odoo_fd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", default="styles")
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--source", default=os.path.join(HERE, "einvoices", "invoices.jsonl"))
    args = ap.parse_args()
    with open(args.source, encoding="utf-8") as fh:
        docs = [json.loads(x) for x in fh if x.strip()]
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-styles-")
    try:
        for style in args.styles.split(","):
            os.makedirs(os.path.join(args.out, style), exist_ok=True)
            for f in docs:
                rng = random.Random(hashlib.sha256(f"{args.seed}-{style}-{f['id']}".encode()).hexdigest())
                out = os.path.join(args.out, style, f["id"] + ".pdf")
                if style in HTML:
                    (render_libreoffice if RENDERER[style] == "libreoffice" else render_chromium)(HTML[style](f, rng), out, tmp)
                else:
                    DRAWN[style](f, rng, out)
                # The reading organisation is the buyer, known by its name (and VAT number).
                own = dict(names=[f["buyer"]["name"]], vat_numbers=[f["buyer"]["vat"].replace(" ", "")] if f["buyer"]["vat"] else [], ibans=[])
                manifest.append(dict(path=f"{style}/{f['id']}.pdf", producer=style, family=style, renderer=RENDERER[style],
                                     split=split_of(f["id"]), own=own, truth=truth_of(f), source=f"{f['src']}:{f['path']}"))
                print(f"{style}/{f['id']}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
