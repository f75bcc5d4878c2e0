//! Rules about the source files themselves: every file under a crate's `src/`, `tests/`,
//! `examples/` or `benches/` (or the shared Diesel folder) is a module reached from a crate root
//! by `mod` declarations; no file-level
//! import cycles inside a crate; and no file over [`MAX_LINES`] lines unless its `//!` doc says
//! why ([`LONG_FILE_MARKER`]).
//!
//! The module graph is read from the text: a file's module is its path under `src/`, and it
//! depends on the modules its `crate::...` and `super::...` paths name (tests excluded). A module
//! and its own submodules may refer to each other; that is how Rust nests, not a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// Files longer than this need a reason in their `//!` doc.
pub const MAX_LINES: usize = 800;
/// What a long file's `//!` doc says, followed by the reason.
pub const LONG_FILE_MARKER: &str = "**Why this file is long:**";

/// Checks every crate under `crates/` and `xtask`; returns the broken rules in plain words.
pub fn check(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut crate_dirs: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .context("reading crates/")?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    crate_dirs.push(root.join("xtask"));
    crate_dirs.sort();
    for dir in crate_dirs {
        let src = dir.join("src");
        let mut files = Vec::new();
        for sub in ["src", "tests", "examples", "benches"] {
            collect_rs(&dir.join(sub), &mut files)?;
        }
        for file in &files {
            let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
            problems.extend(long_file(&display(root, file), &text));
        }
        let modules: BTreeMap<String, String> = files
            .iter()
            .filter(|f| f.starts_with(&src))
            .filter_map(|f| Some((module_of(&src, f)?, std::fs::read_to_string(f).ok()?)))
            .collect();
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for cycle in cycles(&modules) {
            problems.push(format!(
                "{name}: the files of modules {} import each other; move what they share into one of them or a new module",
                cycle.join(", ")
            ));
        }
    }
    problems.extend(unreachable_files(root)?);
    Ok(problems)
}

/// Source files under `crates/*/{src,diesel,tests,examples,benches}` that no `mod` declaration
/// reaches from a crate root (`src/lib.rs`, `src/main.rs`, `src/bin/*.rs`, and each
/// `tests/*.rs`, `examples/*.rs` and `benches/*.rs`): dead files, compiled by nothing, that a
/// reader would take for live code.
fn unreachable_files(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut all = Vec::new();
    let mut todo = Vec::new();
    for entry in std::fs::read_dir(root.join("crates")).context("reading crates/")? {
        let dir = entry?.path();
        for sub in ["src", "diesel", "tests", "examples", "benches"] {
            collect_rs(&dir.join(sub), &mut all)?;
        }
        for root_file in ["src/lib.rs", "src/main.rs"] {
            if dir.join(root_file).is_file() {
                todo.push(dir.join(root_file));
            }
        }
        for sub in ["src/bin", "tests", "examples", "benches"] {
            todo.extend(top_level_rs(&dir.join(sub))?);
        }
    }
    let roots: BTreeSet<PathBuf> = todo.iter().filter_map(|f| f.canonicalize().ok()).collect();
    let mut reached: BTreeSet<PathBuf> = BTreeSet::new();
    while let Some(file) = todo.pop() {
        let Ok(file) = file.canonicalize() else { continue };
        if !reached.insert(file.clone()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        todo.extend(child_files(&file, &text, roots.contains(&file)));
    }
    let mut problems = Vec::new();
    for file in all {
        let known = file.canonicalize().map(|f| reached.contains(&f)).unwrap_or(false);
        if !known {
            problems.push(format!(
                "{} is not a module of any crate (no `mod` declaration reaches it): remove it or declare it",
                display(root, &file)
            ));
        }
    }
    Ok(problems)
}

/// The `.rs` files directly in `dir` (each a crate root of a test, example, bench or binary).
fn top_level_rs(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(out)
}

/// The files that `mod name;` declarations (with or without `#[path = "..."]`) in `file` name.
fn child_files(file: &Path, text: &str, crate_root: bool) -> Vec<PathBuf> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mod_root = crate_root || matches!(stem.as_str(), "lib" | "main" | "mod");
    let base = if mod_root { dir.to_path_buf() } else { dir.join(&stem) };
    let mut path_attr: Option<String> = None;
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("#[path") {
            path_attr = rest.split('"').nth(1).map(str::to_owned);
            continue;
        }
        if line.starts_with("#[") || line.starts_with("//") {
            continue;
        }
        let declaration = line
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub ")
            .strip_prefix("mod ")
            .and_then(|r| r.strip_suffix(';'));
        match (declaration, path_attr.take()) {
            (Some(_), Some(path)) => out.push(dir.join(path)),
            (Some(name), None) => {
                let name = name.trim().trim_start_matches("r#");
                let flat = base.join(format!("{name}.rs"));
                out.push(if flat.is_file() { flat } else { base.join(name).join("mod.rs") });
            }
            _ => {}
        }
    }
    out
}

