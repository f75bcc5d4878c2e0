//! `cargo xtask corpus`: the PDF reader's regression guard. Generates every accuracy corpus of
//! `crates/billify-pdf/corpus` (once; later runs reuse them), scores each with the reader as the
//! working tree has it and, with `--base REV`, with the reader at REV, and reports per corpus and
//! per half the share of right fields and which fields the change fixed and lost.
//!
//! Header fields, invoice-line counts and document kinds (invoice or credit note) are reported
//! apart. Only the tuning half's fields are listed by name; the held-out half is reported as
//! counts, so that it stays out of the tuning loop (see the corpus README).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::{cargo, run_step, tidy};

/// One corpus: its directory name, generator script and arguments.
struct Corpus {
    name: &'static str,
    script: &'static str,
    args: &'static [&'static str],
}

/// Every corpus the accuracy figures in `crates/billify-pdf/corpus/accuracy.md` come from.
const CORPORA: &[Corpus] = &[
    Corpus { name: "generate", script: "generate.py", args: &["--producers", "chromium,reportlab"] },
    Corpus {
        name: "office",
        script: "generate.py",
        args: &["--producers", "libreoffice,tex,einvoice", "--count", "6"],
    },
    Corpus { name: "intl", script: "intl.py", args: &[] },
    Corpus { name: "intl2", script: "intl2.py", args: &[] },
    Corpus { name: "world", script: "world.py", args: &[] },
    Corpus { name: "smb", script: "smb.py", args: &[] },
    Corpus { name: "software", script: "software.py", args: &[] },
    Corpus { name: "bills", script: "bills.py", args: &[] },
    Corpus { name: "producers", script: "producers.py", args: &[] },
    Corpus { name: "vendors", script: "vendors.py", args: &["--count", "10"] },
    Corpus { name: "benelux", script: "benelux.py", args: &["--count", "10"] },
    Corpus { name: "saas", script: "saas.py", args: &["--count", "10"] },
    Corpus { name: "styles", script: "styles.py", args: &[] },
    Corpus { name: "printed", script: "printed.py", args: &[] },
    Corpus { name: "real", script: "real.py", args: &[] },
    Corpus { name: "scans", script: "generate.py", args: &["--producers", "scan", "--scans", "8"] },
    // Real software run on generated data (see the corpus README for what each needs).
    Corpus { name: "gnucash", script: "gnucash.py", args: &[] },
    Corpus { name: "tryton", script: "tryton.py", args: &[] },
    Corpus { name: "templates", script: "templates.py", args: &[] },
    Corpus { name: "kraft", script: "kraft.py", args: &[] },
    Corpus { name: "libraries", script: "libraries.py", args: &[] },
    Corpus { name: "texletters", script: "texletters.py", args: &[] },
    Corpus { name: "ledgersmb", script: "ledgersmb.py", args: &[] },
    Corpus { name: "sqlledger", script: "sqlledger.py", args: &[] },
    Corpus { name: "pretix", script: "pretix.py", args: &[] },
    Corpus { name: "billing", script: "billing.py", args: &[] },
    Corpus { name: "cartridge", script: "cartridge.py", args: &[] },
    Corpus { name: "lino", script: "lino.py", args: &[] },
    Corpus { name: "viewers", script: "viewers.py", args: &[] },
];

/// The PyPI invoice libraries `libraries.py` runs, installed into a venv beside the corpora.
const LIBRARY_PACKAGES: &[&str] = &[
    "dinbrief==0.5.2",
    "erechnung==0.3.0",
    "django-invoicing==13.1.0",
    "django-outputs",
    "django-gm2m",
    "requests-futures",
    "psycopg2-binary",
];

/// pretix, whose own invoice renderers `pretix.py` runs, and the clock it is run under.
const PRETIX_PACKAGES: &[&str] = &["pretix==2026.8.0", "time-machine==3.6.0"];

/// django-silver and django-oscar, which `billing.py` runs, with the versions they work with
/// (see its docstring).
const BILLING_PACKAGES: &[&str] = &[
    "Django==3.2.25",
    "django-silver==0.11.1",
    "django-oscar==3.2.4",
    "typing_extensions==4.12.2",
    "xhtml2pdf==0.2.7",
    "reportlab==3.6.13",
    "python-bidi==0.4.2",
    "cryptography==3.3.2",
];

/// django-oscar-invoices declares dependencies it does not need (Django < 2.3, an old psycopg2)
/// and runs on `BILLING_PACKAGES`' Django: installed without them.
const BILLING_NO_DEPS: &[&str] = &["--no-deps", "django-oscar-invoices==0.2"];

