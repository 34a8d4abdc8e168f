//! The pre-flight check (DESIGN.md, "Targets"): before the first scenario, every URL the
//! profile names is reached once, so an unreachable server ends the run with one clear line
//! instead of one failure per scenario.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Provisioning, Target};

/// Every distinct URL of `target` a run talks to, with the profile field that gives it, as
/// `http(s)://` URLs: the API (`base_url`), the admin API (`admin.url`), the event streams
/// (`unichat.sse_base_url`), the SAMA socket (`sama.socket_url`; a WebSocket server answers
/// a plain GET too, if only with an error) and the provisioning webhooks
/// (`provisioning.webhooks.<operation>`, placeholders filled with `x`).
pub fn urls(target: &Target) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |field: String, url: String| {
        if !out.iter().any(|(_, u)| *u == url) {
            out.push((field, url));
        }
    };
    add("base_url".into(), target.base_url.clone());
    if let Some(url) = &target.admin_url {
        add("admin.url".into(), url.clone());
    }
    if let Some(url) = &target.sse_base_url {
        add("unichat.sse_base_url".into(), url.clone());
    }
    if target.api == "sama" {
        let url = &target.sama.socket_url;
        let url = match url.strip_prefix("wss://") {
            Some(rest) => format!("https://{rest}"),
            None => format!("http://{}", url.strip_prefix("ws://").unwrap_or(url)),
        };
        add("sama.socket_url".into(), url);
    }
    if let Provisioning::Http { webhooks, .. } = &target.provisioning {
        for (operation, url) in webhooks {
            let url = super::operations::fill(url, &serde_json::Value::Null, |_| "x".into());
            add(format!("provisioning.webhooks.{operation}"), url);
        }
    }
    out
}

/// Why a URL of the profile could not be reached before the run; each names the profile
/// field that gives the URL.
#[derive(Debug, thiserror::Error)]
pub enum Unreachable {
    /// The profile's URL does not parse.
    #[error("cannot reach {url} ({field}): not a URL: {reason}")]
    NotAUrl {
        /// The profile field: `base_url`, `admin.url`, ...
        field: String,
        /// The URL as the profile gives it.
        url: String,
        /// What the URL parser said.
        reason: String,
    },
    /// The connection failed (refused, no route, unknown host).
    #[error("cannot reach {url} ({field}): {cause}")]
    Connect {
        /// The profile field.
        field: String,
        /// The URL whose host and port were tried.
        url: String,
        /// The innermost cause (`connection refused`).
        cause: String,
    },
    /// No connection within the (scaled) wait.
    #[error("cannot reach {url} ({field}): no connection within {} ms ({})", wait.as_millis(), crate::reply::SCALED_WAIT)]
    Timeout {
        /// The profile field.
        field: String,
        /// The URL whose host and port were tried.
        url: String,
        /// How long the harness waited.
        wait: Duration,
    },
}

/// Opens a TCP connection to the host and port of every URL of `urls` once (what the
/// server answers, and how fast, is for the scenarios to judge). The first that cannot be
/// reached gives `cannot reach http://...: connection refused`.
pub async fn preflight(target: &Target) -> Result<(), Unreachable> {
    let wait = target.wait(Duration::from_secs(5));
    for (field, url) in urls(target) {
        let parsed = match reqwest::Url::parse(&url) {
            Ok(u) => u,
            Err(e) => return Err(Unreachable::NotAUrl { field, url, reason: e.to_string() }),
        };
        let host =
            parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
        let port = parsed.port_or_known_default().unwrap_or(80);
        match tokio::time::timeout(wait, tokio::net::TcpStream::connect((host.as_str(), port))).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                return Err(Unreachable::Connect { field, url, cause: crate::reply::root_cause(&e) });
            }
            Err(_) => return Err(Unreachable::Timeout { field, url, wait }),
        }
    }
    Ok(())
}

/// A `provisioning.commands` program that cannot be run, found before the run (so a typo in
/// a path is one line and exit 2, not one provisioning error per scenario).
#[derive(Debug, thiserror::Error)]
#[error("provisioning.commands.{operation}: the program {program:?} {why}")]
pub struct MissingProgram {
    /// The operation whose command it is (`create_user`).
    pub operation: String,
    /// The program as the profile names it.
    pub program: String,
    /// `does not exist; commands run in the profile's folder, <folder>`, `is not executable
    /// (chmod +x ...)`, `is not on PATH (...)`, ...
    pub why: String,
}

