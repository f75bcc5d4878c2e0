#!/usr/bin/env python3
"""Prints public e-invoices (CII and UBL test files, their values kept in `einvoices/invoices.jsonl`)
the way real software prints them, in four styles, and writes a corpus with their XML values as
the ground truth:

* `kosit`: the layout of the KoSIT XRechnung visualisation (numbered business-term sections,
  "Rechnungsnummer:", seller and buyer boxes, totals with BT labels), printed by Chromium;
* `mustang`: a German letter-style invoice as ERP and the ZUGFeRD samples print it: letterhead top
  left, the sender line above the address window, "Rechnung Nr. X vom D" in running text, a totals
  table (Gesamtbetrag netto / zzgl. USt / Gesamtbetrag / bereits gezahlt / Zahlbetrag) and bank
  details in a three-column footer, printed by Chromium;
* `facturx`: a French Factur-X invoice ("Facture N°", "Date d'échéance", Total HT / TVA / TTC,
  "Acompte", "Net à payer", `1 234,56`), printed by Chromium;
* `erp`: an ERP print with a two-row header table (labels on one row, values on the row below),
  the seller only in the footer line joined by separators, opened in LibreOffice and exported.

Usage: `printed.py OUT [--styles kosit,mustang,facturx,erp]`. Each source file gets a split
(tune or held-out) from a hash of its id, so one XML is never in both halves, in any style.
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

HERE = os.path.dirname(os.path.abspath(__file__))
STYLES = ["kosit", "mustang", "facturx", "erp"]


def split_of(doc_id):
    """Tune or held-out, fixed per source file."""
    return "heldout" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 else "tune"


def truth_of(f):
    dec = lambda s: str(Decimal(s)) if s else None  # noqa: E731
    compact = lambda s: "".join(c for c in s.upper() if c.isalnum()) or None  # noqa: E731
    return dict(
        invoice_number=f["number"], issue_date=f["issue"] or None, due_date=f["due"] or None, currency=f["currency"] or None,
        subtotal=dec(f["net"] or f["line_total"]), vat_amount=dec(f["vat"]), total=dec(f["total"]),
        amount_due=dec(f["due_amount"] or f["total"]), seller_name=f["seller"]["name"] or None, seller_vat=compact(f["seller"]["vat"]),
        buyer_name=f["buyer"]["name"] or None, iban=compact(f["iban"]),
        kind="credit_note" if f["type"] in ("381", "261", "396") or Decimal(f["total"]) < 0 else "invoice",
        **({} if f.get("lines_partial") else {"lines": len(f["lines"])}),
    )


def nonzero(s):
    return bool(s) and Decimal(s) != 0


def day(s, fmt="%d.%m.%Y"):
    return dt.date.fromisoformat(s).strftime(fmt) if s else ""


def iban_print(s):
    s = s.replace(" ", "")
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


BASE_CSS = "@page { size: A4; margin: 14mm 16mm; } body { font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; font-size: 9pt; }"


def kosit(f, rng):
    """The KoSIT XRechnung visualisation's layout: an overview of business terms, then the
    parties, the positions and the totals, each value beside its label."""
    m = lambda s: fmt_num(Decimal(s), "eu") if s else ""  # noqa: E731

    def rows(pairs):
        return "<table class='kv'>" + "".join(
            f"<tr><td class='k'>{esc(k)}:</td><td class='v'>{esc(v)}</td></tr>" for k, v in pairs if v) + "</table>"

    title = {"381": "Gutschrift", "389": "Rechnung (Gutschriftsverfahren)", "387": "Mietrechnung"}.get(f["type"], "Rechnung")
    head = rows([("Rechnungsnummer", f["number"]), ("Rechnungsdatum", day(f["issue"])), ("Rechnungsart", f"{f['type']} ({title})"),
                 ("Währung", f["currency"]), ("Leitweg-ID / Käuferreferenz", f["buyer_ref"]), ("Bestellnummer", f["order"]),
                 ("Fälligkeitsdatum", day(f["due"]))])

    def party(label, p, bt):
        return (f"<div class='box'><h3>{label}</h3>" + rows([(f"Firmenname ({bt})", p["name"]), ("Handelsname", p.get("trading", "")),
                                                           ("Straße / Hausnummer", p["street"]),
                                                           ("PLZ / Ort", p["city"]), ("Land", p["country"]),
                                                           ("Umsatzsteuer-ID", p["vat"])]) + "</div>")

    lines = "".join(
        f"<div class='pos'><b>Position {esc(a)}</b>" + rows([("Artikelname", b), ("Menge", c), ("Preis pro Einheit (netto)", m(d)),
                                                              ("Umsatzsteuersatz in %", e), ("Gesamtpreis (netto)", m(g))]) + "</div>"
        for a, b, c, d, e, g in f["lines"])
    tot = [("Summe Positionen netto", m(f["line_total"]))]
    if nonzero(f.get("allowances")):
        tot.append(("Summe Nachlässe", m(f["allowances"])))
    if nonzero(f.get("charges")):
        tot.append(("Summe Zuschläge", m(f["charges"])))
    tot += [("Gesamtsumme netto", m(f["net"])), ("Summe Umsatzsteuer", m(f["vat"])), ("Gesamtsumme brutto", m(f["total"]))]
    if nonzero(f.get("prepaid")):
        tot.append(("Vorauszahlung", m(f["prepaid"])))
    if nonzero(f.get("rounding")):
        tot.append(("Rundungsbetrag", m(f["rounding"])))
    tot.append(("Zahlbetrag", m(f["due_amount"])))
    bd = "".join(rows([("Umsatzsteuerkategorie", "Umsatzsteuer"), ("Gesamtsumme netto", m(b)), ("Umsatzsteuersatz", f"{r} %"),
                       ("Umsatzsteuerbetrag", m(v))]) for r, b, v in f["breakdown"])
    pay = rows([("Zahlungsbedingungen", f["terms"]), ("IBAN", f["iban"])])
    css = BASE_CSS + """ h1 { font-size: 15pt; } h2 { font-size: 10.5pt; border-bottom: 1px solid #888; margin: 12px 0 4px 0; }
h3 { font-size: 9.5pt; margin: 0 0 3px 0; } .kv td { padding: 1px 10px 1px 0; vertical-align: top; } .kv td.k { color: #555; width: 48mm; }
.boxes { display: flex; gap: 16px; } .box { flex: 1; background: #f2f4f7; padding: 6px; } .pos { margin: 4px 0; border-top: 1px dotted #aaa; }"""
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body><h1>{esc(title)}</h1>"
            f"<h2>Übersicht</h2>{head}<div class='boxes'>{party('Verkäufer', f['seller'], 'BT-27')}{party('Käufer', f['buyer'], 'BT-44')}</div>"
            f"<h2>Rechnungspositionen</h2>{lines}<h2>Gesamtbeträge der Rechnung</h2>{rows(tot)}"
            f"<h2>Aufschlüsselung der Umsatzsteuer auf Ebene der Rechnung</h2>{bd}<h2>Zahlungsinformationen</h2>{pay}</body></html>")


def mustang(f, rng):
    """A German letter: letterhead, address window, "Rechnung Nr. X vom D" in the text, a totals
    table and a three-column footer."""
    m = lambda s: fmt_num(Decimal(s), "eu") if s else ""  # noqa: E731
    s, b = f["seller"], f["buyer"]
    word = {"381": "Gutschrift", "389": "Gutschrift", "387": "Rechnung"}.get(f["type"], rng.choice(["Rechnung", "Handelsrechnung"]))
    intro = rng.choice([f"{word} Nr. {f['number']} vom {day(f['issue'])}", f"{word} {f['number']} vom {day(f['issue'])}"])
    refs = []
    if f["order"]:
        refs.append(f"Ihre Bestellung Nr. {f['order']}")
    if f["buyer_ref"]:
        refs.append(f"Ihr Zeichen: {f['buyer_ref']}")
    if f.get("delivery_note"):
        refs.append(f"Lieferschein Nr. {f['delivery_note']}")
    lines = "".join(
        f"<tr><td>{esc(a)}</td><td>{esc(bb)}</td><td class='n'>{esc(c)}</td><td class='n'>{m(d)}</td><td class='n'>{esc(e)} %</td><td class='n'>{m(g)}</td></tr>"
        for a, bb, c, d, e, g in f["lines"])
    tot = []
    if nonzero(f.get("allowances")) or nonzero(f.get("charges")):
        tot.append(("Summe Positionen", m(f["line_total"])))
        if nonzero(f.get("allowances")):
            tot.append(("abzgl. Nachlass", "-" + m(f["allowances"])))
        if nonzero(f.get("charges")):
            tot.append(("zzgl. Versandkosten/Zuschläge", m(f["charges"])))
    tot.append(("Gesamtbetrag netto", m(f["net"])))
    for r, base, v in f["breakdown"]:
        tot.append((f"zzgl. Umsatzsteuer {fmt_num(Decimal(r), 'plain_c').rstrip('0').rstrip(',')} % auf {m(base)}", m(v)))
    tot.append(("Gesamtbetrag", m(f["total"]) + " " + f["currency"]))
    if nonzero(f.get("prepaid")):
        tot.append(("bereits gezahlt", "-" + m(f["prepaid"])))
    if nonzero(f.get("rounding")):
        tot.append(("Rundung", m(f["rounding"])))
    tot.append(("Zahlbetrag", m(f["due_amount"]) + " " + f["currency"]))
    totals = "".join(f"<tr><td>{esc(k)}</td><td class='n'>{esc(v)}</td></tr>" for k, v in tot)
    terms = f["terms"] or (f"Zahlbar bis {day(f['due'])} ohne Abzug." if f["due"] else "")
    exemption = f"<p>{esc(f['exemption'])}</p>" if f.get("exemption") else ""
    foot_bank = f"IBAN: {iban_print(f['iban'])}" if f["iban"] else "Zahlung per Lastschrift"
    css = BASE_CSS + """ .lh { font-size: 15pt; font-weight: bold; } .lh2 { color: #555; margin-bottom: 14mm; }
.sender { font-size: 6.5pt; text-decoration: underline; } .window { height: 30mm; } .date { text-align: right; }
table.pos { width: 100%; border-collapse: collapse; margin-top: 6px; } table.pos th { border-bottom: 1px solid #000; text-align: left; }
table.pos td { padding: 2px 3px; } td.n, th.n { text-align: right; } table.tot { margin-left: auto; margin-top: 8px; }
table.tot td { padding: 1px 6px; } table.tot tr:last-child td { font-weight: bold; border-top: 1px solid #000; }
.foot { position: fixed; bottom: 0; left: 0; right: 0; display: flex; gap: 8mm; font-size: 7pt; color: #333; border-top: 1px solid #999; padding-top: 2mm; }
.foot div { flex: 1; }"""
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body>"
            f"<div class='lh'>{esc(s.get('trading') or s['name'])}</div><div class='lh2'>{esc(s['street'])} · {esc(s['city'])}</div>"
            f"<div class='sender'>{esc(s['name'])} · {esc(s['street'])} · {esc(s['city'])}</div>"
            f"<div class='window'>{esc(b['name'])}<br>{esc(b['street'])}<br>{esc(b['city'])}</div>"
            f"<div class='date'>{esc(s['city'].split(' ', 1)[-1])}, {day(f['issue'])}</div>"
            f"<p><b>{esc(intro)}</b></p>" + "".join(f"<div>{esc(r)}</div>" for r in refs) +
            f"<p>Sehr geehrte Damen und Herren,<br>wir erlauben uns, Ihnen folgende Leistungen in Rechnung zu stellen:</p>"
            f"<table class='pos'><tr><th>Pos.</th><th>Bezeichnung</th><th class='n'>Menge</th><th class='n'>Einzelpreis</th><th class='n'>USt</th><th class='n'>Betrag</th></tr>{lines}</table>"
            f"<table class='tot'>{totals}</table>{exemption}<p>{esc(terms)}</p><p>Mit freundlichen Grüßen<br>{esc(s['name'])}</p>"
            f"<div class='foot'><div>{esc(s['name'])}<br>{esc(s['street'])}<br>{esc(s['city'])}</div>"
            f"<div>{('USt-IdNr.: ' + esc(s['vat'])) if s['vat'] else 'Steuernummer: siehe Vertrag'}<br>Geschäftsführung: siehe Handelsregister</div>"
            f"<div>{esc(foot_bank)}</div></div></body></html>")


def facturx(f, rng):
    """A French invoice: "Facture N°", "Date d'échéance", Total HT / TVA / TTC, Acompte, Net à payer."""
    m = lambda s: fmt_num(Decimal(s), "frs") if s else ""  # noqa: E731
    s, b = f["seller"], f["buyer"]
    cur = {"EUR": "€"}.get(f["currency"], f["currency"])
    title = "Avoir" if f["type"] == "381" else "Facture"
    num_label = rng.choice([f"{title} N°", f"N° de {title.lower()}", f"{title} n°"])
    info = [(num_label, f["number"]), ("Date de facture", day(f["issue"], "%d/%m/%Y"))]
    if f["due"]:
        info.append(("Date d'échéance", day(f["due"], "%d/%m/%Y")))
    if f["order"]:
        info.append(("N° de commande", f["order"]))
    if f["buyer_ref"]:
        info.append(("Référence client", f["buyer_ref"]))
    head = "".join(f"<tr><td class='k'>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in info)
    lines = "".join(
        f"<tr><td>{esc(bb)}</td><td class='n'>{esc(c)}</td><td class='n'>{m(d)}</td><td class='n'>{esc(e)} %</td><td class='n'>{m(g)} {cur}</td></tr>"
        for a, bb, c, d, e, g in f["lines"])
    tot = []
    if nonzero(f.get("allowances")):
        tot.append(("Remise", "-" + m(f["allowances"])))
    if nonzero(f.get("charges")):
        tot.append(("Frais de port", m(f["charges"])))
    tot.append(("Total HT", m(f["net"])))
    for r, base, v in f["breakdown"]:
        tot.append((f"TVA {r} %", m(v)))
    tot.append(("Total TTC", m(f["total"])))
    if nonzero(f.get("prepaid")):
        tot.append(("Acompte versé", "-" + m(f["prepaid"])))
    tot.append(("Net à payer", m(f["due_amount"])))
    totals = "".join(f"<tr><td>{esc(k)}</td><td class='n'>{esc(v)} {cur}</td></tr>" for k, v in tot)
    pay = f"Règlement par virement — IBAN : {iban_print(f['iban'])}" if f["iban"] else "Règlement : voir conditions"
    css = BASE_CSS + """ .top { display: flex; justify-content: space-between; } .seller b { font-size: 13pt; }
.client { margin: 10mm 0 6mm 95mm; border: 1px solid #aaa; padding: 4mm; } h1 { font-size: 16pt; color: #234; }
table.info td.k { font-weight: bold; padding-right: 8mm; } table.pos { width: 100%; border-collapse: collapse; margin-top: 6mm; }
table.pos th { background: #234; color: #fff; padding: 3px; text-align: left; } table.pos td { border-bottom: 1px solid #ddd; padding: 3px; }
td.n, th.n { text-align: right; } table.tot { margin-left: auto; margin-top: 5mm; min-width: 70mm; } table.tot td { padding: 2px 6px; }
table.tot tr:last-child { font-weight: bold; background: #eef; } .mentions { margin-top: 8mm; font-size: 7.5pt; color: #444; }"""
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body>"
            f"<div class='top'><div class='seller'><b>{esc(s.get('trading') or s['name'])}</b><br>{esc(s['street'])}<br>{esc(s['city'])}<br>"
            f"{('N° TVA intracom. : ' + esc(s['vat'])) if s['vat'] else ''}</div><div><h1>{title}</h1><table class='info'>{head}</table></div></div>"
            f"<div class='client'><b>Facturé à</b><br>{esc(b['name'])}<br>{esc(b['street'])}<br>{esc(b['city'])}"
            f"{('<br>TVA : ' + esc(b['vat'])) if b['vat'] else ''}</div>"
            f"<table class='pos'><tr><th>Désignation</th><th class='n'>Qté</th><th class='n'>PU HT</th><th class='n'>TVA</th><th class='n'>Montant HT</th></tr>{lines}</table>"
            f"<table class='tot'>{totals}</table><div class='mentions'>{esc(f['terms'])}<br>{esc(pay)}<br>"
            f"{esc(f.get('exemption', ''))}<br>En cas de retard de paiement, indemnité forfaitaire pour frais de recouvrement : 40 €.</div>"
            f"<div class='mentions'>{esc(s['name'])} – {esc(s['street'])} – {esc(s['city'])}"
            f"{(' – N° TVA ' + esc(s['vat'])) if s['vat'] else ''}</div></body></html>")


def erp(f, rng):
    """An ERP print: a header table with the labels on one row and the values on the row below,
    the buyer under "Rechnung an", the seller only in the footer line (joined by separators)."""
    m = lambda s: fmt_num(Decimal(s), "eu") if s else ""  # noqa: E731
    s, b = f["seller"], f["buyer"]
    doc = "Gutschrift" if f["type"] == "381" else "Rechnung"
    cols = [(rng.choice(["Rechnungs-Nr.", "Beleg-Nr.", "Rechnungsnummer"]), f["number"]), ("Datum", day(f["issue"]))]
    if f["buyer_ref"]:
        cols.append(("Kunden-Nr.", f["buyer_ref"][:12]))
    if f["order"]:
        cols.append(("Auftrags-Nr.", f["order"]))
    if f["due"]:
        cols.append(("Fällig am", day(f["due"])))
    header = ("<table border='1' cellpadding='3' cellspacing='0' width='100%'><tr>" + "".join(f"<td><b>{esc(k)}</b></td>" for k, _ in cols) +
              "</tr><tr>" + "".join(f"<td>{esc(v)}</td>" for _, v in cols) + "</tr></table>")
    lines = "".join(
        f"<tr><td>{esc(a)}</td><td>{esc(bb)}</td><td align='right'>{esc(c)}</td><td align='right'>{m(d)}</td><td align='right'>{m(g)}</td></tr>"
        for a, bb, c, d, e, g in f["lines"])
    tot = [("Nettobetrag", m(f["net"]))]
    for r, base, v in f["breakdown"]:
        tot.append((f"MwSt. {r} %", m(v)))
    tot.append(("Rechnungsbetrag", m(f["total"])))
    if nonzero(f.get("prepaid")):
        tot.append(("Anzahlung", "-" + m(f["prepaid"])))
    tot.append(("Offener Betrag", m(f["due_amount"])))
    totals = "".join(f"<tr><td>{esc(k)}</td><td align='right'>{esc(v)} {f['currency']}</td></tr>" for k, v in tot)
    sep = rng.choice([" · ", " | ", " • "])
    foot = sep.join(x for x in [s["name"], s["street"], s["city"], ("USt-IdNr. " + s["vat"]) if s["vat"] else "",
                                ("IBAN " + iban_print(f["iban"])) if f["iban"] else ""] if x)
    return (f"<!doctype html><html><head><meta charset='utf-8'></head><body style='font-family: Liberation Sans; font-size: 9pt'>"
            f"<h2>{doc}</h2><p><b>Rechnung an</b><br>{esc(b['name'])}<br>{esc(b['street'])}<br>{esc(b['city'])}</p>{header}"
            f"<table border='0' cellpadding='2' width='100%'><tr><td><b>Pos</b></td><td><b>Artikel</b></td><td align='right'><b>Menge</b></td>"
            f"<td align='right'><b>Preis</b></td><td align='right'><b>Gesamt</b></td></tr>{lines}</table>"
            f"<table border='0' cellpadding='2' align='right'>{totals}</table><br clear='all'><p>{esc(f['terms'])}</p>"
            f"<hr><p style='font-size: 7pt'>{esc(foot)}</p></body></html>")


RENDER = dict(kosit=kosit, mustang=mustang, facturx=facturx, erp=erp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--source", default=os.path.join(HERE, "einvoices", "invoices.jsonl"))
    args = ap.parse_args()
    with open(args.source, encoding="utf-8") as fh:
        docs = [json.loads(x) for x in fh if x.strip()]
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-printed-")
    try:
        for style in args.styles.split(","):
            os.makedirs(os.path.join(args.out, style), exist_ok=True)
            for f in docs:
                rng = random.Random(hashlib.sha256(f"{style}-{f['id']}".encode()).hexdigest())
                out = os.path.join(args.out, style, f["id"] + ".pdf")
                html = RENDER[style](f, rng)
                (render_libreoffice if style == "erp" else render_chromium)(html, out, tmp)
                # The reading organisation is the buyer, known by its name (and VAT number).
                own = dict(names=[f["buyer"]["name"]], vat_numbers=[f["buyer"]["vat"].replace(" ", "")] if f["buyer"]["vat"] else [], ibans=[])
                manifest.append(dict(path=f"{style}/{f['id']}.pdf", producer=style, family=f["syntax"], split=split_of(f["id"]),
                                     own=own, truth=truth_of(f), source=f"{f['src']}:{f['path']}"))
                print(f"{style}/{f['id']}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
