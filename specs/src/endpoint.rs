//! What an endpoint is, once for every API: one documented method, route, request or packet,
//! declared in the file of its area with its name, request type, reply type, metadata and the
//! seed sentence it comes from.
//!
//! Each API lists its endpoints once with `endpoints!`, which makes an
//! enum (`unichat::Method`, `connectnow::Route`, `sama::Request`, `onechat::Route`) and
//! implements [`Endpoints`] for it. Every table is derived from that enum: the schema list and
//! the committed schema files, the old name tables, and (in the other crates) the mock's
//! dispatch and the harness driver's lookups, so a new endpoint that one of them forgets is a
//! compile error or a failing test, never a silently skipped check.

use std::fmt::Debug;

use schemars::{JsonSchema, Schema};
use serde::{Serialize, de::DeserializeOwned};

/// One documented method, route, request or packet of an API.
pub trait Endpoint {
    /// The API's own name for it: `post_message` (Unichat), `create_company` (connectnow),
    /// `user_create` (SAMA), `single_message` (OneChat). Also the schema stem: the registry
    /// holds `request.<NAME>` and `response.<NAME>`.
    const NAME: &'static str;
    /// What a client sends: the arguments, body or parameters (the deserialize view; an empty
    /// struct when there is nothing to send).
    type Request: JsonSchema + Serialize + DeserializeOwned;
    /// What a server answers on success (the serialize view).
    type Reply: JsonSchema + Serialize;
    /// The API's metadata type: where and how the endpoint is reached.
    type Meta: Copy + Debug + 'static;
    /// Where and how it is reached: an HTTP method and path template, the token it needs, the
    /// success status, as the API has them (see each API's `Meta`).
    const META: Self::Meta;
    /// The seed sentence it comes from, and whether the seed names it.
    const DOC: Doc;
}

/// The documentation an endpoint implements: a seed file and a sentence quoted from it
/// verbatim, typos included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Doc {
    /// The seed file's number: `000` to `004` (`seeds/README.md`).
    pub seed: &'static str,
    /// A sentence of that seed, verbatim: the endpoint's signature, path or description.
    pub quote: &'static str,
    /// Whether the seed names the endpoint, or a reading or the mock does.
    pub origin: Origin,
    /// The id of the rule the quote is (`S-last-activity-unsubscribe`), when the declaration
    /// states it: the rule then needs no entry in `rules/<area>.toml`; its area is the first
    /// the `endpoints!` list names, and its scenarios are those tagged `@rule:<id>`
    /// (`crate::rules`).
    pub rule: Option<&'static str>,
}

impl Doc {
    /// An endpoint the seed documents under its name.
    pub const fn seed(seed: &'static str, quote: &'static str) -> Doc {
        Doc { seed, quote, origin: Origin::Seed, rule: None }
    }

    /// An endpoint the seed describes without a usable name or signature; `entry` is the
    /// register entry (`U24`) that names it.
    pub const fn reading(seed: &'static str, quote: &'static str, entry: &'static str) -> Doc {
        Doc { seed, quote, origin: Origin::Reading(entry), rule: None }
    }

    /// The reference mock's own endpoint, filling the gap `quote` leaves; `entry` is the
    /// register entry (`U4`) that records it.
    pub const fn mock(seed: &'static str, quote: &'static str, entry: &'static str) -> Doc {
        Doc { seed, quote, origin: Origin::Mock(entry), rule: None }
    }

    /// The same, with its quote declared as the rule `id` of the API's rule index
    /// (`U-`, `C-`, `S-` or `O-` and a lowercase slug), checked by the scenarios tagged
    /// `@rule:<id>`; an id the `rules/*.toml` files also use is refused by the index's tests.
    pub const fn rule(self, id: &'static str) -> Doc {
        Doc { rule: Some(id), ..self }
    }
}

/// Where an endpoint's name comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The seed names it.
    Seed,
    /// The seed describes it but its name or signature was lost, or a public fact names it;
    /// the register entry (`NOTES.md`, e.g. `U24`) gives the reading taken.
    Reading(&'static str),
    /// Not in the documents: the reference mock's own, recorded in the register entry (e.g.
    /// `C12`).
    Mock(&'static str),
}

impl Origin {
    /// Whether the documents have the endpoint (the seed, or a reading of it).
    pub const fn documented(self) -> bool {
        !matches!(self, Origin::Mock(_))
    }
}

/// A server's handler of endpoint `E`: what the reference mock does when a client calls it.
///
/// `Cx` is what the API's dispatch hands every handler (the caller, the clock, the raw
/// arguments) and `Out` what every handler answers; both are the mock's own types, the same for
/// all the endpoints of one API. The list's `dispatch` (made by `endpoints!`) calls the handler
/// of the endpoint at hand: it needs one impl per listed endpoint, so an endpoint added to the
/// list does not compile until the mock handles it, and the error names the endpoint.
#[diagnostic::on_unimplemented(
    message = "the mock has no handler for the endpoint `{E}`",
    label = "`{E}` is listed in `endpoints!` but `{Self}` does not implement `Handle<{E}, ..>`",
    note = "implement `Handle<{E}, {Cx}, {Out}>` for `{Self}` in the mock's area file, next to the rule"
)]
pub trait Handle<E: Endpoint, Cx, Out> {
    /// Serves one call of `E`.
    fn handle(&mut self, cx: Cx) -> Out;
}

