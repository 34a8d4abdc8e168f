//! Attachments: data-URL attachments, chunked uploads with CRC32 checks, and voice
//! recognition (seed 001, "Files Attachments", "Large attachment", "Voice recognition").

use std::collections::BTreeMap;

use base64::Engine;
use chatspec_specs::endpoint::Handle;
use chatspec_specs::unichat::{
    attachments::{
        Attachment, AttachmentByChunksArgs, VoiceAudio, VoiceRecognition, VoiceRecognitionArgs, VoiceStatus,
    },
    envelope::{ErrorCode, FlexId, Timestamp},
};
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::endpoint::{Call, Served};
use super::error::{ApiError, fail};
use super::store::{Store, to_value};
use crate::kit::clock::wire;

/// "If async=false then the size of the chunk should be 64,000 bytes".
pub const SYNC_CHUNK: usize = 64_000;
/// "otherwise if async=true then the chunk should not exceed 1 megabyte (1048576 bytes)".
pub const ASYNC_CHUNK_MAX: usize = 1_048_576;

/// A file the mock keeps and serves under `/files/{id}/...`.
#[derive(Clone, Debug)]
pub struct StoredFile {
    /// The file's name, as given or made up (`attachment.png`).
    pub name: String,
    /// The file's media type.
    pub content_type: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// An upload in progress or complete.
#[derive(Clone, Debug, Serialize)]
pub struct Upload {
    /// The upload's id (`upload_id`).
    pub id: u64,
    /// The user who started it; only they may add chunks or attach it.
    pub owner: u64,
    /// The whole file's size in bytes, as declared by the first chunk.
    pub file_size: u64,
    /// The whole file's CRC32, as declared by the first chunk.
    pub file_checksum: u64,
    /// The name the file gets once complete.
    pub file_name: String,
    /// The file's media type, given or guessed from the name.
    pub content_type: String,
    /// Whether chunks come with `async=true` (any order, numbered by `chunk_id`).
    pub is_async: bool,
    /// The chunks received, by position (sync) or `chunk_id` (async).
    #[serde(skip)]
    pub chunks: BTreeMap<u64, Vec<u8>>,
    /// How many bytes the chunks add up to.
    pub received: u64,
    /// The stored file, once the upload is complete and verified.
    pub file_id: Option<u64>,
    /// Whether `voice_recognition=true` asked for the speech in the file to be recognised
    /// (seed 001); its result is read with `voice_recognition_result`.
    pub voice_recognition: bool,
}

/// A voice recognition job: pending until its result is first asked for.
#[derive(Clone, Debug, Serialize)]
pub struct VoiceJob {
    /// The upload being recognised.
    pub upload_id: u64,
    /// `pending` until the result is first asked for, then `completed` or `failed`.
    pub status: VoiceStatus,
    /// The recognised text, once completed.
    pub transcript: Option<String>,
    /// Why it failed, once failed.
    pub error: Option<String>,
    /// When recognition was started.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the job last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

fn guess_content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ogg" | "oga" => "audio/ogg",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "txt" => "text/plain",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Why an attachment is not "a valid and full data-url string" (`invalid_attachment`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DataUrlError {
    /// The text does not start with `data:`.
    #[error("it must start with data:")]
    NoScheme,
    /// No comma separates the media type from the data.
    #[error("no comma before the data")]
    NoComma,
    /// The data is not marked `;base64`.
    #[error("only ;base64 data is accepted")]
    NotBase64Marked,
    /// The media type before `;base64` has no `/`.
    #[error("the media type is missing")]
    NoMediaType,
    /// The data does not decode as Base64.
    #[error("the data is not valid Base64")]
    BadBase64,
    /// The file was stored but could not be read back (a bug of the mock).
    #[error("stored file vanished")]
    Vanished,
}

impl From<DataUrlError> for ApiError {
    fn from(e: DataUrlError) -> ApiError {
        ApiError::new(ErrorCode::InvalidAttachment, format!("attachment is not a full data URL: {e}"))
    }
}

/// The Base64 of one call, decoded before the store is locked: a data URL or a chunk may be
/// 32 MiB, and decoding it under the lock would stall every other call meanwhile. Each text
/// is kept with its result, and the store takes the result when it reaches the same text.
#[derive(Debug, Default)]
pub(crate) struct Predecoded(Vec<(String, Result<Vec<u8>, base64::DecodeError>)>);

impl Predecoded {
    /// Decodes what `method` decodes from `args`: the data of a data URL `attachment`
    /// (`post_message`, `edit_message`) or the `file_chunk` of `attachment_by_chunks`.
    pub(crate) fn of(method: &str, args: &Value) -> Predecoded {
        let text = match method {
            "post_message" | "edit_message" => {
                args.get("attachment").and_then(Value::as_str).and_then(|u| u.split_once(',')).map(|(_, d)| d)
            }
            "attachment_by_chunks" => args.get("file_chunk").and_then(Value::as_str).map(str::trim),
            _ => None,
        };
        let decode = |t: &str| base64::engine::general_purpose::STANDARD.decode(t);
        Predecoded(text.map(|t| (t.to_owned(), decode(t))).into_iter().collect())
    }
}

impl Store {
    /// `text` decoded: the result [`Predecoded`] holds for it, or decoded now (a call made on
    /// the store directly).
    fn decode(&mut self, text: &str) -> Result<Vec<u8>, base64::DecodeError> {
        match self.predecoded.0.iter().position(|(t, _)| t == text) {
            Some(i) => self.predecoded.0.swap_remove(i).1,
            None => base64::engine::general_purpose::STANDARD.decode(text),
        }
    }
}

/// Splits `data:<mediatype>;base64,<data>` into the media type and the bytes `decode` makes of
/// the data.
fn parse_data_url(
    url: &str,
    decode: impl FnOnce(&str) -> Result<Vec<u8>, base64::DecodeError>,
) -> Result<(&str, Vec<u8>), DataUrlError> {
    let rest = url.strip_prefix("data:").ok_or(DataUrlError::NoScheme)?;
    let (meta, data) = rest.split_once(',').ok_or(DataUrlError::NoComma)?;
    let meta = meta.strip_suffix(";base64").ok_or(DataUrlError::NotBase64Marked)?;
    let media = meta.split(';').next().unwrap_or_default();
    if !media.contains('/') {
        return Err(DataUrlError::NoMediaType);
    }
    let bytes = decode(data).map_err(|_| DataUrlError::BadBase64)?;
    Ok((media, bytes))
}

impl Store {
    fn attachment_for(&self, file_id: u64) -> Option<Attachment> {
        let f = self.files.get(&file_id)?;
        let base = self.serving_base.as_deref().unwrap_or(&self.config.public_base);
        let url = format!("{base}/files/{file_id}/{}", urlencode(&f.name));
        Some(Attachment {
            content_type: f.content_type.clone(),
            byte_size: match self.config.broken(Breakage::ByteSizeOfBase64) {
                false => f.bytes.len() as u64,
                true => f.bytes.len().div_ceil(3) as u64 * 4,
            },
            url,
            // "For mediatypes image/* the system will prepare also preview image automaticlly."
            preview: f.content_type.starts_with("image/").then(|| format!("{base}/files/{file_id}/preview")),
            filename: Some(f.name.clone()),
        })
    }

