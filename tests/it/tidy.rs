//! Architecture invariants, checked as tests (after rust-analyzer's tidy.rs): the domain stays
//! pure, layers depend one way, every module says what it is for, tests never sleep or skip,
//! and no networking code is built into the app.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // src-tauri/vendor holds third-party crates kept as published (see its Cargo.toml).
            if path.file_name().is_some_and(|n| n == "vendor") {
                continue;
            }
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The code of a file without its comments, so prose may name what code must not use.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split("//").next().unwrap_or("").to_string()))
        .filter(|(_, code)| !code.trim().is_empty())
        .collect()
}

fn violations(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(&root().join(dir)) {
        for (line, code) in code_lines(&file) {
            for word in forbidden {
                if code.contains(word) {
                    found.push(format!(
                        "{}:{line}: uses {word}",
                        file.strip_prefix(root()).unwrap().display()
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn the_domain_is_pure() {
    let found = violations(
        "src-tauri/domain",
        &[
            "rusqlite",
            "tauri",
            "printpdf",
            "csv::",
            "std::fs",
            "std::net",
            "std::env",
            "std::process",
            "std::io",
            "::now(",
            "SystemTime",
            "Instant::",
            "include_str!",
            "include_bytes!",
            "crate::store",
            "crate::exchange",
            "crate::desktop",
            "crate::cli",
            "crate::documents",
            "crate::assets",
        ],
    );
    assert!(
        found.is_empty(),
        "domain/ must not touch SQL, Tauri, PDF, files, the network or the clock:\n{}",
        found.join("\n")
    );
}

#[test]
fn layers_depend_one_way() {
    for (dir, forbidden) in [
        (
            "src-tauri/store",
            &["crate::exchange", "crate::desktop", "crate::cli", "tauri::", "csv::"][..],
        ),
        ("src-tauri/exchange", &["crate::desktop", "crate::cli", "tauri::", "rusqlite"][..]),
        (
            "src-tauri/documents",
            &[
                "crate::store",
                "crate::exchange",
                "crate::desktop",
                "crate::cli",
                "rusqlite",
                "tauri::",
                "std::fs",
            ][..],
        ),
        ("src-tauri/desktop", &["crate::cli", "rusqlite"][..]),
        ("src-tauri/cli", &["rusqlite", "tauri::"][..]),
    ] {
        let found = violations(dir, forbidden);
        assert!(
            found.is_empty(),
            "desktop, cli → exchange → store → domain:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn every_module_says_what_it_is_for() {
    let missing: Vec<String> = rust_files(&root().join("src-tauri"))
        .into_iter()
        .chain(rust_files(&root().join("tests")))
        .filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(missing.is_empty(), "start these files with a //! comment:\n{}", missing.join("\n"));
}

#[test]
fn tests_never_sleep_skip_or_expect_panics() {
    // Spelt in pieces so that this file does not match its own search.
    let forbidden =
        [["#[ig", "nore"], ["thread::", "sleep"], ["should", "_panic"]].map(|w| w.concat());
    let mut found = Vec::new();
    for dir in ["src-tauri", "tests"] {
        for file in rust_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for word in &forbidden {
                if text.contains(word.as_str()) {
                    found.push(format!("{}: {word}", file.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "no sleeps, no skipped tests, no expected panics:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_screens_reach_the_core_only_through_api_js() {
    for entry in std::fs::read_dir(root().join("ui/screens")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("__TAURI__") && !text.contains("invoke("),
            "{} calls the core directly",
            path.display()
        );
        assert!(!text.contains("innerHTML"), "{} parses data as HTML", path.display());
    }
    let html = std::fs::read_to_string(root().join("ui/index.html")).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no remote resources in index.html"
    );
}

#[test]
fn the_content_security_policy_allows_only_the_app_itself() {
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap())
            .unwrap();
    let csp = config["app"]["security"]["csp"].as_str().expect("a content security policy is set");
    for directive in csp.split(';') {
        for source in directive.split_whitespace().skip(1) {
            assert!(
                ["'self'", "'none'", "data:", "ipc:", "http://ipc.localhost"].contains(&source),
                "{source} in '{directive}' lets the window reach beyond the app"
            );
        }
    }
}

/// Networking crates that would let the app talk to the internet. Tauri lists reqwest for its
/// Android and iOS builds only, so the check is of what is compiled for the desktops.
#[test]
fn no_networking_crate_is_in_the_lock_file() {
    // Every package Cargo could ever build for Alongside, on any target, is in Cargo.lock.
    const NETWORKING: &[&str] = &["reqwest", "hyper", "ureq", "surf", "attohttpc", "curl", "isahc"];
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .map(|rest| rest.trim_end_matches('"'))
        .collect();
    assert!(names.contains(&"tauri") && names.contains(&"rusqlite"), "Cargo.lock was read");
    let found: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| {
            NETWORKING.iter().any(|net| name == net || name.starts_with(&format!("{net}-")))
        })
        .collect();
    assert!(found.is_empty(), "networking crates in Cargo.lock: {found:?}");
}

#[test]
fn the_gate_lists_exactly_the_commands_the_window_registers() {
    // The gate refuses a command it does not list, so a command registered but not listed
    // would never run, and one listed but not registered would be checked and then not found.
    let text = std::fs::read_to_string(root().join("src-tauri/desktop/mod.rs")).unwrap();
    let start = text.find("tauri::generate_handler![").expect("the window registers its commands");
    let end = start + text[start..].find(']').unwrap();
    let mut registered: Vec<&str> = text[start..end]
        .lines()
        .skip(1)
        .map(|line| line.trim().trim_end_matches(','))
        .filter(|line| !line.is_empty())
        .map(|path| path.rsplit("::").next().unwrap())
        .collect();
    let mut listed: Vec<&str> =
        alongside::desktop::COMMANDS.iter().map(|(name, _)| *name).collect();
    registered.sort_unstable();
    listed.sort_unstable();
    assert!(registered.len() > 60, "read the list: {registered:?}");
    assert_eq!(registered, listed);
}

#[test]
fn the_about_screen_lists_exactly_the_crates_in_cargo_lock() {
    // Every crate the root depends on, walked through Cargo.lock's dependency lists; run
    // `.ci/licences` after changing dependencies to list them again.
    let lock: toml_lock::Lock = toml_lock::read(&root().join("Cargo.lock"));
    let listed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("assets/licences/crates.json")).unwrap(),
    )
    .unwrap();
    let mut listed: Vec<(String, String)> = listed["crates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().into(), c["version"].as_str().unwrap().into()))
        .collect();
    listed.sort();
    let mut reachable = lock.reachable_from("alongside");
    reachable.sort();
    assert_eq!(listed, reachable, "run .ci/licences: the crates changed");
}

/// Just enough of Cargo.lock: each package's name, version and dependencies.
mod toml_lock {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    pub struct Lock {
        packages: Vec<(String, String, Vec<String>)>,
    }

    pub fn read(path: &Path) -> Lock {
        let text = std::fs::read_to_string(path).unwrap();
        let mut packages = Vec::new();
        for block in text.split("[[package]]").skip(1) {
            let value = |key: &str| {
                block
                    .lines()
                    .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                    .map(|v| v.trim_end_matches('"').to_string())
                    .unwrap()
            };
            let dependencies = block
                .split_once("dependencies = [")
                .map(|(_, rest)| {
                    rest.split(']')
                        .next()
                        .unwrap()
                        .lines()
                        .filter_map(|l| {
                            let l = l.trim().trim_end_matches(',').trim_matches('"');
                            (!l.is_empty()).then(|| l.to_string())
                        })
                        .collect()
                })
                .unwrap_or_default();
            packages.push((value("name"), value("version"), dependencies));
        }
        Lock { packages }
    }

    impl Lock {
        /// Every package reachable from `root`, as (name, version), without the root.
        pub fn reachable_from(&self, root: &str) -> Vec<(String, String)> {
            let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (i, (name, _, _)) in self.packages.iter().enumerate() {
                by_name.entry(name).or_default().push(i);
            }
            // A dependency is "name" when only one version is locked, else "name version".
            let find = |dep: &str| -> usize {
                let mut parts = dep.split(' ');
                let name = parts.next().unwrap();
                let candidates = &by_name[name];
                match parts.next() {
                    None => candidates[0],
                    Some(version) => *candidates
                        .iter()
                        .find(|&&i| self.packages[i].1 == version)
                        .unwrap_or_else(|| panic!("{dep} is in Cargo.lock")),
                }
            };
            let start = by_name[root][0];
            let mut seen = BTreeSet::new();
            let mut todo = vec![start];
            while let Some(i) = todo.pop() {
                for dep in &self.packages[i].2 {
                    let j = find(dep);
                    if seen.insert(j) {
                        todo.push(j);
                    }
                }
            }
            seen.remove(&start);
            seen.into_iter()
                .map(|i| (self.packages[i].0.clone(), self.packages[i].1.clone()))
                .collect()
        }
    }
}
