//! `chatspec serve --admin-addr`: the admin routes `/_mock/*` on a listener of their own, as
//! a real server's test build would have them, so the public address answers them as any
//! unknown path (a 404 in the API's own envelope).

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::json;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Where a mock listens: its API, and its admin routes apart or with it.
pub struct Listeners {
    /// The API (and, without [`Listeners::admin`], the admin routes too).
    pub public: TcpListener,
    /// The admin routes `/_mock/*`, when they are served apart.
    pub admin: Option<TcpListener>,
}

impl From<TcpListener> for Listeners {
    fn from(public: TcpListener) -> Listeners {
        Listeners { public, admin: None }
    }
}

/// Whether `path` is one of the admin routes.
pub fn is_admin(path: &str) -> bool {
    path == "/_mock" || path.starts_with("/_mock/")
}

/// On the public listener: an admin path reaches the mock's router as a path no route
/// takes (the same path with a trailing `/`, which no admin route has), so the API's own
/// fallback answers it. (A layer cannot do this: axum runs layers after routing.)
fn hide_admin(router: Router) -> Router {
    let inner = router.clone();
    let hidden = move |mut req: Request<Body>| {
        let inner = inner.clone();
        async move {
            let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
            match format!("{}/{query}", req.uri().path()).parse::<Uri>() {
                Ok(uri) => *req.uri_mut() = uri,
                Err(_) => return StatusCode::NOT_FOUND.into_response(),
            }
            match tower::ServiceExt::oneshot(inner, req).await {
                Ok(resp) => resp,
                Err(never) => match never {},
            }
        }
    };
    Router::new()
        .route("/_mock", any(hidden.clone()))
        .route("/_mock/", any(hidden.clone()))
        .route("/_mock/{*rest}", any(hidden))
        .fallback_service(router)
}

/// On the admin listener: only the admin routes.
async fn only_admin(req: Request<Body>, next: Next) -> Response {
    if is_admin(req.uri().path()) {
        return next.run(req).await;
    }
    let why = format!("{} is not an admin route; the API is served on its public address", req.uri().path());
    (StatusCode::NOT_FOUND, axum::Json(json!({"status": "error", "error": why}))).into_response()
}

/// Serves `router` on `listeners` until `shutdown` is cancelled: on one listener as
/// [`super::serve::run`] does, or split between the public and the admin one.
pub async fn run(router: Router, listeners: Listeners, shutdown: CancellationToken) -> std::io::Result<()> {
    let Some(admin) = listeners.admin else {
        return super::serve::run(router, listeners.public, shutdown).await;
    };
    let public = hide_admin(router.clone());
    let admin_only = router.layer(axum::middleware::from_fn(only_admin));
    let (a, b) = tokio::join!(
        super::serve::run(public, listeners.public, shutdown.clone()),
        super::serve::run(admin_only, admin, shutdown)
    );
    a.and(b)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::routing::get;

    #[tokio::test]
    async fn admin_routes_answer_only_on_the_admin_listener() {
        let router = Router::new()
            .route("/api/x", get(|| async { "api" }))
            .route("/_mock/health", get(|| async { "ok" }))
            .fallback(
                |uri: Uri| async move { (StatusCode::NOT_FOUND, format!("envelope: no {}", uri.path())) },
            );
        let public = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let admin = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (p, a) = (public.local_addr().unwrap(), admin.local_addr().unwrap());
        let stop = CancellationToken::new();
        let task = tokio::spawn(run(router, Listeners { public, admin: Some(admin) }, stop.clone()));
        let get = |url: String| async move {
            let r = crate::tls::http_client().build().unwrap().get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        };
        assert_eq!(get(format!("http://{p}/api/x")).await, (200, "api".into()));
        let (status, body) = get(format!("http://{p}/_mock/health")).await;
        assert_eq!(status, 404);
        assert!(body.starts_with("envelope: no "), "{body}");
        assert_eq!(get(format!("http://{a}/_mock/health")).await, (200, "ok".into()));
        let (status, body) = get(format!("http://{a}/api/x")).await;
        assert_eq!(status, 404);
        assert!(body.contains("not an admin route"), "{body}");
        stop.cancel();
        task.await.unwrap().unwrap();
    }
}