/// Checks that every program of `provisioning.commands` can be run: a name with a `/` is a
/// file, relative to the folder commands run in (the profile's), that exists and is
/// executable; a bare name is found on `PATH` (the `which` crate's search, as the process
/// spawn does it). Other modes have nothing to check.
pub fn commands(target: &Target) -> Result<(), MissingProgram> {
    let Provisioning::Command { commands, .. } = &target.provisioning else { return Ok(()) };
    let dir = target.profile_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    for (operation, line) in commands {
        // A line that does not split was refused when the profile was read.
        let Some(program) = line.argv().ok().and_then(|argv| argv.into_iter().next()) else { continue };
        let missing =
            |why: String| MissingProgram { operation: operation.clone(), program: program.clone(), why };
        if program.contains('/') {
            let path = dir.join(&program);
            // Where a relative path was looked for, as a person would find it.
            let shown = if Path::new(&program).is_absolute() {
                String::new()
            } else {
                let folder = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
                format!("; commands run in the profile's folder, {}", folder.display())
            };
            match std::fs::metadata(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(missing(format!("does not exist{shown}")));
                }
                Err(e) => return Err(missing(format!("cannot be read ({e}){shown}"))),
                Ok(m) if m.is_dir() => return Err(missing(format!("is a folder{shown}"))),
                Ok(m) if !executable(&m) => {
                    return Err(missing(format!("is not executable (chmod +x {program}){shown}")));
                }
                Ok(_) => {}
            }
        } else if which::which_in(&program, std::env::var_os("PATH"), &dir).is_err() {
            return Err(missing(
                "is not on PATH (give a path with a `/`, like ./make-user.sh, for a file beside the profile)"
                    .into(),
            ));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn executable(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn executable(_: &std::fs::Metadata) -> bool {
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_url_once_and_sockets_as_http() {
        let mut t = Target::embedded("sama", "http://127.0.0.1:9000".into());
        t.sama.socket_url = "wss://chat.example.com/socket".into();
        t.sse_base_url = Some("http://127.0.0.1:9000".into());
        let pairs = |t: &Target| urls(t).into_iter().map(|(f, u)| format!("{f} {u}")).collect::<Vec<_>>();
        assert_eq!(
            pairs(&t),
            ["base_url http://127.0.0.1:9000", "sama.socket_url https://chat.example.com/socket"]
        );
        let mut u = Target::embedded("unichat", "http://h:1".into());
        assert_eq!(pairs(&u), ["base_url http://h:1"]);
        u.admin_url = Some("http://h:2".into());
        u.provisioning = Provisioning::Http {
            webhooks: [("create_user".to_owned(), "http://hooks:3/users/{name}".to_owned())].into(),
            timeout_seconds: 5,
        };
        assert_eq!(
            pairs(&u),
            [
                "base_url http://h:1",
                "admin.url http://h:2",
                "provisioning.webhooks.create_user http://hooks:3/users/x"
            ]
        );
    }

    #[tokio::test]
    async fn a_closed_port_is_one_clear_line() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let t = Target::embedded("unichat", base.clone());
        let e = preflight(&t).await.unwrap_err();
        assert_eq!(e.to_string(), format!("cannot reach {base} (base_url): connection refused"));
    }

    /// A command-mode profile in a fresh folder, with `create_user` running `program`.
    fn command_target(dir: &Path, program: &str) -> Target {
        let mut t = Target::embedded("unichat", "http://h:1".into());
        t.profile_dir = Some(dir.to_path_buf());
        t.provisioning = Provisioning::Command {
            commands: [(
                "create_user".to_owned(),
                super::super::operations::CommandLine::Line(format!("{program} {{name}}")),
            )]
            .into(),
            timeout_seconds: 5,
        };
        t
    }

    #[cfg(unix)]
    #[test]
    fn command_programs_are_checked_before_the_run() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("chatspec-preflight-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("folder")).unwrap();
        let script = dir.join("make-user.sh");
        std::fs::write(&script, "#!/bin/sh\necho '{}'\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o644)).unwrap();
        let folder = std::fs::canonicalize(&dir).unwrap();
        let shown = format!("; commands run in the profile's folder, {}", folder.display());
        let e = commands(&command_target(&dir, "./make-usr.sh")).unwrap_err().to_string();
        assert_eq!(
            e,
            format!("provisioning.commands.create_user: the program \"./make-usr.sh\" does not exist{shown}")
        );
        let e = commands(&command_target(&dir, "./make-user.sh")).unwrap_err().to_string();
        assert!(e.ends_with(&format!("is not executable (chmod +x ./make-user.sh){shown}")), "{e}");
        let e = commands(&command_target(&dir, "./folder")).unwrap_err().to_string();
        assert!(e.contains("\"./folder\" is a folder"), "{e}");
        let e = commands(&command_target(&dir, "no-such-program-anywhere")).unwrap_err().to_string();
        assert!(e.contains("\"no-such-program-anywhere\" is not on PATH"), "{e}");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        commands(&command_target(&dir, "./make-user.sh")).unwrap();
        commands(&command_target(&dir, &script.display().to_string())).unwrap();
        commands(&command_target(&dir, "sh")).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
