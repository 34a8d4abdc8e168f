//! Companies (seed 002, "Companies"): concurrent creates lose nothing.

use super::*;

#[tokio::test]
async fn concurrent_creates_lose_nothing_and_ids_stay_sequential() {
    let m = Arc::new(start().await);
    let (ann, _) = m.account("Ann").await;
    let mut tasks = Vec::new();
    for n in 0..32 {
        let (m, ann) = (m.clone(), ann.clone());
        tasks.push(tokio::spawn(async move {
            let r =
                m.api(Method::POST, "/api/companies", &ann, Some(json!({"name": format!("Co {n}")}))).await;
            assert_eq!(r.status, StatusCode::CREATED);
            r.body["id"].as_u64().unwrap()
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.sort_unstable();
    assert_eq!(ids, (1..=32).collect::<Vec<u64>>());
    let all = m.api(Method::GET, "/api/companies?per_page=249", &ann, None).await;
    assert_eq!(all.body["data"].as_array().unwrap().len(), 32);
}
