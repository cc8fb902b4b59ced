//! Build script: lets tauri-build read `tauri.conf.json`, and lists the catalogue files in
//! `assets/catalogue/` so they are compiled into the binary (see `assets.rs`).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // The screens are embedded in the binary by `generate_context!`: rebuild when they change.
    println!("cargo:rerun-if-changed=ui");
    embed_catalogue();
    tauri_build::build();
}

/// Writes `$OUT_DIR/catalogue_files.rs`: one `(file name, contents)` pair per JSON file.
fn embed_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("assets/catalogue/conditions");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("assets/catalogue/conditions must exist")
        .map(|entry| {
            entry.expect("readable catalogue entry").file_name().to_string_lossy().into_owned()
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
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("catalogue_files.rs");
    std::fs::write(out, code).unwrap();
}