/// The Cartridge shop on Mezzanine, which `cartridge.py` runs, with xhtml2pdf for its PDF view.
const CARTRIDGE_PACKAGES: &[&str] = &[
    "cartridge==1.3.4",
    "Mezzanine==6.1.1",
    "Django==4.2.30",
    "xhtml2pdf==0.2.7",
    "reportlab==3.6.13",
    "python-bidi==0.6.12",
    "filebrowser-safe==1.1.1",
    "grappelli-safe==1.1.1",
];

/// Lino Così, which `lino.py` runs: WeasyPrint for its default build method, appy (with the
/// system Python's uno, hence a venv over Debian's Python) for its ODT templates, and the React
/// front end a Lino site needs to start.
const LINO_PACKAGES: &[&str] = &[
    "lino-cosi==26.4.0",
    "lino-xl==26.10.5",
    "lino==26.10.8",
    "lino-react==26.10.1",
    "Django==5.2.20",
    "weasyprint==70.0",
    "appy==1.0.22",
    "odfpy==1.4.1",
];

/// The Tryton packages `tryton.py` runs, installed into a venv beside the corpora.
const TRYTON_PACKAGES: &[&str] = &[
    "trytond>=7.0,<7.1",
    "trytond-account-invoice>=7.0,<7.1",
    "trytond-party>=7.0,<7.1",
    "trytond-company>=7.0,<7.1",
    "trytond-account>=7.0,<7.1",
    "trytond-product>=7.0,<7.1",
    "trytond-currency>=7.0,<7.1",
    "trytond-bank>=7.0,<7.1",
    "trytond-account-payment>=7.0,<7.1",
    "proteus>=7.0,<7.1",
];

const USAGE: &str = "cargo xtask corpus [--dir DIR] [--base REV] [--only a,b] [--fixed]";

/// Parsed command line.
pub struct Options {
    dir: PathBuf,
    base: Option<String>,
    only: Option<Vec<String>>,
    list_fixed: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> anyhow::Result<Self> {
        let mut options =
            Options { dir: tidy::workspace_root().join("target/corpora"), base: None, only: None, list_fixed: false };
        let mut args = args.iter();
        while let Some(a) = args.next() {
            let mut value = || args.next().with_context(|| format!("{a} needs a value\n{USAGE}"));
            match a.as_str() {
                "--dir" => options.dir = PathBuf::from(value()?),
                "--base" => options.base = Some(value()?.clone()),
                "--only" => options.only = Some(value()?.split(',').map(str::to_owned).collect()),
                "--fixed" => options.list_fixed = true,
                other => bail!("unknown argument {other:?}\n{USAGE}"),
            }
        }
        if let Some(only) = &options.only {
            for name in only {
                if !CORPORA.iter().any(|c| c.name == name) {
                    let known: Vec<&str> = CORPORA.iter().map(|c| c.name).collect();
                    bail!("unknown corpus {name:?}; known: {}", known.join(", "));
                }
            }
        }
        Ok(options)
    }
}

