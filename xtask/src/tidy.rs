//! Architecture rules, checked from `cargo metadata` and the file tree.
//!
//! Run by `cargo xtask tidy` and by the test at the bottom, so `cargo test` enforces them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

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

/// The normal (non-dev, non-build) dependency graph of the workspace with default features.
struct Graph {
    /// Package name -> names of its normal dependencies (resolved, default features).
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Workspace member names.
    members: BTreeSet<String>,
}

fn parse_tree(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    // `cargo tree --prefix depth -e normal --format {p}` prints "<depth><name> v<version> ...".
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack: Vec<String> = Vec::new();
    for line in text.lines() {
        let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
        let Ok(depth) = digits.parse::<usize>() else { continue };
        let name = line[digits.len()..].split_whitespace().next().unwrap_or_default().to_owned();
        stack.truncate(depth);
        if let Some(parent) = stack.last() {
            edges.entry(parent.clone()).or_default().insert(name.clone());
        }
        edges.entry(name.clone()).or_default();
        stack.push(name);
    }
    edges
}

fn cargo_tree(root: &Path, package: &str, extra: &[&str]) -> anyhow::Result<BTreeMap<String, BTreeSet<String>>> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["tree", "--quiet", "--package", package, "--edges", "normal", "--prefix", "depth", "--format", "{p}"])
        .args(extra)
        .output()
        .context("running cargo tree")?;
    if !output.status.success() {
        bail!("cargo tree -p {package} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(parse_tree(&String::from_utf8_lossy(&output.stdout)))
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

fn members(root: &Path) -> anyhow::Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(root.join("crates")).context("reading crates/")? {
        let manifest = entry?.path().join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            if let Some(name) = text.lines().find_map(|l| l.strip_prefix("name = \"").and_then(|r| r.strip_suffix('"')))
            {
                names.insert(name.to_owned());
            }
        }
    }
    Ok(names)
}

fn graph(root: &Path) -> anyhow::Result<Graph> {
    let members = members(root)?;
    let mut edges = BTreeMap::new();
    for member in &members {
        for (k, v) in cargo_tree(root, member, &[])? {
            edges.entry(k).or_insert_with(BTreeSet::new).extend(v);
        }
    }
    Ok(Graph { edges, members })
}

/// Checks every rule; returns the broken ones in plain words.
pub fn check(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let g = graph(root)?;

    let domain = reachable(&cargo_tree(root, "billify-domain", &["--no-default-features"])?, "billify-domain");
    for bad in FORBIDDEN_IN_DOMAIN {
        if domain.contains(*bad) {
            problems.push(format!("billify-domain depends on {bad} (without its optional `serde` feature it must reach no I/O, framework or serde crate)"));
        }
    }
    let domain_serde = reachable(&cargo_tree(root, "billify-domain", &["--features", "serde"])?, "billify-domain");
    for bad in FORBIDDEN_IN_DOMAIN.iter().filter(|b| !b.starts_with("serde")) {
        if domain_serde.contains(*bad) {
            problems.push(format!("billify-domain with feature serde depends on {bad}"));
        }
    }

    problems.extend(check_layers(&g));
    problems.extend(check_migrations(root)?);
    problems.extend(check_crate_docs(root, &g.members)?);
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
    // Only the composition root (and xtask) may name concrete adapters: an adapter depends on
    // no other adapter, except the persistence adapters on their shared code. Adapters never
    // depend on the application layer: they implement ports, they do not call use cases.
    for member in &g.members {
        if CORE.contains(&member.as_str()) || member == APP || member == "billify" {
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
                || (member.starts_with("billify-store-") && dep == "billify-store-common");
            if g.members.contains(dep) && !allowed {
                problems.push(format!(
                    "the adapter {member} depends on {dep}; only the billify binary wires adapters together"
                ));
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
        };
        assert_eq!(check_layers(&g), Vec::<String>::new());

        g.edges.insert("billify-pdf".into(), BTreeSet::from(["billify-ports".into(), "billify-app".into()]));
        g.edges.insert("billify-app".into(), BTreeSet::from(["billify-ports".into(), "billify-web".into()]));
        let problems = check_layers(&g);
        assert!(problems.iter().any(|p| p.contains("the adapter billify-pdf depends on billify-app")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("billify-app depends on billify-web")), "{problems:?}");
    }

    #[test]
    fn the_checks_catch_violations() {
        let tree = "0billify-domain v0.1.0\n1diesel v2.3.0\n2r2d2 v0.8.0\n1time v0.3.0\n";
        let edges = parse_tree(tree);
        let reached = reachable(&edges, "billify-domain");
        assert!(reached.contains("diesel") && reached.contains("r2d2") && reached.contains("time"));

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