/// Every endpoint of one API: the enum `endpoints!` makes.
pub trait Endpoints: Copy + Eq + Debug + 'static {
    /// The API's name in file names, tags and the command line (`unichat`).
    const API: &'static str;
    /// Every endpoint, in the order of the list.
    const ALL: &'static [Self];
    /// The API's own name for the endpoint ([`Endpoint::NAME`]).
    fn name(self) -> &'static str;
    /// The endpoint of that name, if there is one.
    fn from_name(name: &str) -> Option<Self>;
    /// The seed sentence it comes from ([`Endpoint::DOC`]).
    fn doc(self) -> Doc;
    /// The feature areas whose scenarios and rules concern it, as the `endpoints!` list names
    /// them.
    fn areas(self) -> &'static [&'static str];
    /// The schema of what a client sends ([`Endpoint::Request`], the deserialize view).
    fn request_schema(self) -> Schema;
    /// The schema of what a server answers ([`Endpoint::Reply`], the serialize view).
    fn reply_schema(self) -> Schema;

    /// The registry name of the request schema: `request.<name>`.
    fn request_schema_name(self) -> String {
        format!("request.{}", self.name())
    }

    /// The registry name of the reply schema: `response.<name>`.
    fn reply_schema_name(self) -> String {
        format!("response.{}", self.name())
    }

    /// The request and reply schemas of every endpoint, by registry name.
    fn schemas() -> Vec<(String, Schema)> {
        Self::ALL
            .iter()
            .flat_map(|e| {
                [(e.request_schema_name(), e.request_schema()), (e.reply_schema_name(), e.reply_schema())]
            })
            .collect()
    }
}

/// Declares the list of an API's endpoints: an enum with one variant per endpoint type (each
/// implementing [`Endpoint`]) and the feature areas it belongs to, its `const fn`s `name`,
/// `areas`, `meta` and `doc`, `ALL`, `from_name`,
/// the schemas, `dispatch` (to the server's [`Handle`] impl of each endpoint), `Display`, and
/// the [`Endpoints`] implementation.
///
/// ```ignore
/// endpoints! {
///     /// Every Unichat method (seeds 000 and 001).
///     pub enum Method: Meta for "unichat" {
///         Register => accounts::Register ["accounts"],
///         PostMessage => messages::PostMessage ["messages", "uid", "serial"],
///     }
/// }
/// ```
macro_rules! endpoints {
    (
        $(#[$attr:meta])*
        $vis:vis enum $list:ident: $meta:ident for $api:literal {
            $( $variant:ident => $endpoint:ty [ $($area:literal),+ ] ),+ $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $list {
            $(
                #[doc = concat!("The endpoint [`", stringify!($endpoint), "`].")]
                $variant,
            )+
        }

        impl $list {
            /// Every endpoint, in the order of the list.
            pub const ALL: &'static [$list] = &[$($list::$variant),+];

            /// The API's own name for the endpoint, also its schema stem.
            pub const fn name(self) -> &'static str {
                match self {
                    $($list::$variant => <$endpoint as $crate::endpoint::Endpoint>::NAME,)+
                }
            }

            /// The endpoint of that name, if there is one.
            pub fn from_name(name: &str) -> Option<$list> {
                $list::ALL.iter().copied().find(|e| e.name() == name)
            }

            /// The feature areas (`features/<api>/<area>.feature`) whose scenarios and rules
            /// concern the endpoint, as the list names them.
            pub const fn areas(self) -> &'static [&'static str] {
                match self {
                    $($list::$variant => &[$($area),+],)+
                }
            }

            /// Where and how the endpoint is reached.
            pub const fn meta(self) -> $meta {
                match self {
                    $($list::$variant => <$endpoint as $crate::endpoint::Endpoint>::META,)+
                }
            }

            /// The seed sentence the endpoint comes from.
            pub const fn doc(self) -> $crate::endpoint::Doc {
                match self {
                    $($list::$variant => <$endpoint as $crate::endpoint::Endpoint>::DOC,)+
                }
            }

            /// The schema of what a client sends.
            pub fn request_schema(self) -> ::schemars::Schema {
                match self {
                    $($list::$variant => $crate::request_schema::<
                        <$endpoint as $crate::endpoint::Endpoint>::Request,
                    >(),)+
                }
            }

            /// The schema of what a server answers on success.
            pub fn reply_schema(self) -> ::schemars::Schema {
                match self {
                    $($list::$variant => $crate::response_schema::<
                        <$endpoint as $crate::endpoint::Endpoint>::Reply,
                    >(),)+
                }
            }

            /// Serves one call of this endpoint on `server`: its
            /// [`Handle`](crate::endpoint::Handle) impl for the endpoint's type, with `cx`.
            /// `server` needs a handler for every endpoint of the list; the call is a plain
            /// `match`, with nothing boxed.
            pub fn dispatch<H, Cx, Out>(self, server: &mut H, cx: Cx) -> Out
            where
                H: ?Sized $(+ $crate::endpoint::Handle<$endpoint, Cx, Out>)+,
            {
                match self {
                    $($list::$variant => {
                        <H as $crate::endpoint::Handle<$endpoint, Cx, Out>>::handle(server, cx)
                    })+
                }
            }
        }

        impl $crate::endpoint::Endpoints for $list {
            const API: &'static str = $api;
            const ALL: &'static [$list] = $list::ALL;

            fn name(self) -> &'static str {
                $list::name(self)
            }

            fn from_name(name: &str) -> Option<$list> {
                $list::from_name(name)
            }

            fn doc(self) -> $crate::endpoint::Doc {
                $list::doc(self)
            }

            fn areas(self) -> &'static [&'static str] {
                $list::areas(self)
            }

            fn request_schema(self) -> ::schemars::Schema {
                $list::request_schema(self)
            }

            fn reply_schema(self) -> ::schemars::Schema {
                $list::reply_schema(self)
            }
        }

        impl ::std::fmt::Display for $list {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

pub(crate) use endpoints;
