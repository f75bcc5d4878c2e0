//! Architecture rules, checked from `cargo metadata`, the file tree and, for schema parity,
//! freshly migrated databases (see [`crate::schema`]).
//!
//! Run by `cargo xtask tidy` and by the test at the bottom, so `cargo test` enforces them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};
use serde_json::Value;

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// Crates the domain core must never reach, directly or through another crate.
const FORBIDDEN_IN_DOMAIN: &[&str] = &[
    "diesel",
    "actix-web",
    "ureq",
    "lopdf",
    "r2d2",
    "env_logger",
    "serde",
    "serde_json",
    "log",
    "libsqlite3-sys",
    "pq-sys",
];
/// Frameworks and drivers the ports must never reach.
const FORBIDDEN_IN_PORTS: &[&str] =
    &["diesel", "actix-web", "ureq", "lopdf", "r2d2", "libsqlite3-sys", "pq-sys", "roxmltree"];
/// The inner hexagon: every workspace crate may depend on these.
const CORE: &[&str] = &["billify-domain", "billify-ports"];
/// The application layer (use cases): depends on the core only; only delivery crates and the
/// composition root depend on it.
const APP: &str = "billify-app";
/// Delivery crates: they call use cases, so they may depend on the application layer.
const DELIVERY: &[&str] = &["billify-web", "billify-ui"];
/// The bounded lopdf layer, and the adapters that read PDFs through it. It is the only crate
/// that names lopdf; it depends on nothing of Billify but the core.
const PDF_GUARD: &str = "billify-pdf-guard";
const PDF_READERS: &[&str] = &["billify-pdf", "billify-einvoice"];
/// The browser interface: beside the core and the use cases it may use the API crate (for the
/// one cookie session, CSRF token and sign-in rate limit), and nothing that stores or fetches.
const UI: &str = "billify-ui";
/// What the browser interface may depend on among the workspace crates, besides the core and
/// the application layer.
const UI_MAY_USE: &[&str] = &["billify-web"];
/// Crates the browser interface must never reach, directly or through another crate.
const FORBIDDEN_IN_UI: &[&str] = &["diesel", "r2d2", "libsqlite3-sys", "pq-sys", "lopdf", "ureq", "roxmltree"];

/// The normal (non-dev, non-build) dependency graph of the workspace, as `cargo metadata`
/// resolves it (default features, unified across the workspace).
struct Graph {
    /// Package name -> names of its normal dependencies.
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Workspace member names.
    members: BTreeSet<String>,
    /// Package name -> names of the normal dependencies it declares optional.
    optional: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// Reads `cargo metadata --format-version 1` (its JSON).
    fn from_metadata(json: &Value) -> anyhow::Result<Graph> {
        let text = |v: &Value| v.as_str().map(str::to_owned);
        let packages = json["packages"].as_array().context("metadata without packages")?;
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut optional: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for package in packages {
            let (Some(id), Some(name)) = (text(&package["id"]), text(&package["name"])) else { continue };
            let declared = package["dependencies"].as_array().into_iter().flatten();
            let optional_deps = declared
                .filter(|d| d["optional"].as_bool() == Some(true) && d["kind"].is_null())
                .filter_map(|d| text(&d["name"]))
                .collect();
            optional.insert(name.clone(), optional_deps);
            names.insert(id, name);
        }
        let members = json["workspace_members"]
            .as_array()
            .context("metadata without workspace members")?
            .iter()
            .filter_map(|id| id.as_str().and_then(|id| names.get(id)).cloned())
            .collect();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for node in json["resolve"]["nodes"].as_array().context("metadata without a resolve graph")? {
            let Some(name) = node["id"].as_str().and_then(|id| names.get(id)) else { continue };
            let deps = node["deps"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["dep_kinds"].as_array().into_iter().flatten().any(|k| k["kind"].is_null()));
            let entry = edges.entry(name.clone()).or_default();
            entry.extend(deps.filter_map(|d| d["pkg"].as_str().and_then(|id| names.get(id)).cloned()));
        }
        Ok(Graph { edges, members, optional })
    }

