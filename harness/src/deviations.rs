//! Known deviations: documented ways a real server departs from its seed, each recorded in the
//! API's interpretation register. A target profile declares the ones its server has
//! (`[sama] deviations = ["ack_as_ask"]`); each maps to the scenarios it makes fail, which the
//! run then reports as expected failures with the register entry as the reason, so a report
//! shows what is really new. A declared deviation whose scenarios pass is an unexpected pass,
//! so the declaration stays honest like any known-failures list.

use serde::{Deserialize, Serialize};

use crate::target::KnownFailureEntry;

/// A deviation of the public open-source SAMA server from seed 003 (`specs/src/sama/NOTES.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deviation {
    /// The ack comes under the key `ask` (S40).
    AckAsAsk,
    /// `last_activity` reports "online" as the number `0` (S55).
    OnlineAsZero,
    /// `op_log_list` wraps its reply in `packet` (S58).
    OpLogInPacket,
    /// `get_file_urls` keys its URLs by the file's storage object id (S60).
    FileUrlsByObjectId,
}

impl Deviation {
    /// Every deviation, in the order the register lists them.
    pub const ALL: [Deviation; 4] = [
        Deviation::AckAsAsk,
        Deviation::OnlineAsZero,
        Deviation::OpLogInPacket,
        Deviation::FileUrlsByObjectId,
    ];

    /// The name a profile uses.
    pub fn name(self) -> &'static str {
        match self {
            Deviation::AckAsAsk => "ack_as_ask",
            Deviation::OnlineAsZero => "online_as_zero",
            Deviation::OpLogInPacket => "op_log_in_packet",
            Deviation::FileUrlsByObjectId => "file_urls_by_object_id",
        }
    }

    /// The deviation a profile names, if it is one.
    pub fn parse(name: &str) -> Option<Deviation> {
        Deviation::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The API whose register lists it.
    pub fn api(self) -> &'static str {
        "sama"
    }

    /// The register entry and what the server does.
    pub fn reason(self) -> &'static str {
        match self {
            Deviation::AckAsAsk => {
                "register S40: the server sends the ack under the key `ask`; seed 003 shows { ack: { mid, server_mid, t } }"
            }
            Deviation::OnlineAsZero => {
                "register S55: the server reports an online user's last activity as 0; seed 003 shows \"online\""
            }
            Deviation::OpLogInPacket => {
                "register S58: the server wraps the op_log_list reply in `packet`; seed 003 shows { response: { logs: [...], id } }"
            }
            Deviation::FileUrlsByObjectId => {
                "register S60: the server keys get_file_urls by the file's storage object id, not by the _id the client asked for"
            }
        }
    }

    /// The scenarios this deviation makes fail, by id.
    pub fn scenarios(self) -> &'static [&'static str] {
        match self {
            Deviation::AckAsAsk => &[
                "sama/messages/the-sender-gets-an-ack-with-the-time-the-message-was-stored",
                "sama/system/a-system-message-is-acknowledged-like-a-message",
            ],
            Deviation::OnlineAsZero => &[
                "sama/activity/last-activity-is-online-for-a-connected-user-and-seconds-for-others",
                "sama/activity/a-subscriber-hears-when-the-user-goes-offline-and-comes-back",
            ],
            Deviation::OpLogInPacket => &["sama/offline/op-log-list-keeps-what-an-offline-user-missed"],
            Deviation::FileUrlsByObjectId => &[
                "sama/files/get-file-urls-gives-a-url-for-every-file-asked-in-the-order-asked",
                "sama/files/an-uploaded-file-downloads-from-its-url",
            ],
        }
    }

    /// The known-failure entries this deviation stands for.
    pub fn known_failures(self) -> Vec<KnownFailureEntry> {
        self.scenarios()
            .iter()
            .map(|id| KnownFailureEntry {
                scenario: (*id).to_owned(),
                reason: format!("declared deviation {}: {}", self.name(), self.reason()),
                link: Some(format!("specs/src/{}/NOTES.md", self.api())),
            })
            .collect()
    }
}

/// The names of every deviation, for messages.
pub fn known_names() -> String {
    Deviation::ALL.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_every_deviation_names_its_scenarios() {
        for d in Deviation::ALL {
            assert_eq!(Deviation::parse(d.name()), Some(d));
            assert!(!d.scenarios().is_empty(), "{d:?}");
            assert!(d.reason().starts_with("register S"), "{d:?}");
            for k in d.known_failures() {
                assert!(k.scenario.starts_with("sama/"), "{}", k.scenario);
                assert!(k.reason.contains(d.name()));
            }
        }
        assert_eq!(Deviation::parse("ack"), None);
    }
}