fn display(root: &Path, file: &Path) -> String {
    file.strip_prefix(root).unwrap_or(file).display().to_string()
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// A problem when `text` is longer than [`MAX_LINES`] and its `//!` doc gives no reason.
fn long_file(name: &str, text: &str) -> Option<String> {
    let lines = text.lines().count();
    let reason =
        text.lines().take_while(|l| l.starts_with("//!") || l.trim().is_empty()).any(|l| l.contains(LONG_FILE_MARKER));
    (lines > MAX_LINES && !reason).then(|| {
        format!("{name} has {lines} lines (more than {MAX_LINES}): split it by subject, or say in its //! doc `{LONG_FILE_MARKER} ...`")
    })
}

/// The module path of a file under `src/` (`""` for the crate root).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop()?;
    let stem = last.strip_suffix(".rs")?;
    if !(parts.is_empty() && (stem == "lib" || stem == "main")) && stem != "mod" {
        parts.push(stem.to_owned());
    }
    Some(parts.join("::"))
}

/// The text without comments and without a trailing `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let body = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    body.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

fn ident_end(s: &str) -> usize {
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len())
}

/// The paths (as segments) that follow `prefix` in `code`, expanding one level of `{a, b::c}`.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => return true,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    false
                })
                .map_or(group.len(), |(i, _)| i);
            let mut depth = 0;
            let mut start = 0;
            let inner = &group[..end];
            for (i, c) in inner.char_indices().chain(std::iter::once((inner.len(), ','))) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(segments(inner[start..i].trim()));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(segments(rest));
        }
    }
    out
}

fn segments(mut s: &str) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        let end = ident_end(s);
        if end == 0 {
            break;
        }
        out.push(s[..end].to_owned());
        match s[end..].strip_prefix("::") {
            Some(next) => s = next,
            None => break,
        }
    }
    out
}

/// The longest prefix of `segments` (joined under `base`) that is a module.
fn resolve(modules: &BTreeMap<String, String>, base: &str, segments: &[String]) -> Option<String> {
    (1..=segments.len()).rev().find_map(|n| {
        let tail = segments[..n].join("::");
        let candidate = if base.is_empty() { tail } else { format!("{base}::{tail}") };
        modules.contains_key(&candidate).then_some(candidate)
    })
}

fn nested(a: &str, b: &str) -> bool {
    a.is_empty() || b.is_empty() || a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"))
}

/// The sets of modules (two or more) whose files import each other, directly or in a ring.
fn cycles(modules: &BTreeMap<String, String>) -> Vec<Vec<String>> {
    let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in modules {
        let code = code(text);
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let mut targets: Vec<String> =
            paths_after(&code, "crate::").iter().filter_map(|p| resolve(modules, "", p)).collect();
        targets.extend(paths_after(&code, "super::").iter().filter_map(|p| resolve(modules, parent, p)));
        let entry = edges.entry(module.as_str()).or_default();
        for target in targets {
            if target != *module && !nested(module, &target) {
                entry.insert(target);
            }
        }
    }
    strongly_connected(&edges).into_iter().filter(|c| c.len() > 1).collect()
}