    fn keep_file(&mut self, name: String, content_type: String, bytes: Vec<u8>) -> u64 {
        let id = self.next("file");
        self.files.insert(id, StoredFile { name, content_type, bytes });
        id
    }

    /// A file by id, for the transport's download route.
    pub fn file(&self, id: u64) -> Option<&StoredFile> {
        self.files.get(&id)
    }

    /// "if present, must be a valid and full data-url string, e.g.
    /// data:<mediatype>;base64,<data>".
    pub(crate) fn store_data_url(
        &mut self,
        url: &str,
        filename: Option<String>,
    ) -> Result<Attachment, ApiError> {
        let (media, bytes) = parse_data_url(url, |data| self.decode(data))?;
        let ext = media.rsplit('/').next().unwrap_or("bin");
        let filename = filename.filter(|_| !self.config.broken(Breakage::FilenameIgnored));
        let name = filename.filter(|n| !n.is_empty()).unwrap_or_else(|| format!("attachment.{ext}"));
        let id = self.keep_file(name, media.to_owned(), bytes);
        self.attachment_for(id).ok_or_else(|| DataUrlError::Vanished.into())
    }

    /// The attachment of a complete upload of `me`'s.
    pub(crate) fn upload_attachment(&self, me: u64, upload_id: u64) -> Result<Attachment, ApiError> {
        match self.uploads.get(&upload_id) {
            Some(u) if u.owner == me => match u.file_id.and_then(|f| self.attachment_for(f)) {
                Some(a) => Ok(a),
                None => fail(ErrorCode::UploadIncomplete, format!("upload {upload_id} is not complete")),
            },
            _ => fail(ErrorCode::NotFound, format!("no upload {upload_id} of yours")),
        }
    }

