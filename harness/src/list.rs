//! `chatspec list`: the scenarios of the suites, selected with the filters of `chatspec
//! check` in the same meaning: `--area` (a feature file's name), `--scenario` (an id),
//! `--tags` (a tag expression over the feature files' tags and the cross-cutting ones,
//! decided by [`crate::tags::selects`]). A name no suite has is refused with the nearest
//! real one, as `check` refuses it.

use std::path::Path;

use crate::suites::{Entry, nearest};

/// What `chatspec list` shows.
#[derive(Clone, Debug, Default)]
pub struct ListOptions {
    /// Only this API's scenarios, or `all`.
    pub api: String,
    /// Only these areas (feature file stems); empty for all.
    pub areas: Vec<String>,
    /// Only the scenarios with these ids; empty for all.
    pub scenarios: Vec<String>,
    /// Only the scenarios this tag expression selects.
    pub tags: Option<String>,
}

/// Why `chatspec list` shows nothing.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// `--api` names no API.
    #[error("--api {0:?}: known APIs are {apis}, all", apis = crate::check::APIS.join(", "))]
    UnknownApi(String),
    /// The suites could not be read.
    #[error(transparent)]
    Suite(#[from] crate::suites::SuiteError),
    /// `--tags` is no tag expression, or names a tag no scenario carries.
    #[error(transparent)]
    Tags(#[from] crate::check::CheckError),
    /// `--tags` asks for a tag only other suites' scenarios carry.
    #[error(transparent)]
    TagElsewhere(#[from] crate::tags::InOtherSuites),
    /// `--area` names an area of other suites only.
    #[error(
        "--area {area:?} is not in the {api} suite: it is an area of the {} suite (chatspec list --api {} --area {area})",
        apis.join(" and "),
        apis.first().map(String::as_str).unwrap_or_default()
    )]
    AreaElsewhere {
        /// The area given.
        area: String,
        /// The suite listed.
        api: String,
        /// The suites that have it.
        apis: Vec<String>,
    },
    /// An `--area` or `--scenario` names nothing in the suites listed.
    #[error(
        "{what} {wanted:?} is not in {where_}{} (chatspec list shows them all)",
        nearest.as_ref().map(|n| format!("; the nearest is {n:?}")).unwrap_or_default()
    )]
    NotInSuite {
        /// `--area` or `--scenario`.
        what: &'static str,
        /// The name given.
        wanted: String,
        /// `the unichat suite`, or `any suite`.
        where_: String,
        /// The closest real name.
        nearest: Option<String>,
    },
}

/// The scenarios under `features` that `opts` selects, in catalog order.
pub fn select(features: &Path, opts: &ListOptions) -> Result<Vec<Entry>, ListError> {
    let every = crate::suites::catalog(features)?;
    if opts.api != "all" && !crate::check::APIS.contains(&opts.api.as_str()) {
        return Err(ListError::UnknownApi(opts.api.clone()));
    }
    let expr = opts.tags.as_deref().map(crate::tags::parse).transpose()?;
    if let Some(expr) = &expr
        && let Some((tag, nearest)) = crate::tags::unknown(expr, &every)
    {
        return Err(crate::check::CheckError::UnknownTag { tag, nearest }.into());
    }
    if let Some(expr) = &expr
        && opts.api != "all"
        && let Some(e) = crate::tags::in_other_suites(expr, &opts.api, &every)
    {
        return Err(e.into());
    }
    if opts.api != "all"
        && let Some((area, apis)) = opts
            .areas
            .iter()
            .filter(|a| !every.iter().any(|e| e.api == opts.api && &e.area == *a))
            .map(|a| (a, crate::suites::area_elsewhere(a, &opts.api, &every)))
            .find(|(_, apis)| !apis.is_empty())
    {
        return Err(ListError::AreaElsewhere { area: area.clone(), api: opts.api.clone(), apis });
    }
    let scenarios = crate::suites::expand_ids(&opts.scenarios, &every);
    let listed: Vec<Entry> = every.into_iter().filter(|e| opts.api == "all" || e.api == opts.api).collect();
    let where_ = if opts.api == "all" { "any suite".to_owned() } else { format!("the {} suite", opts.api) };
    let refuse = |what: &'static str, wanted: &str, names: Vec<&str>| ListError::NotInSuite {
        what,
        wanted: wanted.to_owned(),
        where_: where_.clone(),
        nearest: nearest(wanted, names).map(str::to_owned),
    };
    let mut areas: Vec<&str> = listed.iter().map(|e| e.area.as_str()).collect();
    areas.sort_unstable();
    areas.dedup();
    if let Some(a) = opts.areas.iter().find(|a| !areas.contains(&a.as_str())) {
        return Err(refuse("--area", a, areas));
    }
    if let Some(id) = scenarios.iter().find(|id| !listed.iter().any(|e| &e.id == *id)) {
        return Err(refuse("--scenario", id, listed.iter().map(|e| e.id.as_str()).collect()));
    }
    Ok(listed
        .into_iter()
        .filter(|e| opts.areas.is_empty() || opts.areas.contains(&e.area))
        .filter(|e| scenarios.is_empty() || scenarios.contains(&e.id))
        .filter(|e| expr.as_ref().is_none_or(|t| crate::tags::selects(t, e)))
        .collect())
}