/// Tarjan's strongly connected components.
fn strongly_connected(edges: &BTreeMap<&str, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<&'a str, BTreeSet<String>>,
        index: BTreeMap<String, usize>,
        low: BTreeMap<String, usize>,
        stack: Vec<String>,
        on_stack: BTreeSet<String>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: &str) {
            self.index.insert(v.to_owned(), self.next);
            self.low.insert(v.to_owned(), self.next);
            self.next += 1;
            self.stack.push(v.to_owned());
            self.on_stack.insert(v.to_owned());
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v.to_owned(), low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v.to_owned(), low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(&w);
                    let done = w == v;
                    component.push(w);
                    if done {
                        break;
                    }
                }
                component.sort();
                self.found.push(component);
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(*v) {
            walk.visit(v);
        }
    }
    walk.found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modules(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files.iter().map(|(m, t)| ((*m).to_owned(), (*t).to_owned())).collect()
    }

    #[test]
    fn import_cycles_are_found_and_nesting_is_not_one() {
        let ring = modules(&[
            ("", "mod a; mod b; mod c;"),
            ("a", "use crate::b::Thing;"),
            ("b", "use crate::{c::Other, Root};"),
            ("c", "fn f() { super::a::g() }"),
            ("a::inner", "use super::Parent; use crate::a::X;"),
        ]);
        assert_eq!(cycles(&ring), vec![vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]]);

        let tree =
            modules(&[("", ""), ("a", "use crate::b::Thing; mod inner;"), ("b", ""), ("a::inner", "use super::X;")]);
        assert!(cycles(&tree).is_empty());
        let comment = modules(&[("", ""), ("a", "use crate::b::T;"), ("b", "// see crate::a::T\n")]);
        assert!(cycles(&comment).is_empty(), "comments are not imports");
    }

    #[test]
    fn long_files_need_a_reason() {
        let long = "fn f() {}\n".repeat(MAX_LINES + 1);
        assert!(long_file("x.rs", &long).is_some_and(|p| p.contains("801 lines")));
        let explained = format!("//! Tables.\n//!\n//! {LONG_FILE_MARKER} one generated table.\n\n{long}");
        assert_eq!(long_file("x.rs", &explained), None);
        assert_eq!(long_file("x.rs", "fn f() {}\n"), None);
    }

    #[test]
    fn mod_declarations_name_their_files() {
        let dir = std::env::temp_dir().join(format!("source-rules-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src/a")).unwrap();
        std::fs::write(dir.join("src/a/b.rs"), "").unwrap();
        let lib = dir.join("src/lib.rs");
        let text = "pub mod a;\nmod c;\n#[path = \"../shared/x.rs\"]\nmod x;\n// mod commented;\n";
        let children = child_files(&lib, text, true);
        assert_eq!(children, [dir.join("src/a/mod.rs"), dir.join("src/c/mod.rs"), dir.join("src/../shared/x.rs")]);
        assert_eq!(
            child_files(&dir.join("src/a.rs"), "mod b;", false),
            [dir.join("src/a/b.rs")],
            "a non-root file's children"
        );
        assert_eq!(
            child_files(&dir.join("tests/api.rs"), "mod common;", true),
            [dir.join("tests/common/mod.rs")],
            "a test's modules sit beside it"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn file_paths_name_their_modules() {
        let src = Path::new("/c/src");
        assert_eq!(module_of(src, Path::new("/c/src/lib.rs")).as_deref(), Some(""));
        assert_eq!(module_of(src, Path::new("/c/src/sync/mod.rs")).as_deref(), Some("sync"));
        assert_eq!(module_of(src, Path::new("/c/src/sync/engine.rs")).as_deref(), Some("sync::engine"));
    }
}
