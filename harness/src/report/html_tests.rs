//! Tests of the HTML report writer.
use super::*;
use crate::report::sample;

#[test]
fn page_is_self_contained() {
    let html = render(&sample::record());
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.trim_end().ends_with("</html>"));
    for external in ["<link", "src=", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
    assert_eq!(html.matches("<script>").count(), 1, "only the one inline script");
}

#[test]
fn run_info_and_area_bars() {
    let html = render(&sample::record());
    for fact in ["acme-chat", "4.2.0-rc.1", "0.1.0", "9f2c1e4b7a10", "2026-05-04 09:30:12 UTC", "8.73 s"] {
        assert!(html.contains(&format!("<dd>{fact}</dd>")), "{fact}");
    }
    assert!(html.contains(
        "<strong>✗ Failed</strong>10 of 13 scenarios ran (not run: 1 skipped, 1 impossible, 1 blocked by a broken rule); 4 passed strictly, 1 on a lenient reading, 1 with declared deviation, 2 failed, 1 expected failure, 1 unexpected pass</div>"
    ));
    // 2 of the 3 that ran passed; all 3 ran.
    assert!(html.contains("<a href=\"#area-unichat.messages\">unichat&#8239;/&#8239;messages</a></td><td class=\"pct\">66.7 % (2 of 3)<span class=\"ran\">3 of 3 ran</span>"));
    // Every scenario that ran passed; what did not run stands beside the 100 %.
    assert!(html.contains(
        "<td class=\"pct\">100.0 % (2 of 2)<span class=\"ran\">2 of 4 ran (1 skipped, 1 impossible)</span>"
    ));
    assert!(html.contains("<span class=\"seg o-pass\" style=\"width:66.667%\" title=\"2 pass\"></span>"));
    assert!(html.contains("<tr class=\"all\"><td class=\"name\">All scenarios</td><td class=\"pct\">63.6 %"));
    assert!(html.contains("<span class=\"badge o-pass_lenient\">≈ 1 pass on a lenient reading</span>"));
    assert!(html.contains("<span class=\"badge o-pass_deviation\">⚐ 1 pass with declared deviation</span>"));
    assert_eq!(html.matches("<article class=\"scenario").count(), 13);
}

#[test]
fn every_outcome_has_a_text_label() {
    let html = render(&sample::record());
    for outcome in Outcome::ALL {
        let badge = format!(
            "<span class=\"badge o-{}\">{} {}</span><h4>",
            outcome.as_str(),
            outcome_symbol(outcome),
            outcome_label(outcome)
        );
        assert!(html.contains(&badge), "{badge}");
        for rule in [".badge.o-", ".seg.o-", ".scenario.o-", ":not(:checked)) .scenario.o-"] {
            assert!(STYLE.contains(&format!("{rule}{} ", outcome.as_str())), "{rule}{outcome:?}");
        }
    }
}

#[test]
fn failures_show_step_expected_actual_doc_and_wire_link() {
    let html = render(&sample::record());
    let start = html.find("id=\"scenario-unichat.messages.posting-twice").expect("failure rendered");
    let article = &html[start..start + html[start..].find("</article>").expect("closed")];
    assert!(article.contains("<span class=\"field\">Failed step</span><code>Then the room holds one message</code> <span class=\"where\">line 18</span>"));
    assert!(article.contains("<div class=\"expected\"><span class=\"field\">Expected</span><pre>1 message with uid &quot;u1&quot;</pre>"));
    assert!(article.contains("&lt;b&gt;hi&lt;/b&gt; &amp; bye"));
    assert!(
        article.contains("Documentation<cite>seeds/unichat/messages.md</cite></span><q>&quot;If a message")
    );
    let link = format!("<a href=\"#{}\">See the wire log (7 entries) ↓</a>", wire_anchor(sample::FAIL));
    assert!(article.contains(&link));
    assert!(
        article.contains(&format!("<details class=\"wire\" id=\"{}\"><summary>", wire_anchor(sample::FAIL)))
    );
    assert!(article.contains("<span class=\"at\">1201 ms</span><span class=\"kind\">response</span>"));
    assert!(article.contains("GET /api/messages?room=r-2&amp;limit=10"));
}

