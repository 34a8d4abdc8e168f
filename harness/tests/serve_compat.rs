//! `chatspec serve sama --compat ...` as a client developer runs it: the switches it takes,
//! the ones it refuses, and the banner that says which are on.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_chatspec");

/// Starts `chatspec serve` with `args`, reads the banner up to its last line, stops it.
fn banner(args: &[&str]) -> Vec<String> {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("chatspec serve starts");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    let mut next = || {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the banner ended early");
        line.trim_end().to_owned()
    };
    // The SAMA banner ends with its inspector line; then come the compat head and its names,
    // every line of names but the last ending with a comma.
    loop {
        lines.push(next());
        if lines.last().unwrap().contains("inspector:") {
            break;
        }
    }
    if args.contains(&"--compat") {
        lines.push(next());
        loop {
            lines.push(next());
            if !lines.last().unwrap().ends_with(',') {
                break;
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    lines
}

#[test]
fn the_banner_names_the_switches_that_are_on() {
    let plain = banner(&["sama"]);
    assert!(plain[0].starts_with("sama mock at http://127.0.0.1:"), "{plain:?}");
    assert!(!plain.iter().any(|l| l.contains("compat:")), "{plain:?}");

    let two = banner(&["sama", "--compat", "ack_as_ask", "--compat", "online_as_zero"]);
    let compat: Vec<&String> = two.iter().skip_while(|l| !l.contains("compat:")).collect();
    assert!(compat[0].contains("2 of "), "{two:?}");
    assert_eq!(compat[1].trim(), "ack_as_ask, online_as_zero", "{two:?}");

    let all = banner(&["sama", "--compat", "sama-server-0.36"]);
    let text = all.join("\n");
    assert!(text.contains("sama-server-0.36 (every switch"), "{text}");
    for name in ["errors_as_strings", "events_after_reply", "jwt_access_tokens", "contact_list_refuses_ids"] {
        assert!(text.contains(name), "{name} missing from {text}");
    }
}

#[test]
fn unknown_switches_and_other_apis_are_refused() {
    let out = Command::new(BIN)
        .args(["serve", "sama", "--addr", "127.0.0.1:0", "--compat", "ack_as_akc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("\"ack_as_akc\"") && err.contains("sama-server-0.36") && err.contains("ack_as_ask"),
        "{err}"
    );

    let out = Command::new(BIN)
        .args(["serve", "unichat", "--addr", "127.0.0.1:0", "--compat", "ack_as_ask"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("sama"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_banner_names_every_request_served_and_the_inspector() {
    let lines = banner(&["sama"]).join("\n");
    let count = chatspec_specs::sama::Request::ALL.len();
    assert!(lines.contains(&format!("serves:      {count} requests:")), "{lines}");
    for name in chatspec_specs::sama::Request::ALL.iter().map(|r| r.name()) {
        assert!(
            lines.contains(&format!(" {name},")) || lines.contains(&format!(" {name}\n")),
            "{name}: {lines}"
        );
    }
    assert!(lines.contains("/_mock/  (users"), "{lines}");
}
