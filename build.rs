//! Builds every file in `scenarios/` into the binary, so built-in scenarios
//! work from any folder: adding a file there is all it takes.

use std::{env, fs, path::Path};

fn main() {
    println!("cargo::rerun-if-changed=scenarios");
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("scenarios");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// Built-in scenarios: (name, file text), sorted by name.\npub const BUILTIN: &[(&str, &str)] = &[\n",
    );
    for n in &names {
        println!("cargo::rerun-if-changed=scenarios/{n}");
        let stem = n.trim_end_matches(".toml");
        let path = dir.join(n);
        out.push_str(&format!(
            "    ({stem:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_scenarios.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