#[test]
fn graded_passes_show_their_register_entries() {
    let html = render(&sample::record());
    let article = |id: &str| {
        let start = html.find(&format!("id=\"scenario-{}\"", anchor(id))).expect("rendered");
        html[start..start + html[start..].find("</article>").expect("closed")].to_owned()
    };
    let lenient = article(sample::LENIENT);
    assert!(lenient.contains("<span class=\"badge o-pass_lenient\">≈ pass on a lenient reading</span>"));
    assert!(lenient.contains(
        "<span class=\"field\">Lenient reading</span>register entry <strong>C5</strong> of <code>specs/src/connectnow/NOTES.md</code>: the refusal is the API&#39;s error body"
    ), "{lenient}");
    assert!(lenient.contains("<span class=\"field\">Actual</span><pre>HTTP 400 text/plain &quot;status &lt;gone&gt; &amp; more&quot;</pre>"));
    assert!(
        lenient
            .contains(&format!("<a href=\"#{}\">See the wire log (2 entries)", wire_anchor(sample::LENIENT)))
    );
    let deviation = article(sample::DEVIATION);
    assert!(deviation.contains(
        "<span class=\"field\">Declared deviation <code>token_login_needs_organization</code></span>register entry <strong>S8</strong> of <code>specs/src/sama/NOTES.md</code>"
    ), "{deviation}");
    assert!(
        deviation
            .contains("<span class=\"field\">Accepted</span><pre>{token, device_id, organization_id}</pre>")
    );
    assert!(!article(sample::PASS).contains("class=\"grade"));
}

#[test]
fn bodies_and_names_are_escaped() {
    let html = render(&sample::record());
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;hi&lt;/b&gt;"));
    assert!(
        html.contains(
            "<h4>Message text keeps &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot; | pipes</h4>"
        )
    );
    assert!(!html.contains('\u{1b}'));
    assert!(html.contains("<a href=\"https://tracker.example/ACME-12?view=full&amp;tab=1\">"));
    let mut record = sample::record();
    if let Some(k) = record.scenarios.iter_mut().find_map(|s| s.known_failure.as_mut()) {
        k.link = Some("javascript:alert(1)".to_owned());
    }
    assert!(!render(&record).contains("href=\"javascript:"));
}

#[test]
fn matches_the_golden_file() {
    crate::report::golden("report.html", &render(&sample::record()));
}

#[test]
fn failures_come_first_with_their_ids_and_plain_passes_carry_no_wire_log() {
    let html = render(&sample::record());
    let failing = html.find("<section class=\"failing\"").unwrap_or(usize::MAX);
    let first_area = html.find("<section class=\"area\"").unwrap_or(0);
    assert!(failing < first_area, "the failing section is not first");
    assert!(html.contains(&format!(
        "<code class=\"id\" title=\"the id for known_failures and --scenario\">{}</code>",
        esc(sample::FAIL)
    )));
    assert_eq!(html.matches(&format!("id=\"scenario-{}\"", anchor(sample::FAIL))).count(), 1);
    assert!(!html.contains(&format!("id=\"{}\"", wire_anchor(sample::PASS))));
}

#[test]
fn anchors_are_readable_and_distinct() {
    assert_eq!(wire_anchor("unichat/uid/a-b#2"), "wire-unichat.uid.a-b~232");
    assert_eq!(anchor("x y.é"), "x~20y~2e~c3~a9");
    assert_ne!(anchor("a/b"), anchor("a.b"));
    assert_ne!(anchor("a~2e"), anchor("a.b"));
}

#[test]
fn wire_logs_open_on_request_and_output_is_deterministic() {
    let record = sample::record();
    assert!(!render(&record).contains("<details class=\"wire\" id=\"wire-unichat.messages.posting-twice-with-one-uid-keeps-one-message\" open>"));
    assert!(render_with(&record, true).contains("<details class=\"wire\" id=\"wire-unichat.messages.posting-twice-with-one-uid-keeps-one-message\" open>"));
    let mut shuffled = record.clone();
    shuffled.scenarios.reverse();
    assert_eq!(render(&record), render(&shuffled));
    let empty = render(&RunRecord::default());
    assert!(empty.contains("<strong>✗ Nothing ran</strong>0 of 0 scenarios ran (not run: "), "{empty}");
}
