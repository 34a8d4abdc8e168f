//! The envelopes of the Unichat HTTP endpoint and the values every method shares (seed 000,
//! "HTTP REST Unichat Endpoint": "call arguments must be passed as args parameter, encoded with
//! JSON", "On success, it returns status: 'OK' and whatever data API method returned").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The arguments of a method that takes none: `{"args": {}}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct NoArgs {}

/// `{}`: "There is no returned data on successful call."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct EmptyReply {}

/// A time on the wire. The seeds show two forms, `2018-10-15T18:33:56Z` (message record) and
/// `2019-01-01 01:02:03` (voice recognition); both are accepted, the mock sends the first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Timestamp(#[schemars(pattern(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}"))] pub String);

/// An id that the seeds show as a string in one place and a number in another
/// (`"reference": {type: "user", id: "1"}` vs `reference_id: user_id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum FlexId {
    /// The id as a number: `1`.
    Number(u64),
    /// The id as a string: `"1"`.
    Text(String),
}

/// The error envelope (seed 000): "On error, the 400 result code will be returned and the
/// data will contain following structure: {status: "error", error_code: error_code,
/// error_text: error_text}".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorEnvelope {
    /// Always `"error"`.
    #[schemars(pattern(r"^error$"))]
    pub status: String,
    /// "a constant per-error string value that always same and should be used by caller to
    /// react to the error".
    #[schemars(length(min = 1))]
    pub error_code: String,
    /// "a varying description that is intended only to be read by human".
    pub error_text: String,
}

/// The stable error codes of the reference mock. Only `invalid_email` and
/// `registration_error` are public facts; the others are the mock's (see NOTES.md), and a
/// target profile maps them to a real server's codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    /// The body is not JSON, or not an object with an `args` object.
    InvalidRequest,
    /// No such method.
    UnknownMethod,
    /// A required argument is missing, or an argument has the wrong type or value.
    InvalidArgs,
    /// `APP_DOMAIN_TOKEN` is missing or unknown.
    InvalidDomainToken,
    /// The method needs a user and `USER_AUTH_TOKEN` is absent.
    AuthRequired,
    /// `USER_AUTH_TOKEN` is empty or matches no user.
    InvalidAuthToken,
    /// The user may not do this in this group.
    AccessDenied,
    /// No such object, or it is not visible to the user.
    NotFound,
    /// `uid` is longer than 64 characters.
    InvalidUid,
    /// The message is not the user's own.
    NotOwnMessage,
    /// The edit window of the message has passed.
    EditWindowExpired,
    /// The message was deleted and cannot be edited.
    MessageDeleted,
    /// An attachment is not a valid, full data URL.
    InvalidAttachment,
    /// A chunk has the wrong size for its mode.
    InvalidChunk,
    /// The assembled file's size does not match `file_size`.
    SizeMismatch,
    /// The assembled file's CRC32 does not match `file_checksum`.
    ChecksumMismatch,
    /// An `upload_id` names an upload that is not complete.
    UploadIncomplete,
    /// Registration with a malformed e-mail address.
    InvalidEmail,
    /// Registration failed (e.g. the e-mail is taken).
    RegistrationError,
    /// Wrong e-mail or password.
    LoginError,
    /// The invite code is unknown.
    InvalidInviteCode,
    /// The user is already a participant.
    AlreadyMember,
    /// The owner cannot be kicked or lose the admin role.
    OwnerProtected,
    /// The SSE code is unknown or was used already.
    InvalidSseCode,
    /// The request body is larger than the endpoint accepts.
    TooLarge,
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnknownMethod => "unknown_method",
            ErrorCode::InvalidArgs => "invalid_args",
            ErrorCode::InvalidDomainToken => "invalid_domain_token",
            ErrorCode::AuthRequired => "auth_required",
            ErrorCode::InvalidAuthToken => "invalid_auth_token",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidUid => "invalid_uid",
            ErrorCode::NotOwnMessage => "not_own_message",
            ErrorCode::EditWindowExpired => "edit_window_expired",
            ErrorCode::MessageDeleted => "message_deleted",
            ErrorCode::InvalidAttachment => "invalid_attachment",
            ErrorCode::InvalidChunk => "invalid_chunk",
            ErrorCode::SizeMismatch => "size_mismatch",
            ErrorCode::ChecksumMismatch => "checksum_mismatch",
            ErrorCode::UploadIncomplete => "upload_incomplete",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::RegistrationError => "registration_error",
            ErrorCode::LoginError => "login_error",
            ErrorCode::InvalidInviteCode => "invalid_invite_code",
            ErrorCode::AlreadyMember => "already_member",
            ErrorCode::OwnerProtected => "owner_protected",
            ErrorCode::InvalidSseCode => "invalid_sse_code",
            ErrorCode::TooLarge => "too_large",
        }
    }
}
