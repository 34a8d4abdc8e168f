//! Every API's endpoint list: unique names, names that lead back to their endpoint, a request
//! and a reply schema in the registry for every endpoint, and areas that are feature files.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use chatspec_specs::registry::all_schemas;
use chatspec_specs::{Endpoints, Origin, Registry, connectnow, onechat, sama, unichat};

/// Checks one API's list; returns the names it holds.
fn check<E: Endpoints>() -> BTreeSet<&'static str> {
    let registry = Registry::global();
    let mut names = BTreeSet::new();
    let features = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../features");
    assert!(!E::ALL.is_empty(), "{} lists no endpoint", E::API);
    for &e in E::ALL {
        let name = e.name();
        assert!(names.insert(name), "{}: {name} is listed twice", E::API);
        assert_eq!(E::from_name(name), Some(e), "{}: {name} does not lead back to {e:?}", E::API);
        for schema in [e.request_schema_name(), e.reply_schema_name()] {
            assert!(registry.has(E::API, &schema), "{}: {e:?} has no schema {schema}", E::API);
        }
        assert!(!e.areas().is_empty(), "{}: {name} names no area", E::API);
        for area in e.areas() {
            let feature = features.join(E::API).join(format!("{area}.feature"));
            assert!(
                feature.is_file(),
                "{}: {name} names area {area:?}, but {} is no file",
                E::API,
                feature.display()
            );
        }
        let doc = e.doc();
        assert!(
            ["000", "001", "002", "003", "004"].contains(&doc.seed),
            "{}: {name} cites seed {}",
            E::API,
            doc.seed
        );
        assert!(!doc.quote.trim().is_empty(), "{}: {name} quotes nothing", E::API);
        if let Origin::Reading(entry) | Origin::Mock(entry) = doc.origin {
            assert!(!entry.is_empty(), "{}: {name} names no register entry", E::API);
        }
    }
    assert_eq!(E::from_name("no_such_endpoint"), None);
    names
}

#[test]
fn every_endpoint_is_listed_once_and_has_its_schemas() {
    check::<unichat::Method>();
    check::<connectnow::Route>();
    check::<sama::Request>();
    check::<onechat::Route>();
    check::<onechat::Library>();
}

#[test]
fn each_api_names_its_schemas_once() {
    for (api, schemas) in all_schemas() {
        let mut seen = BTreeSet::new();
        for (name, _) in schemas {
            assert!(seen.insert(name.clone()), "{api}/{name} is generated twice");
        }
    }
}

#[test]
fn the_old_tables_are_the_lists() {
    let domain_only: Vec<&str> = unichat::Method::ALL
        .iter()
        .filter(|m| m.meta().auth == unichat::Auth::Domain)
        .map(|m| m.name())
        .collect();
    assert_eq!(domain_only, ["register", "login"]);

    let create = connectnow::Route::from_name("create_company").unwrap().meta();
    assert_eq!((create.method, create.path, create.status), ("POST", "/api/companies", 201));
    let mock_own = connectnow::Route::ALL.iter().filter(|r| !r.doc().origin.documented());
    assert!(mock_own.map(|r| r.name()).eq(["request_auth_code"]));

    assert!(onechat::Route::ALL.iter().all(|r| r.meta().path == format!("/onechat/api/{}", r.call())));
    assert_eq!(onechat::Route::from_call("massBroadcast"), Some(onechat::Route::MassBroadcast));

    // SAMA's socket packets, the requests served before `connect`, and the seed's literal
    // batch request, all read from the one list.
    let named = |pred: fn(&sama::Meta) -> bool| -> Vec<&str> {
        sama::Request::ALL.iter().filter(|r| pred(&r.meta())).map(|r| r.name()).collect()
    };
    assert_eq!(
        named(|m| matches!(m.transport, sama::Transport::Packet)),
        ["message", "system_message", "typing"]
    );
    assert_eq!(named(|m| matches!(m.transport, sama::Transport::Http { .. })), ["login", "logout"]);
    let before_connect = named(|m| matches!(m.transport, sama::Transport::Request) && !m.session);
    assert_eq!(before_connect, ["user_create", "connect", "user_login"]);
    let contacts = sama::Request::from_name("contacts").map(|r| r.meta().transport);
    assert_eq!(contacts, Some(sama::Transport::Request), "the seed's literal batch request");
}