    /// What `package` reaches, without (`with_optional = false`) or with its own optional
    /// dependencies (the ones its features turn on).
    fn reachable_from(&self, package: &str, with_optional: bool) -> BTreeSet<String> {
        let none = BTreeSet::new();
        let optional = self.optional.get(package).unwrap_or(&none);
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = self
            .edges
            .get(package)
            .into_iter()
            .flatten()
            .filter(|d| with_optional || !optional.contains(*d))
            .cloned()
            .collect();
        while let Some(next) = todo.pop() {
            if seen.insert(next.clone()) {
                todo.extend(self.edges.get(&next).into_iter().flatten().cloned());
            }
        }
        seen
    }
}

fn cargo_metadata(root: &Path) -> anyhow::Result<Graph> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--locked"])
        .output()
        .context("running cargo metadata")?;
    if !output.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let json: Value = serde_json::from_slice(&output.stdout).context("reading cargo metadata's JSON")?;
    Graph::from_metadata(&json)
}

fn reachable(edges: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(next) = todo.pop() {
        for dep in edges.get(&next).into_iter().flatten() {
            if seen.insert(dep.clone()) {
                todo.push(dep.clone());
            }
        }
    }
    seen
}

/// Checks every rule; returns the broken ones in plain words.
pub fn check(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let g = cargo_metadata(root)?;

    let domain = g.reachable_from("billify-domain", false);
    for bad in FORBIDDEN_IN_DOMAIN {
        if domain.contains(*bad) {
            problems.push(format!("billify-domain depends on {bad} (without its optional `serde` feature it must reach no I/O, framework or serde crate)"));
        }
    }
    let domain_serde = g.reachable_from("billify-domain", true);
    for bad in FORBIDDEN_IN_DOMAIN.iter().filter(|b| !b.starts_with("serde")) {
        if domain_serde.contains(*bad) {
            problems.push(format!("billify-domain with feature serde depends on {bad}"));
        }
    }

    problems.extend(check_layers(&g));
    problems.extend(check_migrations(root)?);
    problems.extend(crate::schema::check(root)?);
    problems.extend(check_crate_docs(root, &g.members)?);
    problems.extend(crate::source_rules::check(root)?);
    Ok(problems)
}

/// The dependency directions between workspace crates: ports and use cases reach no framework or
/// adapter, adapters reach only the core (never the application layer), delivery crates may call
/// use cases, and only the binary wires adapters together.
fn check_layers(g: &Graph) -> Vec<String> {
    let mut problems = Vec::new();
    let ports = reachable(&g.edges, "billify-ports");
    for bad in FORBIDDEN_IN_PORTS {
        if ports.contains(*bad) {
            problems.push(format!("billify-ports depends on {bad}; ports know no framework or driver"));
        }
    }
    for member in &g.members {
        if !CORE.contains(&member.as_str()) && ports.contains(member) {
            problems.push(format!(
                "billify-ports depends on the adapter {member}; adapters depend on ports, never the reverse"
            ));
        }
    }
    let app = reachable(&g.edges, APP);
    for bad in FORBIDDEN_IN_PORTS {
        if app.contains(*bad) {
            problems.push(format!("{APP} depends on {bad}; use cases know no framework or driver"));
        }
    }
    for dep in g.edges.get(APP).into_iter().flatten() {
        if g.members.contains(dep) && !CORE.contains(&dep.as_str()) {
            problems.push(format!("{APP} depends on {dep}; use cases are written against ports only"));
        }
    }
    // Only the composition root (and xtask, whose schema check migrates databases through the
    // stores) may name concrete adapters: an adapter depends on no other adapter, except the
    // persistence adapters on their shared code. Adapters never depend on the application layer:
    // they implement ports, they do not call use cases.
    for member in &g.members {
        if CORE.contains(&member.as_str()) || member == APP || member == "billify" || member == "xtask" {
            continue;
        }
        for dep in g.edges.get(member).into_iter().flatten() {
            if dep == APP && !DELIVERY.contains(&member.as_str()) {
                problems.push(format!(
                    "the adapter {member} depends on {APP}; adapters implement ports and never call use cases"
                ));
                continue;
            }
            let allowed = CORE.contains(&dep.as_str())
                || (DELIVERY.contains(&member.as_str()) && dep == APP)
                || (member == UI && UI_MAY_USE.contains(&dep.as_str()))
                || (member.starts_with("billify-store-") && dep == "billify-store-common")
                || (dep == PDF_GUARD && PDF_READERS.contains(&member.as_str()));
            if g.members.contains(dep) && !allowed {
                problems.push(format!(
                    "the adapter {member} depends on {dep}; only the billify binary wires adapters together"
                ));
            }
        }
    }

    // Untrusted PDF bytes meet lopdf in one place, inside the budget.
    for member in &g.members {
        if member != PDF_GUARD && g.edges.get(member).is_some_and(|deps| deps.contains("lopdf")) {
            problems.push(format!(
                "{member} depends on lopdf directly; PDFs are read through {PDF_GUARD}, which bounds lopdf"
            ));
        }
    }
    // The browser interface calls use cases; it never reaches storage, a driver or a provider.
    if g.members.contains(UI) {
        let ui = reachable(&g.edges, UI);
        for bad in FORBIDDEN_IN_UI {
            if ui.contains(*bad) {
                problems.push(format!("{UI} depends on {bad}; pages call use cases, never storage or providers"));
            }
        }
        for member in &g.members {
            let fine = CORE.contains(&member.as_str()) || member == APP || UI_MAY_USE.contains(&member.as_str());
            if ui.contains(member) && !fine {
                problems.push(format!("{UI} reaches {member}; pages call use cases, never an adapter"));
            }
        }
    }

    problems
}