pub fn run(options: &Options) -> anyhow::Result<()> {
    std::fs::create_dir_all(&options.dir).with_context(|| format!("creating {}", options.dir.display()))?;
    let dir = options.dir.canonicalize()?;
    let corpora: Vec<&Corpus> =
        CORPORA.iter().filter(|c| options.only.as_ref().is_none_or(|only| only.iter().any(|o| o == c.name))).collect();
    for corpus in &corpora {
        generate(&dir, corpus)?;
    }
    let now = build_current()?;
    let base = options.base.as_deref().map(|rev| build_base(&dir, rev)).transpose()?;

    let mut listing = String::new();
    println!();
    println!(
        "| corpus | half | documents | fields | {}now | {}lines now | {}kind now | fixed | lost |",
        if base.is_some() { "base | " } else { "" },
        if base.is_some() { "lines base | " } else { "" },
        if base.is_some() { "kind base | " } else { "" }
    );
    println!("|---|---|---|---|{}---|---|---|---|---|", if base.is_some() { "---|---|---|" } else { "" });
    for corpus in &corpora {
        let path = dir.join(corpus.name);
        let (now_rows, base_rows) = std::thread::scope(|s| {
            let base_run = base.as_ref().map(|b| s.spawn(|| score(b, &path)));
            let now_rows = score(&now, &path);
            (now_rows, base_run.map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("scorer thread panicked")))))
        });
        let now_rows = now_rows?;
        let base_rows = base_rows.transpose()?;
        for half in ["tune", "heldout"] {
            let now_half: Vec<&Row> = now_rows.iter().filter(|r| r.split == half).collect();
            if now_half.is_empty() {
                continue;
            }
            let documents = now_half.iter().map(|r| r.path.as_str()).collect::<BTreeSet<_>>().len();
            let header = now_half.iter().filter(|r| Scored::Header.holds(r)).count();
            let (mut cells, mut line_cells, mut kind_cells) = (String::new(), String::new(), String::new());
            let (mut fixed, mut lost) = (Vec::new(), Vec::new());
            if let Some(base_rows) = &base_rows {
                let base_half: BTreeMap<(&str, &str), &Row> = base_rows
                    .iter()
                    .filter(|r| r.split == half)
                    .map(|r| ((r.path.as_str(), r.field.as_str()), r))
                    .collect();
                // Over the fields both scorers score (a newer scorer may leave some out).
                let scored: BTreeSet<(&str, &str)> =
                    now_half.iter().map(|r| (r.path.as_str(), r.field.as_str())).collect();
                let both = || base_half.iter().filter(|(k, _)| scored.contains(*k)).map(|(_, r)| *r);
                cells.push_str(&format!("{} | ", share(both(), Scored::Header)));
                line_cells.push_str(&format!("{} | ", share(both(), Scored::Lines)));
                kind_cells.push_str(&format!("{} | ", share(both(), Scored::Kind)));
                for row in &now_half {
                    // A field the base did not score (an older scorer) is neither fixed nor lost.
                    let Some(before) = base_half.get(&(row.path.as_str(), row.field.as_str())) else { continue };
                    match (before.ok, row.ok) {
                        (false, true) => fixed.push((*row, Some(*before))),
                        (true, false) => lost.push((*row, Some(*before))),
                        _ => {}
                    }
                }
            }
            let (fixed_cell, lost_cell) = if base_rows.is_some() {
                (fixed.len().to_string(), lost.len().to_string())
            } else {
                ("-".into(), "-".into())
            };
            println!(
                "| {} | {half} | {documents} | {header} | {cells}{} | {line_cells}{} | {kind_cells}{} | {fixed_cell} \
                 | {lost_cell} |",
                corpus.name,
                share(now_half.iter().copied(), Scored::Header),
                share(now_half.iter().copied(), Scored::Lines),
                share(now_half.iter().copied(), Scored::Kind)
            );
            if half == "tune" {
                let listed = [("lost ", &lost, true), ("fixed", &fixed, options.list_fixed)];
                for (what, rows, shown) in listed {
                    for (row, before) in rows.iter().filter(|_| shown) {
                        let detail = if what == "lost " { format!(": {}", row.detail) } else { String::new() };
                        listing.push_str(&format!(
                            "{what} {}/{} {}{detail}{}\n",
                            corpus.name,
                            row.path,
                            row.field,
                            was(*before)
                        ));
                    }
                }
            }
        }
    }
    println!();
    println!(
        "Header fields right, documents whose invoice lines were counted right, and documents whose kind \
         (invoice or credit note) was read right. Fields by name, tuning halves only:"
    );
    print!("{}", if listing.is_empty() { "(none)\n" } else { &listing });
    Ok(())
}

fn was(before: Option<&Row>) -> String {
    before.map_or_else(String::new, |b| format!(" (base: {})", b.detail))
}

/// One scored field of one document, as `score_corpus --tsv` prints it.
struct Row {
    path: String,
    split: String,
    field: String,
    ok: bool,
    detail: String,
}

/// What a share is taken over: the scorer prints all three as rows of one table.
#[derive(Clone, Copy)]
enum Scored {
    /// The header fields (number, dates, amounts, parties, ...).
    Header,
    /// Whether a document's invoice lines were counted right (`lines`).
    Lines,
    /// Whether a document was read as the right kind, invoice or credit note (`kind`).
    Kind,
}

impl Scored {
    fn holds(self, row: &Row) -> bool {
        match self {
            Scored::Header => row.field != "lines" && row.field != "kind",
            Scored::Lines => row.field == "lines",
            Scored::Kind => row.field == "kind",
        }
    }
}

