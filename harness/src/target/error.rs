//! Why a target profile is refused: one variant per mistake, carrying the field and the value
//! given; the message names the field as the profile spells it.

use std::path::PathBuf;

use super::operations::ProvisioningError;
use super::profile::MOCK_READINGS_GONE;
use super::sama::SamaSectionError;
use super::shaping::ShapingError;

/// Why [`super::Target::load`] refused a profile file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read the target profile {}: {source}", path.display())]
    Read {
        /// The profile's path as given.
        path: PathBuf,
        /// What reading it failed with.
        source: std::io::Error,
    },
    /// The file was read but is not a valid profile.
    #[error("{}: {source}", path.display())]
    Profile {
        /// The profile's path as given.
        path: PathBuf,
        /// What is wrong with it.
        source: ProfileError,
    },
}

/// Why [`super::Target::parse`] refused a profile's text.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// Not TOML, or a field unknown, missing or of the wrong type.
    #[error("invalid target profile: {}", .0.to_string().trim_end())]
    Toml(#[from] toml::de::Error),
    /// `mock_readings` is given: grading replaced it.
    #[error("{}", MOCK_READINGS_GONE)]
    MockReadingsGone,
    /// `api` names no API chatspec checks.
    #[error("api = {api:?} is not an API chatspec checks; known: {}", crate::check::APIS.join(", "))]
    UnknownApi {
        /// The value given.
        api: String,
    },
    /// A URL field is not an http(s) URL with a host.
    #[error("{field} = {value:?} is not an http(s) URL")]
    NotHttpUrl {
        /// The field (`base_url`, `admin.url`, ...).
        field: &'static str,
        /// The value checked.
        value: String,
    },
    /// `timeout_factor` is not in (0, 100].
    #[error("timeout_factor = {value} must be above 0 and at most 100")]
    TimeoutFactor {
        /// The value given.
        value: f64,
    },
    /// `name` is empty or blank.
    #[error("name must not be empty")]
    EmptyName,
    /// A section of another API than the profile's (`[onechat]` in a connectnow profile).
    #[error("the [{section}] section is for api = \"{section}\"; this profile is for api = {api:?}")]
    ForeignSection {
        /// The section given.
        section: &'static str,
        /// The profile's `api`.
        api: String,
    },
    /// `[admin]` with `provisioning.mode = "command"` or `"http"`.
    #[error(
        "the [admin] section is for provisioning.mode = \"admin\"; in command and http modes the clock moves through the advance_clock operation"
    )]
    AdminOutsideAdminMode,
    /// `[smtp]` in a profile whose suite reads no e-mail.
    #[error(
        "[smtp] listen = {listen:?}: the {api} suite reads no e-mail (only connectnow's auth codes are e-mailed)"
    )]
    SmtpForApi {
        /// `smtp.listen` as given.
        listen: String,
        /// The profile's `api`.
        api: String,
    },
    /// `smtp.listen` is not an IP address and port.
    #[error("smtp.listen = {listen:?} is not an IP address and port (127.0.0.1:2525)")]
    SmtpListen {
        /// The value given.
        listen: String,
    },
    /// `provisioning.mode = "admin"` without an `[admin]` section.
    #[error("provisioning.mode = \"admin\" needs an [admin] section (url = the server's /_mock admin API)")]
    AdminModeWithoutAdmin,
    /// `provisioning.mode = "accounts"` with no account listed.
    #[error("provisioning.accounts is empty: list the pre-made accounts")]
    NoAccounts,
    /// connectnow or OneChat with a mode that cannot make their users (NOTES.md C12, O13, O14).
    #[error(
        "provisioning.mode must be \"admin\", \"command\" or \"http\" for api = {api:?}: its test users, groups and sessions are made through the /_mock admin API or the team's own commands or webhooks"
    )]
    ModeCannotProvision {
        /// The profile's `api`.
        api: String,
    },
    /// A path template lacks the placeholder it must have (`unichat.method_path`, `{method}`).
    #[error("{field} = {value:?} must contain {placeholder}")]
    MissingPlaceholder {
        /// The field.
        field: &'static str,
        /// The value given.
        value: String,
        /// The placeholder it must contain.
        placeholder: &'static str,
    },
    /// `connectnow.paths.<route>` names no route.
    #[error("connectnow.paths.{route} is not a route; known: {}", connectnow_routes())]
    UnknownRoute {
        /// The key given.
        route: String,
    },
    /// `connectnow.paths.<route>` does not start with `/`.
    #[error("connectnow.paths.{route} = {path:?} must start with /")]
    RoutePathNotAbsolute {
        /// The route.
        route: String,
        /// The path given.
        path: String,
    },
    /// `connectnow.paths.<route>` has other placeholders than the seed's path.
    #[error("connectnow.paths.{route} = {path:?} must have the placeholders of {seed_path:?}, in order")]
    RoutePlaceholders {
        /// The route.
        route: String,
        /// The path given.
        path: String,
        /// The seed's path of the route.
        seed_path: &'static str,
    },
    /// `connectnow.request_code_path` is not a path with `{chat-id}` once.
    #[error("connectnow.request_code_path = {path:?} must start with / and contain {{chat-id}} once")]
    RequestCodePath {
        /// The path given.
        path: String,
    },
    /// `connectnow.message_field` is blank.
    #[error("connectnow.message_field must not be empty")]
    EmptyMessageField,
    /// `connectnow.auth_code_ttl_seconds = 0`.
    #[error("connectnow.auth_code_ttl_seconds must be above 0")]
    ZeroAuthCodeTtl,
    /// `onechat.path_prefix` does not start with `/`, or ends with one.
    #[error("onechat.path_prefix = {prefix:?} must start with / and not end with / (or be empty)")]
    PathPrefix {
        /// The prefix given.
        prefix: String,
    },
    /// `onechat.call_names.<call>` names no call.
    #[error("onechat.call_names.{call} is not a call; known: {}", onechat_calls())]
    UnknownCall {
        /// The key given.
        call: String,
    },
    /// `onechat.call_names.<call>` is empty or holds a `/`.
    #[error("onechat.call_names.{call} = {name:?} must be a name without /")]
    CallName {
        /// The call.
        call: String,
        /// The name given.
        name: String,
    },
    /// `onechat.libraries.oc_url` lacks `{jid}`.
    #[error(
        "onechat.libraries.oc_url = {url:?} must contain {{jid}}: the library is loaded for the page's user"
    )]
    OcUrlWithoutJid {
        /// The URL given.
        url: String,
    },
    /// A `onechat.libraries` selector is blank, or lacks the `{jid}` it needs.
    #[error("onechat.libraries.{field} = {value:?} must be a CSS selector{}", if *needs_jid { " containing {jid}" } else { "" })]
    Selector {
        /// The selector's field.
        field: &'static str,
        /// The value given, or the default.
        value: String,
        /// Whether the selector must contain `{jid}`.
        needs_jid: bool,
    },
    /// The `[sama]` section is refused.
    #[error(transparent)]
    Sama(#[from] SamaSectionError),
    /// `extra_fields`, `omit_fields`, `field_names` or `header_names` is refused.
    #[error(transparent)]
    Shaping(#[from] ShapingError),
    /// The `command` or `http` provisioning is refused.
    #[error(transparent)]
    Provisioning(#[from] ProvisioningError),
}

fn connectnow_routes() -> String {
    let known: Vec<&str> = chatspec_specs::connectnow::Route::ALL.iter().map(|r| r.name()).collect();
    known.join(", ")
}

fn onechat_calls() -> String {
    let known: Vec<&str> = chatspec_specs::onechat::Route::ALL.iter().map(|r| r.call()).collect();
    known.join(", ")
}
