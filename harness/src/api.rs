//! The APIs chatspec checks, as one enum: every place that varies by API matches on it, so a
//! fifth API is a compile error wherever it needs handling.

use std::fmt;
use std::str::FromStr;

/// One of the documented APIs (seeds/README.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Api {
    /// Unichat: HTTP JSON calls and SSE notifications (seeds 000 and 001).
    Unichat,
    /// The SAMA WebSocket protocol with HTTP login (seed 003).
    Sama,
    /// The connectnow Chat API, REST (seed 002).
    ConnectNow,
    /// The OneChat broadcast and relay API and its browser libraries (seed 004).
    OneChat,
}

impl Api {
    /// Every API, in the order suites run.
    pub const ALL: [Api; 4] = [Api::Unichat, Api::Sama, Api::ConnectNow, Api::OneChat];

    /// The name used on the command line, in profiles, in feature folders and scenario ids.
    pub const fn name(self) -> &'static str {
        match self {
            Api::Unichat => "unichat",
            Api::Sama => "sama",
            Api::ConnectNow => "connectnow",
            Api::OneChat => "onechat",
        }
    }

    /// Every name, joined for messages: `unichat, sama, connectnow, onechat`.
    pub fn names() -> String {
        Api::ALL.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no API.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown API {name:?} (known: {known})", known = Api::names())]
pub struct UnknownApi {
    /// What was given.
    pub name: String,
}

impl FromStr for Api {
    type Err = UnknownApi;

    fn from_str(s: &str) -> Result<Api, UnknownApi> {
        Api::ALL.into_iter().find(|a| a.name() == s).ok_or_else(|| UnknownApi { name: s.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for api in Api::ALL {
            assert_eq!(api.name().parse::<Api>(), Ok(api));
        }
        let err = "slack".parse::<Api>().unwrap_err();
        assert!(err.to_string().contains("unichat, sama, connectnow, onechat"), "{err}");
    }
}
