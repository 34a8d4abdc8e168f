//! Rebuilds the binary when a feature file changes: the suites are embedded with
//! `include_dir!`, which stable Rust cannot track by itself.

fn main() {
    println!("cargo:rerun-if-changed=../features");
}
