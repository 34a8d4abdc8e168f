//! The README's CI example, run as written: its `run:` commands, in order, against a served
//! mock, with only what is the team's own replaced (their server's start script becomes
//! `chatspec serve`, its fixed port the served one). `cargo install` is not run here (it
//! builds for minutes); the test checks it names this workspace's binary package.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_chatspec");

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `run:` commands of the first YAML block under "### In CI", in order.
fn ci_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let section = readme.split("### In CI").nth(1).expect("README has an \"In CI\" section");
    let block = section.split("```yaml").nth(1).and_then(|b| b.split("```").next()).expect("a yaml block");
    block
        .lines()
        .filter_map(|l| {
            l.trim_start().strip_prefix("run: ").or_else(|| l.trim_start().strip_prefix("- run: "))
        })
        .map(|c| c.split("   #").next().unwrap_or(c).trim().to_owned())
        .collect()
}

fn sh(dir: &Path, path: &str, summary: &Path, command: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", path)
        .env("GITHUB_STEP_SUMMARY", summary)
        .output()
        .expect("sh runs")
}

#[test]
fn the_readme_ci_example_runs_against_a_served_mock() {
    let commands = ci_commands();
    let names: Vec<&str> = commands.iter().map(|c| c.split_whitespace().next().unwrap_or("")).collect();
    assert_eq!(names, ["cargo", "./scripts/run-test-server.sh", "curl", "chatspec", "cat"], "{commands:#?}");

    // Install: the package it names is this workspace's binary.
    let install = &commands[0];
    assert!(
        install.starts_with("cargo install --locked --git ") && install.ends_with(" chatspec"),
        "{install}"
    );
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"chatspec\""));

    let dir = std::env::temp_dir().join(format!("chatspec-ci-example-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("ci")).unwrap();
    let bin_dir: PathBuf = Path::new(BIN).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let summary = dir.join("step-summary.md");

    // The team's server: here the Unichat mock, on a port of its own.
    let mut child = Command::new(BIN)
        .args(["serve", "unichat", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("chatspec serve starts");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let _served = Served(child);
    let base = first.split_whitespace().last().unwrap().to_owned();
    let ours = |c: &str| c.replace("http://127.0.0.1:8080", &base);

    // The profile the suite command names, as `init-target` writes it for that server.
    let profile = sh(&dir, &path, &summary, "chatspec init-target --api unichat --output -");
    assert!(profile.status.success());
    std::fs::write(dir.join("ci/chatspec-unichat.toml"), ours(&String::from_utf8_lossy(&profile.stdout)))
        .unwrap();

    for command in &commands[2..] {
        let out = sh(&dir, &path, &summary, &ours(command));
        assert!(
            out.status.success(),
            "{command}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.contains("unichat"), "{written}");
    for report in ["junit.xml", "cucumber.json", "conformance.json", "summary.md", "report.html"] {
        assert!(dir.join("conformance").join(report).is_file(), "{report}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