    pub(crate) fn attachment_by_chunks(
        &mut self,
        _now: OffsetDateTime,
        me: u64,
        args: AttachmentByChunksArgs,
    ) -> Result<Value, ApiError> {
        let chunk = self.decode(args.file_chunk.trim()).map_err(|e| {
            ApiError::new(ErrorCode::InvalidArgs, format!("args.file_chunk: not valid Base64: {e}"))
        })?;
        let is_async = args.is_async.unwrap_or(false);
        let voice = args.voice_recognition.unwrap_or(false);
        if voice {
            // "subscription_id - ID of subscription where the attachment will be sent. It is
            // necessary in order to check whether the user has the right to use the voice
            // recognition function."
            let Some(sid) = args.subscription_id else {
                return fail(
                    ErrorCode::InvalidArgs,
                    "args.subscription_id is required with voice_recognition=true",
                );
            };
            self.own_sub(me, sid)?;
        }
        if is_async && args.chunk_id.is_none() && !self.config.broken(Breakage::AsyncChunkIdOptional) {
            return fail(ErrorCode::InvalidArgs, "args.chunk_id is required when async=true");
        }
        if is_async && chunk.len() > ASYNC_CHUNK_MAX {
            return fail(
                ErrorCode::InvalidChunk,
                format!("an async chunk may not exceed {ASYNC_CHUNK_MAX} bytes; got {}", chunk.len()),
            );
        }
        let id = match args.upload_id {
            None => {
                let id = self.next("upload");
                let file_name = args.file_name.clone().unwrap_or_else(|| format!("upload-{id}"));
                let given_type = args
                    .content_type
                    .clone()
                    .filter(|_| !self.config.broken(Breakage::UploadContentTypeIgnored));
                let content_type = given_type.unwrap_or_else(|| guess_content_type(&file_name).to_owned());
                let file_name = match self.config.broken(Breakage::UploadFileNameIgnored) {
                    false => file_name,
                    true => format!("upload-{id}"),
                };
                self.uploads.insert(
                    id,
                    Upload {
                        id,
                        owner: me,
                        file_size: args.file_size,
                        file_checksum: args.file_checksum,
                        file_name,
                        content_type,
                        is_async,
                        chunks: BTreeMap::new(),
                        received: 0,
                        file_id: None,
                        voice_recognition: voice,
                    },
                );
                id
            }
            Some(id) => match self.uploads.get(&id) {
                Some(u) if u.owner == me => {
                    if u.file_id.is_some() {
                        return fail(ErrorCode::InvalidArgs, format!("upload {id} is already complete"));
                    }
                    if u.file_size != args.file_size
                        || u.file_checksum != args.file_checksum
                        || u.is_async != is_async
                    {
                        return fail(
                            ErrorCode::InvalidArgs,
                            format!("upload {id} was started with another file_size, file_checksum or async"),
                        );
                    }
                    id
                }
                _ => return fail(ErrorCode::NotFound, format!("no upload {id} of yours")),
            },
        };
        let Some(u) = self.uploads.get_mut(&id) else {
            return fail(ErrorCode::NotFound, format!("no upload {id}"));
        };
        let chunk_len = chunk.len() as u64;
        let chunk_crc = u64::from(crc32fast::hash(&chunk));
        let key = if is_async { args.chunk_id.unwrap_or(0) } else { u.chunks.len() as u64 };
        let previous = u.chunks.get(&key).map_or(0, |c| c.len() as u64);
        let received = u.received - previous + chunk_len;
        if received > u.file_size {
            return fail(
                ErrorCode::SizeMismatch,
                format!("the chunks add up to {received} bytes, more than file_size {}", u.file_size),
            );
        }
        if !is_async && received < u.file_size && chunk.len() != SYNC_CHUNK {
            return fail(
                ErrorCode::InvalidChunk,
                format!("a sync chunk other than the last must be {SYNC_CHUNK} bytes; got {}", chunk.len()),
            );
        }
        u.chunks.insert(key, chunk);
        u.received = received;
        if received == u.file_size {
            let bytes: Vec<u8> = u.chunks.values().flatten().copied().collect();
            let crc = u64::from(crc32fast::hash(&bytes));
            if crc != u.file_checksum && !self.config.broken(Breakage::ChecksumIgnored) {
                // The bad upload is dropped so a retry starts clean.
                let expected = u.file_checksum;
                self.uploads.remove(&id);
                return fail(
                    ErrorCode::ChecksumMismatch,
                    format!(
                        "the file's CRC32 is {crc}, file_checksum says {expected}; upload {id} was discarded"
                    ),
                );
            }
            let (name, ct) = (u.file_name.clone(), u.content_type.clone());
            let file_id = self.keep_file(name, ct, bytes);
            if let Some(u) = self.uploads.get_mut(&id) {
                u.file_id = Some(file_id);
                u.chunks.clear();
            }
        }
        let Some(u) = self.uploads.get(&id) else {
            return fail(ErrorCode::NotFound, format!("no upload {id}"));
        };
        // "file_size: if async=false then the upload file size, otherwise the upload chunk
        // size"; likewise the checksum.
        let (file_size, file_checksum) =
            if is_async { (chunk_len, chunk_crc) } else { (u.file_size, u.file_checksum) };
        Ok(json!({
            "upload_id": id,
            "file_size": file_size,
            "file_checksum": file_checksum,
            "content_type": u.content_type,
            "voice_recognition": u.voice_recognition,
        }))
    }

