//! Invoice lines printed as blocks of labelled values rather than a table, as e-invoice
//! viewers print them: "Position 1" / "Artikelname:  Seminar" / "Menge:  5" / … /
//! "Gesamtpreis (netto):  6.700,00", and the KoSIT visualisation's "Position:  1" blocks with
//! sub-headings and label/value rows without colons.

use bigdecimal::BigDecimal;

use super::Ctx;
use super::labels::Kind;
use super::line_headers::Col;
use super::line_rows::{Row, money, parse_plain};
use super::text::find_percents;

/// What a label of a line block names ("Artikelname:", "Menge:", "Gesamtpreis (netto):").
const BLOCK_LABELS: &[(&str, Col)] = &[
    ("artikelname", Col::Description),
    ("item name", Col::Description),
    ("bezeichnung", Col::Description),
    ("description", Col::Description),
    ("designation", Col::Description),
    ("menge", Col::Quantity),
    ("quantity", Col::Quantity),
    ("invoiced quantity", Col::Quantity),
    ("quantite", Col::Quantity),
    ("aantal", Col::Quantity),
    ("preis pro einheit", Col::UnitPrice),
    ("einzelpreis", Col::UnitPrice),
    // ERP abbreviations: "E-Preis" (Einzelpreis), "G-Preis" (Gesamtpreis), "ME" (Mengeneinheit).
    ("e-preis", Col::UnitPrice),
    ("g-preis", Col::Amount),
    ("me", Col::Other),
    ("unit price", Col::UnitPrice),
    ("item net price", Col::UnitPrice),
    ("prix unitaire", Col::UnitPrice),
    ("umsatzsteuersatz", Col::Rate),
    ("steuersatz", Col::Rate),
    ("vat rate", Col::Rate),
    ("taux de tva", Col::Rate),
    ("gesamtpreis", Col::Amount),
    ("nettobetrag", Col::Amount),
    ("line net amount", Col::Amount),
    ("line total", Col::Amount),
    ("montant net", Col::Amount),
];

/// The values of one line block read so far.
#[derive(Default)]
struct Block {
    /// Opened by "Position:  1" (the KoSIT visualisation), whose blocks hold sub-headings
    /// ("Preiseinzelheiten") and label/value rows without colons ("Menge  20").
    sectioned: bool,
    description: Option<String>,
    quantity: Option<BigDecimal>,
    unit_price: Option<BigDecimal>,
    vat_rate: Option<BigDecimal>,
    amount: Option<BigDecimal>,
}

impl Block {
    fn into_row(self) -> Option<Row> {
        Some(Row {
            description: self.description?,
            quantity: self.quantity,
            unit_price: self.unit_price,
            amount: self.amount?,
            vat_rate: self.vat_rate,
            extended: None,
        })
    }
}

/// The label/value pairs of a line of cells: "Label:" and its value in the next cell, "Label:
/// value" in one cell, or a label without a colon and its value in the next cell ("Menge  20").
fn cell_pairs(ctx: &Ctx, line: &[usize]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut k = 0;
    while k < line.len() {
        let t = ctx.cells[line[k]].text.as_str();
        let next = line.get(k + 1).map(|&j| ctx.cells[j].text.clone());
        match t.split_once(':') {
            Some((label, rest)) if !rest.trim().is_empty() => {
                pairs.push((label.to_string(), rest.to_string()));
                k += 1;
            }
            _ => {
                let Some(value) = next else { break };
                pairs.push((t.trim_end_matches(':').to_string(), value));
                k += 2;
            }
        }
    }
    pairs
}

/// Lines printed as blocks of labelled values rather than a table, as e-invoice viewers print
/// them: "Position 1" / "Artikelname:  Seminar" / "Menge:  5" / … / "Gesamtpreis (netto):
/// 6.700,00". A block without a line amount gives no line.
pub(super) fn label_blocks(ctx: &Ctx) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut current: Option<Block> = None;
    for line in &ctx.lines {
        let Some(&first) = line.first() else { continue };
        let c = &ctx.cells[first];
        let n = c.norm.trim();
        if (n.starts_with("position ") || n == "position") && line.len() == 1 {
            rows.extend(current.take().and_then(Block::into_row));
            current = Some(Block::default());
            continue;
        }
        // "Position:  1": the number in the label's cell or the next.
        let numbered = |t: &str| t.trim().chars().all(|ch| ch.is_ascii_digit()) && !t.trim().is_empty();
        let number_cell = line.get(1).map(|&j| ctx.cells[j].text.as_str());
        if let Some(rest) = n.strip_prefix("position:")
            && (numbered(rest) || rest.trim().is_empty() && number_cell.is_some_and(numbered))
        {
            rows.extend(current.take().and_then(Block::into_row));
            current = Some(Block { sectioned: true, ..Block::default() });
            continue;
        }
        let Some(block) = current.as_mut() else { continue };
        // "Label:  value", in one cell or two; in a sectioned block "Menge  20" too, and as
        // many pairs as the line holds side by side.
        let pairs = if block.sectioned {
            cell_pairs(ctx, line)
        } else {
            let text: String = line.iter().map(|&j| ctx.cells[j].text.as_str()).collect::<Vec<_>>().join(" ");
            text.split_once(':').map(|(l, v)| vec![(l.to_string(), v.to_string())]).unwrap_or_default()
        };
        if pairs.is_empty() {
            // A sub-heading ("Preiseinzelheiten") inside a sectioned block; any other line
            // without a label ends the block.
            if !block.sectioned {
                rows.extend(current.take().and_then(Block::into_row));
            }
            continue;
        }
        for (k, (label, value)) in pairs.iter().enumerate() {
            let label = super::text::norm(label.trim());
            let value = value.trim();
            let Some(col) = BLOCK_LABELS.iter().find(|(w, _)| label.starts_with(w)).map(|(_, c)| *c) else {
                if k == 0 && c.label.is_some_and(|(k, _)| k == Kind::Section) {
                    rows.extend(current.take().and_then(Block::into_row));
                    break;
                }
                continue;
            };
            let number = || money(value).or_else(|| value.split(' ').find_map(parse_plain));
            match col {
                Col::Description => block.description = Some(value.to_string()).filter(|v| !v.is_empty()),
                Col::Quantity => block.quantity = value.split(' ').find_map(parse_plain),
                Col::UnitPrice => block.unit_price = number(),
                Col::Rate => {
                    block.vat_rate = find_percents(value)
                        .into_iter()
                        .next()
                        .or_else(|| value.split(' ').find_map(parse_plain))
                        .map(|r| r.normalized());
                }
                Col::Amount => block.amount = number(),
                Col::Other => {}
            }
        }
    }
    rows.extend(current.and_then(Block::into_row));
    rows
}