/// What `check` settles before it selects: `--tags` as `list` reads it (bare words refused
/// with the tags suggested; a tag only other suites carry refused, naming them), an `--area`
/// of another suite named as such, and a Scenario Outline's base id in `--scenario` and
/// `known_failures` taken as every row of the outline.
pub fn before_check(opts: &mut crate::check::CheckOptions) -> Result<(), String> {
    let entries = crate::suites::catalog(&opts.features).map_err(|e| e.to_string())?;
    if let Some(expr) = opts.tags.as_deref() {
        crate::tags::parse(expr).map_err(|e| e.to_string())?;
    }
    if opts.api != "all" {
        let list = crate::list::ListOptions {
            api: opts.api.clone(),
            areas: Vec::new(),
            scenarios: Vec::new(),
            tags: opts.tags.clone(),
        };
        crate::list::select(&opts.features, &list).map_err(|e| e.to_string())?;
        for area in opts.areas.iter().filter(|a| !entries.iter().any(|e| e.api == opts.api && &e.area == *a))
        {
            let apis = crate::suites::area_elsewhere(area, &opts.api, &entries);
            if let Some(first) = apis.first() {
                return Err(format!(
                    "--area {area:?} is not in the {} suite: it is an area of the {} suite (chatspec check --api {first} --area {area})",
                    opts.api,
                    apis.join(" and ")
                ));
            }
        }
    }
    opts.scenarios = crate::suites::expand_ids(&opts.scenarios, &entries);
    if let Some(target) = opts.target.as_mut() {
        target.expand_known_failures(&entries);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn features() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../features")
    }

    fn opts(api: &str) -> ListOptions {
        ListOptions { api: api.into(), ..ListOptions::default() }
    }

    #[test]
    fn the_filters_of_check_select_the_same_scenarios() {
        let all = select(&features(), &opts("all")).unwrap();
        let uid = select(&features(), &ListOptions { areas: vec!["uid".into()], ..opts("unichat") }).unwrap();
        assert!(!uid.is_empty() && uid.iter().all(|e| e.id.starts_with("unichat/uid/")));
        assert_eq!(uid.len(), all.iter().filter(|e| e.api == "unichat" && e.area == "uid").count());
        let id = "connectnow/tokens/an-auth-code-expires";
        let one = select(&features(), &ListOptions { scenarios: vec![id.into()], ..opts("all") }).unwrap();
        assert_eq!(one.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [id]);
        let alone =
            select(&features(), &ListOptions { tags: Some("@serial".into()), ..opts("connectnow") }).unwrap();
        let ids: Vec<&str> = alone.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["connectnow/errors/too-many-requests-are-answered-429", id]);
        let rule = "U-edit-window".to_owned();
        let by_rule =
            select(&features(), &ListOptions { tags: Some("@rule:U-edit-window".into()), ..opts("all") })
                .unwrap();
        assert!(!by_rule.is_empty());
        assert_eq!(by_rule.len(), all.iter().filter(|e| e.rules.contains(&rule)).count());
    }

    #[test]
    fn unknown_names_are_refused_with_the_nearest() {
        let err = |o: ListOptions| select(&features(), &o).unwrap_err().to_string();
        let e = err(ListOptions { tags: Some("@seral".into()), ..opts("all") });
        assert!(e.contains("@seral") && e.contains("the nearest is @serial"), "{e}");
        let e = err(ListOptions { areas: vec!["uidd".into()], ..opts("unichat") });
        assert!(e.contains("--area \"uidd\" is not in the unichat suite; the nearest is \"uid\""), "{e}");
        let e = err(ListOptions { scenarios: vec!["sama/x".into()], ..opts("unichat") });
        assert!(e.contains("--scenario \"sama/x\" is not in the unichat suite"), "{e}");
        assert!(err(opts("irc")).contains("known APIs"));
    }

    #[test]
    fn names_of_another_suite_are_refused_saying_whose_they_are() {
        let err = |o: ListOptions| select(&features(), &o).unwrap_err().to_string();
        let e = err(ListOptions { tags: Some("@uid".into()), ..opts("connectnow") });
        assert!(
            e.contains("no scenario of the connectnow suite carries") && e.contains("unichat suite"),
            "{e}"
        );
        let e = err(ListOptions { areas: vec!["tokens".into()], ..opts("unichat") });
        assert!(e.contains("it is an area of the connectnow suite"), "{e}");
        let e = err(ListOptions { tags: Some("uid".into()), ..opts("unichat") });
        assert!(e.contains("did you mean --tags \"@uid\"?"), "{e}");
    }

    #[test]
    fn an_outline_base_id_lists_every_row() {
        let base = "connectnow/auth/an-api-token-works-in-every-placement";
        let rows =
            select(&features(), &ListOptions { scenarios: vec![base.into()], ..opts("connectnow") }).unwrap();
        assert!(rows.len() > 1 && rows.iter().all(|e| e.id.starts_with(&format!("{base}#"))), "{rows:?}");
    }
}
