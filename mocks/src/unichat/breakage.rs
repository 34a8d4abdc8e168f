//! Deliberate rule breakages, for proving that the conformance suite catches broken servers.
//!
//! Each breakage violates one documented rule. They take effect only in builds with the
//! `breakage` feature (the harness's self-tests); a normal build ignores them.

use serde::{Deserialize, Serialize};

/// One rule to break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakage {
    /// Invitees of a new room become readers ("all invited users will get write permissions").
    InviteesAsReaders,
    /// The poster gets no notification of its own message ("the postin user will also
    /// receive it").
    NoNotificationToPoster,
    /// Notifications arrive two seconds late.
    LateNotifications,
    /// Message notifications also go to users outside the group.
    LeakToOutsiders,
    /// A retried uid makes a new message ("no duplication will happen").
    DuplicateOnRetry,
    /// An edit keeps the old serial ("its serial field gets some new value, which is
    /// guaranteed to be bigger").
    SerialNotRaisedOnEdit,
    /// Edits are accepted after the edit window.
    EditWindowIgnored,
    /// The deleted record keeps its text ("it has no text ... fields").
    DeletedKeepsText,
    /// A mention sends a subscription change notification ("will not trigger subscription
    /// change notification").
    MentionNotifiesSubscription,
    /// Leaving posts no `leave` system message.
    NoLeaveMessage,
    /// Nobody takes over when the owner leaves.
    NoOwnerHandoff,
    /// Anyone may load any group's messages.
    ReadAnyGroup,
    /// A complete upload is accepted whatever its CRC32.
    ChecksumIgnored,
    /// Every stream sends `event_source_ready` twice ("This event is send once per
    /// established connection").
    ReadyTwice,
    /// Method replies are labelled `text/plain` ("Use Content-Type: application/json").
    TextPlainReplies,
    /// The leave message is posted from another participant ("from leaving user").
    LeaveMessageFromOther,
    /// A uid is looked up across all users: Bob reusing Alice's uid gets Alice's message
    /// ("uid must be unique for a user").
    UidAcrossUsers,
    /// Others see a subscription's draft and tags in the notifications they get ("Tags are
    /// not visible to others").
    LeakPrivateFields,
    /// Setting the draft to `""` leaves it as it was ("Set to empty string to clear it").
    DraftNotCleared,
    /// A post without `text` is accepted as an empty message ("text: message text, required
    /// as for now").
    TextOptional,
    /// `attachment_filename` is ignored ("you can change the name of the transmitted file").
    FilenameIgnored,
    /// `task_ids: ""` leaves the tasks attached ("Empty string for detach a task").
    TaskIdsEmptyKeeps,
    /// `mute_until: null` clears the mute ("Setting to null will not change its value").
    MuteNullClears,
    /// When the owner leaves, the youngest admin takes over ("the oldest administrator").
    HandoffToYoungestAdmin,
    /// The creator of a room gets no new subscription notification ("each involved user,
    /// including creator, will receive new subscription notificaton"): what the suite's
    /// fences rest on.
    NoCreatorSubNotification,
    /// A forward of a message that does not exist is accepted ("forwarded_to_message_id: if
    /// present, must point to the original message").
    ForwardUnchecked,
    /// Records carry `forwarded_message_id` and `in_reply_to_message_id` as null when unset
    /// ("optional: only if not null").
    NullLinks,
    /// `byte_size` counts the Base64 text rather than the file ("size in bytes").
    ByteSizeOfBase64,
    /// Message notifications carry no mentions ("the new message notification, which will
    /// contain mentions").
    MentionsNotNotified,
    /// A uid shaped as a GUID is refused ("Can use GUID").
    GuidUidRefused,
    /// Non-ASCII characters are dropped from room names ("name: required room name. Any
    /// string.").
    RoomNameAsciiOnly,
    /// Anyone may invite through another participant's subscription ("subscription_id is a
    /// subscription of the current user").
    InviteThroughAnySubscription,
    /// The invite message is posted without a new message notification ("Of course posting
    /// message causes also new message notification").
    InviteMessageUnnotified,
    /// Muted subscriptions get no message notifications ("This setting can only be
    /// interpretated by the client software").
    MuteSilences,
    /// `text: null` on edit clears the text ("Pass null to leave text unchanfed.").
    NullTextClears,
    /// An edit takes any string as attachment ("must be a valid and full data-url string").
    EditAttachmentUnchecked,
    /// An edit without an attachment removes it ("Pass null leave attachment unchanged.").
    EditDropsAttachment,
    /// An edit sets `in_reply_to_message_id` when given ("it can not be set to anything but
    /// dropped while editing").
    EditSetsReply,
    /// `task_ids` on edit are ignored ("if present, attach the tasks to the message").
    EditTaskIdsIgnored,
    /// An async chunk without `chunk_id` is accepted ("If async = true then the chunk_id field
    /// is required.").
    AsyncChunkIdOptional,
    /// `file_name` is ignored ("file name to be assigned after it is fully uploaded").
    UploadFileNameIgnored,
    /// `content_type` is ignored ("if present, sets the content type attribute of the file").
    UploadContentTypeIgnored,
    /// Only the first upload of an array is attached ("or as an array, if several attachments
    /// are loadedy").
    OnlyFirstUpload,
    /// `upload_id: ""` attaches every complete upload of the poster ("If the string is empty,
    /// all attachments will be destroyed.").
    EmptyUploadIdAttachesAll,
    /// `upload_id` as a bare number is refused ("Available: nil, empty string, array,
    /// number.").
    NumberUploadIdRefused,
    /// Loading without `limit` returns every message ("limit:100,offset:0").
    NoDefaultLimit,
    /// Every notification's object carries its `id` as text: a notification that breaks its
    /// schema (`{"event": "new", "object_name": "subscription", "object": {<subscription
    /// record>}}`, whose records have numeric ids).
    NotificationIdAsText,
}

