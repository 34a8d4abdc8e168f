//! What `chatspec proxy` leaves behind: `proxy.json` (the violations, the faults that fired
//! and the wire log) and `proxy.md` (the same for a reader).

use std::path::{Path, PathBuf};

use serde_json::json;

use super::Proxy;

impl Proxy {
    /// The report as JSON: api, upstream, violations, fired faults, wire log.
    pub fn report(&self) -> serde_json::Value {
        json!({
            "api": self.api(),
            "upstream": self.upstream(),
            "violations": self.violations(),
            "faults_fired": self.faults().fired(),
            "wire": self.wire(),
        })
    }

    /// Writes `proxy.json` and `proxy.md` into `dir` (created when missing).
    pub fn write_reports(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir)?;
        let json_path = dir.join("proxy.json");
        let text = serde_json::to_string_pretty(&self.report()).map_err(std::io::Error::other)?;
        std::fs::write(&json_path, text)?;
        let md_path = dir.join("proxy.md");
        std::fs::write(&md_path, self.markdown())?;
        Ok(vec![json_path, md_path])
    }

    fn markdown(&self) -> String {
        let violations = self.violations();
        let mut out = format!(
            "# chatspec proxy: {} in front of {}\n\n{} violation(s), {} fault(s) fired, {} wire entries.\n\n",
            self.api(),
            self.upstream(),
            violations.len(),
            self.faults().fired().len(),
            self.wire().len()
        );
        if !violations.is_empty() {
            out.push_str("| at fault | exchange | path | rule | what | documentation |\n| --- | --- | --- | --- | --- | --- |\n");
            for v in &violations {
                let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
                out.push_str(&format!(
                    "| {} | {} | `{}` | `{}` | {} | {} |\n",
                    v.direction,
                    cell(&v.exchange),
                    if v.path.is_empty() { "/" } else { &v.path },
                    cell(&v.rule),
                    cell(&v.message),
                    cell(v.quote.as_deref().unwrap_or("")),
                ));
            }
            out.push('\n');
        }
        let fired = self.faults().fired();
        if !fired.is_empty() {
            out.push_str("## Faults fired\n\n");
            for f in fired {
                out.push_str(&format!(
                    "- fault {} `{}` on {}\n",
                    f.fault,
                    serde_json::to_string(&f.kind).unwrap_or_default(),
                    f.request
                ));
            }
            out.push('\n');
        }
        out.push_str("## Wire log\n\n");
        for e in self.wire() {
            let body = e
                .body
                .map(|b| format!(" `{}`", b.to_string().chars().take(200).collect::<String>()))
                .unwrap_or_default();
            out.push_str(&format!("- {} ms {} {}{body}\n", e.at_ms, e.kind, e.summary.replace('\n', " ")));
        }
        out
    }
}
