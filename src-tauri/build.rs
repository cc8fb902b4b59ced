//! Build script: lets tauri-build read `tauri.conf.json`, and lists the catalogue files in
//! `assets/catalogue/` and the rule files in `assets/rules/` so they are compiled into the binary (see `assets.rs`).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // The screens are embedded in the binary by `generate_context!`: rebuild when they change.
    println!("cargo:rerun-if-changed=ui");
    embed("assets/catalogue/conditions", "catalogue_files.rs");
    embed("assets/rules", "rule_files.rs");
    tauri_build::build();
}

/// Writes `$OUT_DIR/<out>`: one `(file name, contents)` pair per JSON file of `folder`.
fn embed(folder: &str, out: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join(folder);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{folder} must exist: {e}"))
        .map(|entry| {
            entry.expect("readable asset entry").file_name().to_string_lossy().into_owned()
        })
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    let mut code = String::from("&[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(code, "    ({name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    code.push(']');
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join(out);
    std::fs::write(out, code).unwrap();
}
