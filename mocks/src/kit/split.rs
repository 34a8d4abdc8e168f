//! `chatspec serve --admin-addr`: the admin routes `/_mock/*` on a listener of their own, as
//! a real server's test build would have them, so the public address answers them as any
//! unknown path (a 404 in the API's own envelope), naming the route and where it is served
//! ([`AdminApart`]).

use axum::Extension;
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

/// An admin route asked for on the public address while the admin routes are served apart:
/// the route as asked and the admin address that serves it. The API's fallback finds it in
/// the request's extensions, and its 404 names the route with [`AdminApart::named`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminApart {
    /// The path asked for (`/_mock/health`).
    pub path: String,
    /// The admin address, `http://127.0.0.1:PORT` (no trailing slash).
    pub admin: String,
}

impl AdminApart {
    /// The route as a 404 names it: `/_mock/health (an admin route, served at
    /// http://127.0.0.1:8081/_mock/health)`.
    pub fn named(&self) -> String {
        format!("{} (an admin route, served at {}{})", self.path, self.admin, self.path)
    }
}

/// The path an API's 404 names: the admin route with where it is served when the request is
/// one the public listener hid ([`AdminApart`]), else the path asked for.
pub fn path_named(uri: &Uri, apart: Option<&Extension<AdminApart>>) -> String {
    match apart {
        Some(Extension(apart)) => apart.named(),
        None => uri.path().to_owned(),
    }
}

/// On the public listener: an admin path reaches the mock's router as a path no route
/// takes (the same path with a trailing `/`, which no admin route has), so the API's own
/// fallback answers it; the route as asked and `admin` go with it ([`AdminApart`]), for the
/// fallback to name. (A layer cannot do this: axum runs layers after routing.)
fn hide_admin(router: Router, admin: String) -> Router {
    let inner = router.clone();
    let hidden = move |mut req: Request<Body>| {
        let inner = inner.clone();
        let apart = AdminApart { path: req.uri().path().to_owned(), admin: admin.clone() };
        async move {
            req.extensions_mut().insert(apart);
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
    let public = hide_admin(router.clone(), super::serve::base_url(&admin)?);
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
            .fallback(|uri: Uri, apart: Option<Extension<AdminApart>>| async move {
                (StatusCode::NOT_FOUND, format!("envelope: no {}", path_named(&uri, apart.as_ref())))
            });
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
        let (status, body) = get(format!("http://{p}/_mock/health?x=1")).await;
        assert_eq!(status, 404);
        // The route as asked (no trailing `/`) and where it is served.
        assert_eq!(
            body,
            format!("envelope: no /_mock/health (an admin route, served at http://{a}/_mock/health)")
        );
        let (status, body) = get(format!("http://{p}/api/y")).await;
        assert_eq!((status, body.as_str()), (404, "envelope: no /api/y"));
        assert_eq!(get(format!("http://{a}/_mock/health")).await, (200, "ok".into()));
        let (status, body) = get(format!("http://{a}/api/x")).await;
        assert_eq!(status, 404);
        assert!(body.contains("not an admin route"), "{body}");
        stop.cancel();
        task.await.unwrap().unwrap();
    }
}