/// The share of right rows among those of `rows` that `what` holds.
fn share<'a>(rows: impl Iterator<Item = &'a Row>, what: Scored) -> String {
    let (mut right, mut total) = (0usize, 0usize);
    for row in rows.filter(|r| what.holds(r)) {
        total += 1;
        right += usize::from(row.ok);
    }
    if total == 0 { "-".into() } else { format!("{:.1} %", 100.0 * right as f64 / total as f64) }
}

/// Runs the generator of `corpus` unless its directory already holds a manifest.
fn generate(dir: &Path, corpus: &Corpus) -> anyhow::Result<()> {
    let out = dir.join(corpus.name);
    if out.join("manifest.json").exists() {
        return Ok(());
    }
    let root = tidy::workspace_root();
    let mut command = Command::new("python3");
    command.current_dir(&root).arg(root.join("crates/billify-pdf/corpus").join(corpus.script)).arg(&out);
    command.args(corpus.args);
    // Each corpus its own node_modules: one's dependency hoisted to the top (pdf-invoice's
    // pdfmake 0.2) must not stand in for a module another corpus asks for (pdfmake 0.3).
    let node = dir.join("node").join(corpus.name);
    let npm_install = |modules: &[&str]| -> anyhow::Result<()> {
        if modules.iter().all(|m| node.join("node_modules").join(package_dir(m)).exists()) {
            return Ok(());
        }
        let mut npm = Command::new("npm");
        npm.args(["install", "--silent", "--prefix"]).arg(&node).args(modules);
        run_step(&format!("npm install {} ({})", modules.join(" "), corpus.script), npm)
    };
    match corpus.script {
        "producers.py" => {
            npm_install(&["jspdf", "pdfmake@0.3"])?;
            command.arg("--node-modules").arg(node.join("node_modules"));
        }
        "templates.py" => {
            npm_install(&["microinvoice"])?;
            command.arg("--node-modules").arg(node.join("node_modules"));
        }
        "libraries.py" => {
            npm_install(&[
                "jspdf-invoice-template-nodejs@1.4.40",
                "@h1dd3nsn1p3r/pdf-invoice@1.0.12",
                "bootstrap@4.1.1",
                "puppeteer-core",
            ])?;
            let venv = python_venv(dir, "libraries-venv", "bin/python", &[LIBRARY_PACKAGES])?;
            command.arg("--node-modules").arg(node.join("node_modules")).arg("--python").arg(venv.join("bin/python"));
        }
        "tryton.py" => {
            let venv = python_venv(dir, "tryton-venv", "bin/trytond-admin", &[TRYTON_PACKAGES])?;
            command.arg("--python").arg(venv.join("bin/python")).arg("--work").arg(dir.join("tryton-cache"));
        }
        "pretix.py" => {
            let venv = python_venv(dir, "pretix-venv", "bin/python", &[PRETIX_PACKAGES])?;
            command.arg("--python").arg(venv.join("bin/python"));
        }
        "billing.py" => {
            npm_install(&["puppeteer-core"])?;
            let venv = python_venv(dir, "billing-venv", "bin/python", &[BILLING_PACKAGES, BILLING_NO_DEPS])?;
            command.arg("--node-modules").arg(node.join("node_modules")).arg("--python").arg(venv.join("bin/python"));
        }
        "cartridge.py" => {
            let venv = python_venv(dir, "cartridge-venv", "bin/python", &[CARTRIDGE_PACKAGES])?;
            command.arg("--python").arg(venv.join("bin/python"));
        }
        "lino.py" => {
            let venv = system_python_venv(dir, "lino-venv", &[LINO_PACKAGES])?;
            command.arg("--python").arg(venv.join("bin/python"));
        }
        _ => {}
    }
    run_step(&format!("generate {} ({} {})", corpus.name, corpus.script, corpus.args.join(" ")), command)
}

/// The Python venv `name` beside the corpora, made and filled by one `pip install` per entry
/// of `installs` (arguments: requirements, or `--no-deps` before them) unless it holds `marker`
/// already. Returns its folder.
fn python_venv(dir: &Path, name: &str, marker: &str, installs: &[&[&str]]) -> anyhow::Result<PathBuf> {
    make_venv(dir, name, marker, installs, &["python3", "-m", "venv"])
}

/// A venv over Debian's own Python with its site packages (`python3-uno`, LibreOffice's bridge,
/// lives only there), filled like [`python_venv`].
fn system_python_venv(dir: &Path, name: &str, installs: &[&[&str]]) -> anyhow::Result<PathBuf> {
    make_venv(dir, name, "bin/python", installs, &["/usr/bin/python3", "-m", "venv", "--system-site-packages"])
}

