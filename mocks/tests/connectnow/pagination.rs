//! Pages of every list (public fact: `current_page`, `data`, `first_page_url`, `from`,
//! `next_page_url`, `path`, `per_page` (default 15, at most 249), `prev_page_url`, `to`; NOTES.md
//! C7).

use super::*;

#[tokio::test]
async fn lists_are_paginated_fifteen_at_a_time_up_to_249() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    for n in 1..=20 {
        m.api(Method::POST, "/api/companies", &ann, Some(json!({"name": format!("Co {n}")}))).await;
    }
    let first = m.api(Method::GET, "/api/companies", &ann, None).await;
    let first = m.ok(Route::ListCompanies, &first);
    let path = format!("{}/api/companies", m.base);
    assert_eq!(first["data"].as_array().unwrap().len(), 15);
    assert_eq!(first["data"][0]["name"], "Co 1");
    assert_eq!(first["current_page"], 1);
    assert_eq!(first["per_page"], 15);
    assert_eq!((first["from"].clone(), first["to"].clone()), (json!(1), json!(15)));
    assert_eq!(first["path"], path);
    assert_eq!(first["first_page_url"], format!("{path}?page=1"));
    assert_eq!(first["prev_page_url"], Value::Null);
    let next = first["next_page_url"].as_str().unwrap();
    assert_eq!(next, format!("{path}?page=2"));
    assert!(!next.contains(&ann), "a page link must not carry the token");
    // The next link works as given, with the token added.
    let second = m.http.get(next).bearer_auth(&ann).send().await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(second["data"].as_array().unwrap().len(), 5);
    assert_eq!((second["from"].clone(), second["to"].clone()), (json!(16), json!(20)));
    assert_eq!(second["next_page_url"], Value::Null);
    assert_eq!(second["prev_page_url"], format!("{path}?page=1"));

    let sized = m.api(Method::GET, "/api/companies?per_page=7&page=3", &ann, None).await;
    let sized = m.ok(Route::ListCompanies, &sized);
    assert_eq!(sized["data"].as_array().unwrap().len(), 6);
    assert_eq!(sized["from"], 15);
    assert_eq!(sized["prev_page_url"], format!("{path}?page=2&per_page=7"));
    let all = m.api(Method::GET, "/api/companies?per_page=249", &ann, None).await;
    assert_eq!(m.ok(Route::ListCompanies, &all)["data"].as_array().unwrap().len(), 20);
    let past = m.api(Method::GET, "/api/companies?page=5", &ann, None).await;
    let past = m.ok(Route::ListCompanies, &past);
    assert_eq!(past["data"], json!([]));
    assert_eq!((past["from"].clone(), past["to"].clone()), (Value::Null, Value::Null));
    for bad in ["per_page=250", "per_page=0", "page=0", "page=two"] {
        let r = m.api(Method::GET, &format!("/api/companies?{bad}"), &ann, None).await;
        error(&r, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
