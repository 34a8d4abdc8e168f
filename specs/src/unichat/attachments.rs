//! Attachments: data-URL attachments, chunked uploads and voice recognition (seed 001, "Files
//! Attachments", "Large attachment", "Voice recognition"; NOTES.md U30 to U34, U36).

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Meta;
use super::envelope::{FlexId, Timestamp};
use crate::endpoint::{Doc, Endpoint};

/// `attachment_by_chunks(file_chunk, upload_id, file_size, file_checksum, file_name, async,
/// chunk_id) -> {upload_id, file_size, file_checksum, content_type, voice_recognition}`.
pub struct AttachmentByChunks;

impl Endpoint for AttachmentByChunks {
    const NAME: &'static str = "attachment_by_chunks";
    type Request = AttachmentByChunksArgs;
    type Reply = AttachmentByChunksReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc =
        Doc::seed("001", "If the attachment is large, it is necessary to upload the file in chunks.");
}

/// `voice_recognition(upload_id) -> {result}`: starts recognising an uploaded audio file
/// (signature lost, NOTES.md U30).
pub struct StartVoiceRecognition;

impl Endpoint for StartVoiceRecognition {
    const NAME: &'static str = "voice_recognition";
    type Request = VoiceRecognitionArgs;
    type Reply = VoiceRecognitionReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::reading(
        "001",
        "After the file has been uploaded, you can call the voice_recognition to start recognizing audio:",
        "U30",
    )
    .rule("U-voice-start");
}

/// `voice_recognition_result(upload_id) -> {result}`: the outcome so far (signature lost,
/// NOTES.md U30).
pub struct VoiceRecognitionResult;

impl Endpoint for VoiceRecognitionResult {
    const NAME: &'static str = "voice_recognition_result";
    type Request = VoiceRecognitionArgs;
    type Reply = VoiceRecognitionReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::reading(
        "001",
        "And call the voice_recognition_result method to get recognition results.",
        "U30",
    )
    .rule("U-voice-result");
}

/// An attachment given on posting or editing: "a valid and full data-url string, e.g.
/// `data:<mediatype>;base64,<data>`".
pub type DataUrl = String;

/// A file attached to a message (seed 001, "Files Attachments").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    /// The file's media type: `"content_type": "image/jpeg"`.
    pub content_type: String,
    /// "size in bytes"
    pub byte_size: u64,
    /// "download link"
    pub url: String,
    /// "only for images"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    /// The name given with `attachment_filename` or `file_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

/// Upload ids as a message carries them: `"upload_id": 14` or `"upload_id": [14, 21]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum UploadIds {
    /// One upload: `"upload_id": 14`.
    One(u64),
    /// "or as an array, if several attachments are loadedy": `"upload_id": [14, 21]`.
    Many(Vec<u64>),
}

/// The arguments of `attachment_by_chunks(file_chunk, upload_id, file_size, file_checksum,
/// file_name, async, chunk_id)`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct AttachmentByChunksArgs {
    /// "a chunk of file encoded in Base64"
    pub file_chunk: String,
    /// "the first time is NULL, the next time is the value that the method returned"
    #[serde(default)]
    pub upload_id: Option<u64>,
    /// "file size in bytes"
    pub file_size: u64,
    /// "file checksum in CRC32"
    pub file_checksum: u64,
    /// "file name to be assigned after it is fully uploaded"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// "file sending format (default: false). If async = true then the chunk_id field is
    /// required."
    #[serde(default, rename = "async", skip_serializing_if = "Option::is_none")]
    pub is_async: Option<bool>,
    /// "Only if async=true"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk_id: Option<u64>,
    /// "if present, sets the content type attribute of the file"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// "true or false. True for speech recognition."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_recognition: Option<bool>,
    /// "only with voice_recognition=true"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<u64>,
}

/// `{upload_id, file_size, file_checksum, content_type, voice_recognition}`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct AttachmentByChunksReply {
    /// "upload file ID"
    pub upload_id: u64,
    /// "if async=false then the upload file size, otherwise the upload chunk size"
    pub file_size: u64,
    /// "if async=false then the upload file checksum, otherwise the upload chunk checksum"
    pub file_checksum: u64,
    /// The file's media type, when given or known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Whether the upload was made for speech recognition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_recognition: Option<bool>,
}

/// The arguments of `voice_recognition(upload_id)` and `voice_recognition_result(upload_id)`
/// (NOTES.md U30).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct VoiceRecognitionArgs {
    /// The complete upload to recognise, from `attachment_by_chunks`.
    pub upload_id: u64,
}

/// `{result: {status, transcript, error, created_at, updated_at, audio}}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct VoiceRecognitionReply {
    /// The recognition as it is now.
    pub result: VoiceRecognition,
}

/// The audio a voice recognition is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VoiceAudio {
    /// The file's name: `filename: "audio.ogg"`.
    pub filename: String,
    /// The file's media type: `content_type: "audio/ogg"`.
    pub content_type: String,
    /// The seed's example shows a string (`"2432543"`); a number is accepted too.
    pub byte_size: FlexId,
    /// The download link: `url: "http://example/audio.ogg"`.
    pub url: String,
}

/// The state of a voice recognition: pending, completed or failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoiceStatus {
    /// "If the status = pending, then processing is still in progress."
    Pending,
    /// "If the status = completed, the transcript field must be filled."
    Completed,
    /// "If the status = failed, the error field must be filled."
    Failed,
}

/// A voice recognition result (seed 001, "Voice recognition"): "If the status = failed, the
/// error field must be filled. If the status = completed, the transcript field must be
/// filled."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = voice_fields_by_status)]
pub struct VoiceRecognition {
    /// `pending`, `completed` or `failed`.
    pub status: VoiceStatus,
    /// The recognised text: "If the status = completed, the transcript field must be
    /// filled."
    pub transcript: Option<String>,
    /// Why it failed: "If the status = failed, the error field must be filled."
    pub error: Option<String>,
    /// When the recognition started.
    pub created_at: Timestamp,
    /// When its state last changed.
    pub updated_at: Timestamp,
    /// The audio file recognised.
    pub audio: VoiceAudio,
}

fn voice_fields_by_status(schema: &mut Schema) {
    schema.insert(
        "allOf".into(),
        json!([
            {"if": {"properties": {"status": {"const": "completed"}}},
             "then": {"properties": {"transcript": {"type": "string"}}}},
            {"if": {"properties": {"status": {"const": "failed"}}},
             "then": {"properties": {"error": {"type": "string", "minLength": 1}}}}
        ]),
    );
}