    fn voice_view(&self, job: &VoiceJob) -> Result<Value, ApiError> {
        let u = self.uploads.get(&job.upload_id);
        let f = u.and_then(|u| u.file_id).and_then(|f| self.attachment_for(f));
        let Some((u, f)) = u.zip(f) else {
            return fail(ErrorCode::NotFound, format!("upload {} is gone", job.upload_id));
        };
        let result = VoiceRecognition {
            status: job.status,
            transcript: job.transcript.clone(),
            error: job.error.clone(),
            created_at: Timestamp(wire(job.created_at)),
            updated_at: Timestamp(wire(job.updated_at)),
            audio: VoiceAudio {
                filename: u.file_name.clone(),
                content_type: u.content_type.clone(),
                byte_size: FlexId::Text(f.byte_size.to_string()),
                url: f.url,
            },
        };
        Ok(json!({"result": to_value(&result)}))
    }

    /// Starts recognising a complete upload: the result is `pending`.
    pub(crate) fn voice_recognition(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: VoiceRecognitionArgs,
    ) -> Result<Value, ApiError> {
        self.upload_attachment(me, args.upload_id)?;
        let job = self.voice.entry(args.upload_id).or_insert(VoiceJob {
            upload_id: args.upload_id,
            status: VoiceStatus::Pending,
            transcript: None,
            error: None,
            created_at: now,
            updated_at: now,
        });
        let job = job.clone();
        self.voice_view(&job)
    }

    /// The recognition's outcome. The mock "recognises" deterministically: an `audio/*`
    /// upload whose bytes are UTF-8 text completes with that text as transcript; anything
    /// else fails with a reason.
    pub(crate) fn voice_recognition_result(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: VoiceRecognitionArgs,
    ) -> Result<Value, ApiError> {
        self.upload_attachment(me, args.upload_id)?;
        let Some(job) = self.voice.get(&args.upload_id).cloned() else {
            return fail(
                ErrorCode::NotFound,
                format!("voice recognition was not started for upload {}", args.upload_id),
            );
        };
        let job = if job.status == VoiceStatus::Pending {
            let u = self.uploads.get(&args.upload_id);
            let ct = u.map(|u| u.content_type.clone()).unwrap_or_default();
            let bytes = u
                .and_then(|u| u.file_id)
                .and_then(|f| self.files.get(&f))
                .map(|f| f.bytes.clone())
                .unwrap_or_default();
            let mut done = job;
            done.updated_at = now;
            match (ct.starts_with("audio/"), String::from_utf8(bytes)) {
                (false, _) => {
                    done.status = VoiceStatus::Failed;
                    done.error = Some(format!("{ct} is not audio"));
                }
                (true, Ok(text)) if !text.trim().is_empty() => {
                    done.status = VoiceStatus::Completed;
                    done.transcript = Some(text.trim().to_owned());
                }
                (true, _) => {
                    done.status = VoiceStatus::Failed;
                    done.error = Some("no speech could be recognised".into());
                }
            }
            self.voice.insert(args.upload_id, done.clone());
            done
        } else {
            job
        };
        self.voice_view(&job)
    }
}

fn urlencode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/unichat/mod.rs) ----
impl Handle<chatspec_specs::unichat::attachments::AttachmentByChunks, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.attachment_by_chunks(c.now, c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::attachments::StartVoiceRecognition, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.voice_recognition(c.now, c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::attachments::VoiceRecognitionResult, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.voice_recognition_result(c.now, c.me, c.args()?)
    }
}