impl Breakage {
    /// Every breakage.
    pub const ALL: [Breakage; 47] = [
        Breakage::InviteesAsReaders,
        Breakage::NoNotificationToPoster,
        Breakage::LateNotifications,
        Breakage::LeakToOutsiders,
        Breakage::DuplicateOnRetry,
        Breakage::SerialNotRaisedOnEdit,
        Breakage::EditWindowIgnored,
        Breakage::DeletedKeepsText,
        Breakage::MentionNotifiesSubscription,
        Breakage::NoLeaveMessage,
        Breakage::NoOwnerHandoff,
        Breakage::ReadAnyGroup,
        Breakage::ChecksumIgnored,
        Breakage::ReadyTwice,
        Breakage::TextPlainReplies,
        Breakage::LeaveMessageFromOther,
        Breakage::UidAcrossUsers,
        Breakage::LeakPrivateFields,
        Breakage::DraftNotCleared,
        Breakage::TextOptional,
        Breakage::FilenameIgnored,
        Breakage::TaskIdsEmptyKeeps,
        Breakage::MuteNullClears,
        Breakage::HandoffToYoungestAdmin,
        Breakage::NoCreatorSubNotification,
        Breakage::ForwardUnchecked,
        Breakage::NullLinks,
        Breakage::ByteSizeOfBase64,
        Breakage::MentionsNotNotified,
        Breakage::GuidUidRefused,
        Breakage::RoomNameAsciiOnly,
        Breakage::InviteThroughAnySubscription,
        Breakage::InviteMessageUnnotified,
        Breakage::MuteSilences,
        Breakage::NullTextClears,
        Breakage::EditAttachmentUnchecked,
        Breakage::EditDropsAttachment,
        Breakage::EditSetsReply,
        Breakage::EditTaskIdsIgnored,
        Breakage::AsyncChunkIdOptional,
        Breakage::UploadFileNameIgnored,
        Breakage::UploadContentTypeIgnored,
        Breakage::OnlyFirstUpload,
        Breakage::EmptyUploadIdAttachesAll,
        Breakage::NumberUploadIdRefused,
        Breakage::NoDefaultLimit,
        Breakage::NotificationIdAsText,
    ];