/// Makes venv `name` with the command `create` (its folder appended) unless it holds `marker`
/// and was filled before, then runs one `pip install` per entry of `installs`.
fn make_venv(dir: &Path, name: &str, marker: &str, installs: &[&[&str]], create: &[&str]) -> anyhow::Result<PathBuf> {
    let venv = dir.join(name);
    if venv.join(marker).exists() && venv.join(".complete").exists() {
        return Ok(venv);
    }
    let Some((program, args)) = create.split_first() else { bail!("no command to make venv {name}") };
    let mut command = Command::new(program);
    command.args(args).arg(&venv);
    run_step(&format!("{} {name}", create.join(" ")), command)?;
    for packages in installs {
        let mut pip = Command::new(venv.join("bin/pip"));
        pip.args(["install", "--quiet"]).args(*packages);
        run_step(&format!("pip install {} ({name})", packages.join(" ")), pip)?;
    }
    std::fs::write(venv.join(".complete"), "")?;
    Ok(venv)
}

/// The folder under `node_modules` of an npm package spec: "pkg@1.2.3" is `pkg`, and
/// "@scope/pkg@1.2.3" is `@scope/pkg`.
fn package_dir(spec: &str) -> &str {
    spec.rsplit_once('@').filter(|(name, _)| !name.is_empty()).map_or(spec, |(name, _)| name)
}

/// Builds the scorer from the working tree and returns its path.
fn build_current() -> anyhow::Result<PathBuf> {
    let mut build = cargo();
    build.args(["build", "--quiet", "--release", "--package", "billify-pdf", "--example", "score_corpus"]);
    run_step("build score_corpus (working tree)", build)?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| tidy::workspace_root().join("target"), PathBuf::from);
    Ok(target.join("release/examples/score_corpus"))
}

/// Builds the scorer as it was at `rev` (in a temporary worktree, with its own target directory)
/// and returns its path; a build for the same commit is reused.
fn build_base(dir: &Path, rev: &str) -> anyhow::Result<PathBuf> {
    let root = tidy::workspace_root();
    let output = Command::new("git")
        .current_dir(&root)
        .args(["rev-parse", "--verify", &format!("{rev}^{{commit}}")])
        .output()?;
    if !output.status.success() {
        bail!("{rev:?} is no commit: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    let commit = String::from_utf8(output.stdout)?.trim().to_owned();
    let binary = dir.join("bin").join(format!("score_corpus-{commit}"));
    if binary.exists() {
        return Ok(binary);
    }
    let worktree = dir.join(format!("worktree-{commit}"));
    if !worktree.exists() {
        let mut add = Command::new("git");
        add.current_dir(&root).args(["worktree", "add", "--detach", "--quiet"]).arg(&worktree).arg(&commit);
        run_step(&format!("git worktree add {commit}"), add)?;
    }
    let mut build = cargo();
    build.current_dir(&worktree).env("CARGO_TARGET_DIR", dir.join("target-base"));
    build.args(["build", "--quiet", "--release", "--package", "billify-pdf", "--example", "score_corpus"]);
    run_step(&format!("build score_corpus ({rev})"), build)?;
    std::fs::create_dir_all(dir.join("bin"))?;
    std::fs::copy(dir.join("target-base/release/examples/score_corpus"), &binary)?;
    let mut remove = Command::new("git");
    remove.current_dir(&root).args(["worktree", "remove", "--force"]).arg(&worktree);
    run_step("git worktree remove", remove)?;
    Ok(binary)
}

/// Scores the corpus in `dir` with the scorer `binary`, field by field.
fn score(binary: &Path, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let output = Command::new(binary)
        .arg(dir)
        .args(["--split", "all", "--tsv"])
        .output()
        .with_context(|| format!("running {}", binary.display()))?;
    if !output.status.success() {
        bail!("{} {} failed: {}", binary.display(), dir.display(), String::from_utf8_lossy(&output.stderr).trim());
    }
    let rows: Vec<Row> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(5, '\t');
            Some(Row {
                path: parts.next()?.to_owned(),
                split: parts.next()?.to_owned(),
                field: parts.next()?.to_owned(),
                ok: parts.next()? == "ok",
                detail: parts.next()?.to_owned(),
            })
        })
        .collect();
    if rows.is_empty() {
        bail!(
            "{} printed no fields for {}: a scorer older than `--tsv` cannot be compared",
            binary.display(),
            dir.display()
        );
    }
    Ok(rows)
}