fn migration_names(dir: &Path) -> anyhow::Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            names.insert(entry.file_name().to_string_lossy().into_owned());
        }
    }
    Ok(names)
}

fn check_migrations(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let pg = migration_names(&root.join("migrations/postgres"))?;
    let sqlite = migration_names(&root.join("migrations/sqlite"))?;
    for missing in pg.symmetric_difference(&sqlite) {
        let side = if pg.contains(missing) { "migrations/sqlite" } else { "migrations/postgres" };
        problems.push(format!("migration {missing} is missing from {side}; the two backends must stay in step"));
    }
    for (backend, names) in [("postgres", &pg), ("sqlite", &sqlite)] {
        for name in names {
            for file in ["up.sql", "down.sql"] {
                if !root.join("migrations").join(backend).join(name).join(file).is_file() {
                    problems.push(format!("migrations/{backend}/{name} has no {file}"));
                }
            }
        }
    }
    Ok(problems)
}

fn check_crate_docs(root: &Path, members: &BTreeSet<String>) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(root.join("crates"))? {
        let dir = entry?.path();
        for file in ["src/lib.rs", "src/main.rs"] {
            let path = dir.join(file);
            if let Ok(text) = std::fs::read_to_string(&path) {
                let doc = text.lines().take_while(|l| l.starts_with("//!")).collect::<Vec<_>>().join("\n");
                if doc.is_empty() {
                    problems.push(format!("{} must open with a //! doc saying what the crate is", path.display()));
                } else if file == "src/lib.rs" && !doc.to_lowercase().contains("never depend") {
                    problems.push(format!("{} must say what the crate must never depend on", path.display()));
                }
            }
        }
    }
    let _ = members;
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_architecture_rules_hold() {
        let problems = check(&workspace_root()).expect("tidy ran");
        assert!(problems.is_empty(), "architecture rules broken:\n{}", problems.join("\n"));
    }

    #[test]
    fn adapters_may_not_call_use_cases() {
        let edge = |from: &str, to: &[&str]| (from.to_owned(), to.iter().map(|s| (*s).to_owned()).collect());
        let members = ["billify-domain", "billify-ports", "billify-app", "billify-web", "billify-pdf", "billify"];
        let mut g = Graph {
            edges: BTreeMap::from([
                edge("billify-domain", &[]),
                edge("billify-ports", &["billify-domain"]),
                edge("billify-app", &["billify-ports", "billify-domain"]),
                edge("billify-web", &["billify-app", "billify-ports"]),
                edge("billify-pdf", &["billify-ports"]),
                edge("billify", &["billify-app", "billify-web", "billify-pdf"]),
            ]),
            members: members.iter().map(|s| (*s).to_owned()).collect(),
            optional: BTreeMap::new(),
        };
        assert_eq!(check_layers(&g), Vec::<String>::new());

        g.edges.insert("billify-pdf".into(), BTreeSet::from(["billify-ports".into(), "billify-app".into()]));
        g.edges.insert("billify-app".into(), BTreeSet::from(["billify-ports".into(), "billify-web".into()]));
        let problems = check_layers(&g);
        assert!(problems.iter().any(|p| p.contains("the adapter billify-pdf depends on billify-app")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("billify-app depends on billify-web")), "{problems:?}");
    }

    #[test]
    fn the_browser_interface_reaches_no_store_or_adapter() {
        let edge = |from: &str, to: &[&str]| (from.to_owned(), to.iter().map(|s| (*s).to_owned()).collect());
        let members =
            ["billify-domain", "billify-ports", "billify-app", "billify-web", "billify-ui", "billify-store-sqlite"];
        let mut g = Graph {
            edges: BTreeMap::from([
                edge("billify-domain", &[]),
                edge("billify-ports", &["billify-domain"]),
                edge("billify-app", &["billify-ports", "billify-domain"]),
                edge("billify-web", &["billify-app", "billify-ports"]),
                edge("billify-ui", &["billify-web", "billify-app", "billify-ports", "maud"]),
                edge("billify-store-sqlite", &["billify-ports", "diesel"]),
            ]),
            members: members.iter().map(|s| (*s).to_owned()).collect(),
            optional: BTreeMap::new(),
        };
        assert_eq!(check_layers(&g), Vec::<String>::new());

        g.edges.insert("billify-web".into(), BTreeSet::from(["billify-app".into(), "billify-store-sqlite".into()]));
        let problems = check_layers(&g);
        assert!(problems.iter().any(|p| p.contains("billify-ui depends on diesel")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("billify-ui reaches billify-store-sqlite")), "{problems:?}");
    }

    #[test]
    fn the_checks_catch_violations() {
        let metadata = serde_json::json!({
            "packages": [
                {"id": "d", "name": "billify-domain", "dependencies": [
                    {"name": "time", "optional": false, "kind": null},
                    {"name": "serde", "optional": true, "kind": null},
                    {"name": "proptest", "optional": false, "kind": "dev"}]},
                {"id": "t", "name": "time", "dependencies": []},
                {"id": "s", "name": "serde", "dependencies": []},
                {"id": "p", "name": "proptest", "dependencies": []},
                {"id": "x", "name": "diesel", "dependencies": []},
                {"id": "r", "name": "r2d2", "dependencies": []},
            ],
            "workspace_members": ["d"],
            "resolve": {"nodes": [
                {"id": "d", "deps": [
                    {"pkg": "t", "dep_kinds": [{"kind": null}]},
                    {"pkg": "s", "dep_kinds": [{"kind": null}]},
                    {"pkg": "p", "dep_kinds": [{"kind": "dev"}]}]},
                {"id": "t", "deps": [{"pkg": "x", "dep_kinds": [{"kind": null}]}]},
                {"id": "x", "deps": [{"pkg": "r", "dep_kinds": [{"kind": null}]}]},
                {"id": "s", "deps": []}, {"id": "p", "deps": []}, {"id": "r", "deps": []},
            ]},
        });
        let g = Graph::from_metadata(&metadata).unwrap();
        assert_eq!(g.members, BTreeSet::from(["billify-domain".to_owned()]));
        let plain = g.reachable_from("billify-domain", false);
        assert_eq!(
            plain,
            BTreeSet::from(["time".into(), "diesel".into(), "r2d2".into()]),
            "transitive, no dev, no optional"
        );
        assert!(g.reachable_from("billify-domain", true).contains("serde"), "optional dependencies with their feature");

        let dir = std::env::temp_dir().join(format!("tidy-{}", std::process::id()));
        for (backend, name) in [
            ("postgres", "2026-01-01-000001_a"),
            ("postgres", "2026-01-01-000002_b"),
            ("sqlite", "2026-01-01-000001_a"),
        ] {
            let d = dir.join("migrations").join(backend).join(name);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("up.sql"), "").unwrap();
            std::fs::write(d.join("down.sql"), "").unwrap();
        }
        let problems = check_migrations(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("2026-01-01-000002_b is missing from migrations/sqlite"));
    }
}