    /// The id of the rule it breaks, in the rule index (`specs/src/unichat/rules/`).
    pub fn rule(self) -> &'static str {
        match self {
            Breakage::InviteesAsReaders => "U-room-creator-admin-invitees-writers",
            Breakage::NoNotificationToPoster => "U-post-notifies-members",
            Breakage::LateNotifications => "U-post-notifies-members",
            Breakage::LeakToOutsiders => "U-post-notifies-members",
            Breakage::DuplicateOnRetry => "U-uid-idempotent",
            Breakage::SerialNotRaisedOnEdit => "U-serial-grows",
            Breakage::EditWindowIgnored => "U-edit-window",
            Breakage::DeletedKeepsText => "U-delete-short-record",
            Breakage::MentionNotifiesSubscription => "U-mentions-no-sub-notification",
            Breakage::NoLeaveMessage => "U-leave-message",
            Breakage::NoOwnerHandoff => "U-owner-always",
            Breakage::ReadAnyGroup => "U-load-read-access",
            Breakage::ChecksumIgnored => "U-chunks-checksum",
            Breakage::ReadyTwice => "U-sse-ready-once",
            Breakage::TextPlainReplies => "U-endpoint-content-type",
            Breakage::LeaveMessageFromOther => "U-leave-message-from",
            Breakage::UidAcrossUsers => "U-uid-unique-per-user",
            Breakage::LeakPrivateFields => "U-sub-tags-private",
            Breakage::DraftNotCleared => "U-sub-draft-clear",
            Breakage::TextOptional => "U-post-text-required",
            Breakage::FilenameIgnored => "U-post-attachment-filename",
            Breakage::TaskIdsEmptyKeeps => "U-edit-task-ids-empty",
            Breakage::MuteNullClears => "U-sub-mute-null",
            Breakage::HandoffToYoungestAdmin => "U-owner-handoff-admin",
            Breakage::NoCreatorSubNotification => "U-room-new-sub-notification",
            Breakage::ForwardUnchecked => "U-post-forward-must-exist",
            Breakage::NullLinks => "U-message-links-only-if-set",
            Breakage::ByteSizeOfBase64 => "U-attachment-byte-size",
            Breakage::MentionsNotNotified => "U-mentions-in-notification",
            Breakage::GuidUidRefused => "U-uid-guid",
            Breakage::RoomNameAsciiOnly => "U-room-name-any-string",
            Breakage::InviteThroughAnySubscription => "U-invite-own-subscription",
            Breakage::InviteMessageUnnotified => "U-invite-message-notification",
            Breakage::MuteSilences => "U-sub-mute-client-only",
            Breakage::NullTextClears => "U-edit-text-null",
            Breakage::EditAttachmentUnchecked => "U-edit-attachment-data-url",
            Breakage::EditDropsAttachment => "U-edit-attachment-null",
            Breakage::EditSetsReply => "U-edit-reply-not-settable",
            Breakage::EditTaskIdsIgnored => "U-edit-task-ids",
            Breakage::AsyncChunkIdOptional => "U-chunks-async-chunk-id-required",
            Breakage::UploadFileNameIgnored => "U-chunks-file-name",
            Breakage::UploadContentTypeIgnored => "U-chunks-content-type",
            Breakage::OnlyFirstUpload => "U-chunks-upload-id-array",
            Breakage::EmptyUploadIdAttachesAll => "U-post-upload-id-empty",
            Breakage::NumberUploadIdRefused => "U-post-upload-id-forms",
            Breakage::NoDefaultLimit => "U-load-defaults",
            Breakage::NotificationIdAsText => "U-notification-shape",
        }
    }
}

impl super::store::Config {
    /// Whether `b` is in force: only in builds with the `breakage` feature.
    pub fn broken(&self, b: Breakage) -> bool {
        cfg!(feature = "breakage") && self.breakage.contains(&b)
    }
}
