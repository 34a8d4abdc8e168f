//! Steps for chunked uploads and voice recognition (seed 001, "Large attachment", "Voice
//! recognition").

use std::time::Duration;

use base64::Engine;
use chatspec_specs::unichat::attachments::UploadIds;
use chatspec_specs::unichat::attachments::{
    AttachmentByChunks, AttachmentByChunksArgs, StartVoiceRecognition, VoiceRecognitionArgs,
    VoiceRecognitionResult,
};
use chatspec_specs::unichat::messages::{PostMessageArgs, UploadIdArg};
use cucumber::{then, when};
use serde_json::Value;

use crate::unichat::UnichatWorld;
use crate::unichat::driver::{Malformed, UnichatReply as _};
use crate::verdict::Ground;

/// "If async=false then the size of the chunk should be 64,000 bytes".
const SYNC_CHUNK: usize = 64_000;

/// Deterministic file contents.
fn file_bytes(n: usize) -> Vec<u8> {
    (0..n).map(|i| u8::try_from((i * 31 + 7) % 251).unwrap_or(0)).collect()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// How a chunk is sent, beyond its bytes and the whole file's size and checksum: the
/// arguments of `attachment_by_chunks` other than those.
fn chunk_args(file_name: &str) -> AttachmentByChunksArgs {
    AttachmentByChunksArgs { file_name: Some(file_name.to_owned()), ..AttachmentByChunksArgs::default() }
}

impl UnichatWorld {
    /// Sends one chunk of `total` (the whole file, whose size and CRC32 are declared) as
    /// `actor`; `how` gives the other arguments.
    async fn send_chunk(
        &mut self,
        actor: &str,
        upload_id: Option<u64>,
        chunk: &[u8],
        total: &[u8],
        how: AttachmentByChunksArgs,
    ) -> crate::unichat::driver::Reply {
        let args = AttachmentByChunksArgs {
            file_chunk: b64(chunk),
            upload_id,
            file_size: total.len() as u64,
            file_checksum: u64::from(crc32fast::hash(total)),
            ..how
        };
        self.call::<AttachmentByChunks>(actor, args).await
    }

    /// Uploads `bytes` in chunks of `chunk_size` (sync; async in the given order when `order`
    /// is given); `how` gives the other arguments. Stops at the first failure.
    async fn upload(
        &mut self,
        actor: &str,
        bytes: Vec<u8>,
        chunk_size: usize,
        order: Option<Vec<usize>>,
        how: AttachmentByChunksArgs,
    ) {
        let chunks: Vec<&[u8]> = bytes.chunks(chunk_size).collect();
        let indices: Vec<usize> = order.clone().unwrap_or_else(|| (0..chunks.len()).collect());
        let mut id = None;
        let mut replies = Vec::new();
        for i in indices {
            let mut how = how.clone();
            if order.is_some() {
                how.is_async = Some(true);
                how.chunk_id = Some(i as u64);
            }
            let reply = self.send_chunk(actor, id, chunks[i], &bytes, how).await;
            if !reply.is_ok() {
                return;
            }
            id = reply.body.get("upload_id").and_then(Value::as_u64);
            replies.push((reply.body.clone(), chunks[i].len() as u64, u64::from(crc32fast::hash(chunks[i]))));
        }
        self.uploads.extend(id);
        self.upload = Some((id.unwrap_or(0), bytes.clone(), replies));
        self.expected_download = Some(bytes);
    }

    /// The id of the last upload (0 when there was none).
    fn upload_id(&self) -> u64 {
        self.upload.as_ref().map_or(0, |u| u.0)
    }
}

#[when(
    regex = r#"^(\w+) uploads (?:a|a second) file of (\d+) bytes named "([^"]*)"(?: with the content type "([^"]*)")? in sync chunks$"#
)]
async fn uploads_sync(w: &mut UnichatWorld, actor: String, size: usize, name: String, content_type: String) {
    let how = AttachmentByChunksArgs {
        content_type: (!content_type.is_empty()).then_some(content_type),
        ..chunk_args(&name)
    };
    w.upload(&actor, file_bytes(size), SYNC_CHUNK, None, how).await;
    w.last_ok();
}

#[when(
    regex = r#"^(\w+) uploads a file of (\d+) bytes named "([^"]*)" in async chunks of (\d+) bytes in reverse order$"#
)]
async fn uploads_async(w: &mut UnichatWorld, actor: String, size: usize, name: String, chunk: usize) {
    let n = size.div_ceil(chunk);
    w.upload(&actor, file_bytes(size), chunk, Some((0..n).rev().collect()), chunk_args(&name)).await;
    w.last_ok();
}

#[then("every chunk reply repeats the file size and the file checksum")]
async fn sync_replies(w: &mut UnichatWorld) {
    let Some((_, bytes, replies)) = w.upload.clone() else { panic!("no upload before this step") };
    let want = (bytes.len() as u64, u64::from(crc32fast::hash(&bytes)));
    for (body, _, _) in &replies {
        let got = (
            body.get("file_size").and_then(Value::as_u64),
            body.get("file_checksum").and_then(Value::as_u64),
        );
        if got != (Some(want.0), Some(want.1)) {
            w.fail(
                "\"file_size: if async=false then the upload file size\"; likewise the checksum",
                format!("file_size {}, file_checksum {}", want.0, want.1),
                body,
            );
        }
    }
}

#[then("every chunk reply gives the chunk's size and checksum")]
async fn async_replies(w: &mut UnichatWorld) {
    let Some((_, _, replies)) = w.upload.clone() else { panic!("no upload before this step") };
    for (body, len, crc) in &replies {
        let got = (
            body.get("file_size").and_then(Value::as_u64),
            body.get("file_checksum").and_then(Value::as_u64),
        );
        if got != (Some(*len), Some(*crc)) {
            w.fail(
                "\"otherwise the upload chunk size\"; likewise the chunk checksum",
                format!("file_size {len}, file_checksum {crc}"),
                body,
            );
        }
    }
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with the upload$"#)]
async fn posts_upload(w: &mut UnichatWorld, actor: String, text: String, room: String) {
    let upload_id = Some(UploadIdArg::Ids(UploadIds::Many(vec![w.upload_id()])));
    w.post(&actor, &room, PostMessageArgs { text, upload_id, ..PostMessageArgs::default() }).await;
}

#[then("the reply's message carries the upload id")]
async fn carries_upload_id(w: &mut UnichatWorld) {
    let m = w.reply_message();
    let id = w.upload_id();
    let up = m.get("upload_id");
    let ok = up.and_then(Value::as_u64) == Some(id)
        || up.and_then(Value::as_array).is_some_and(|a| a.iter().any(|x| x.as_u64() == Some(id)));
    if !ok {
        w.fail(
            "\"the key upload_id will be included into message record\"",
            format!("upload_id {id} or [{id}]"),
            m,
        );
    }
}

#[when(
    regex = r"^(\w+) starts an? (sync|async) upload of (\d+) bytes with a first chunk of (\d+) bytes( without chunk_id)?$"
)]
async fn starts_upload(
    w: &mut UnichatWorld,
    actor: String,
    mode: String,
    size: usize,
    first: usize,
    bare: String,
) {
    let total = file_bytes(size.max(first));
    let declared = &total[..size];
    let chunk = &total[..first];
    let mut how = chunk_args("part.bin");
    if mode == "async" {
        how.is_async = Some(true);
        how.chunk_id = bare.is_empty().then_some(0);
    }
    let reply = w.send_chunk(&actor, None, chunk, declared, how).await;
    if reply.is_ok() {
        let id = reply.body.get("upload_id").and_then(Value::as_u64).unwrap_or(0);
        w.upload = Some((id, declared.to_vec(), Vec::new()));
    }
}

#[when(regex = r"^(\w+) uploads a file of (\d+) bytes with a wrong checksum$")]
async fn wrong_checksum(w: &mut UnichatWorld, actor: String, size: usize) {
    let bytes = file_bytes(size);
    let args = AttachmentByChunksArgs {
        file_chunk: b64(&bytes),
        upload_id: None,
        file_size: size as u64,
        file_checksum: u64::from(crc32fast::hash(&bytes) ^ 0x5a5a),
        ..chunk_args("bad.bin")
    };
    w.call::<AttachmentByChunks>(&actor, args).await;
}

#[when(regex = r#"^(\w+) uploads the voice note "([^"]*)" as "([^"]*)" for "([^"]*)"$"#)]
async fn uploads_voice(w: &mut UnichatWorld, actor: String, content: String, name: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    let how = AttachmentByChunksArgs {
        voice_recognition: Some(true),
        subscription_id: Some(sid),
        ..chunk_args(&name)
    };
    w.upload(&actor, content.into_bytes(), SYNC_CHUNK, None, how).await;
    w.last_ok();
}

#[when(regex = r"^(\w+) uploads a voice note without a subscription$")]
async fn voice_without_sub(w: &mut UnichatWorld, actor: String) {
    let bytes = b"hello".to_vec();
    let how = AttachmentByChunksArgs { voice_recognition: Some(true), ..chunk_args("n.ogg") };
    w.send_chunk(&actor, None, &bytes, &bytes, how).await;
}

#[when(regex = r"^(\w+) starts voice recognition of the upload$")]
async fn starts_voice(w: &mut UnichatWorld, actor: String) {
    let upload_id = w.upload_id();
    w.call::<StartVoiceRecognition>(&actor, VoiceRecognitionArgs { upload_id }).await;
    let body = w.last_ok();
    w.voice = body.get("result").cloned();
}

#[when(regex = r"^(\w+) polls the voice recognition result until it is done$")]
async fn polls_voice(w: &mut UnichatWorld, actor: String) {
    let upload_id = w.upload_id();
    let deadline = tokio::time::Instant::now() + w.ctx.target.wait(Duration::from_secs(10));
    // voice_recognition_result is the documented way to learn the outcome: poll it.
    let mut poll = tokio::time::interval(Duration::from_millis(50));
    loop {
        poll.tick().await;
        w.call::<VoiceRecognitionResult>(&actor, VoiceRecognitionArgs { upload_id }).await;
        let body = w.last_ok();
        let result = body.get("result").cloned().unwrap_or(Value::Null);
        let pending = result.get("status").and_then(Value::as_str) == Some("pending");
        w.voice = Some(result.clone());
        if !pending {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            w.fail("voice recognition finishes", "status completed or failed", result);
        }
    }
}

/// The last voice recognition result.
fn voice(w: &UnichatWorld) -> Value {
    w.voice.clone().unwrap_or(Value::Null)
}

#[then(regex = r#"^the recognition status is "(\w+)"$"#)]
async fn status_is(w: &mut UnichatWorld, status: String) {
    let v = voice(w);
    if v.get("status").and_then(Value::as_str) != Some(status.as_str()) {
        w.fail(
            "\"If the status = pending, then processing is still in progress.\"",
            format!("status {status:?}"),
            v,
        );
    }
}

#[then(regex = r#"^the recognition status is "completed" with the transcript "([^"]*)"$"#)]
async fn completed_with(w: &mut UnichatWorld, transcript: String) {
    let v = voice(w);
    let filled = v.get("transcript").and_then(Value::as_str).is_some_and(|t| !t.is_empty());
    if v.get("status").and_then(Value::as_str) != Some("completed") || !filled {
        w.fail(
            "\"If the status = completed, the transcript field must be filled.\"",
            format!("status completed, transcript {transcript:?}"),
            v,
        );
    }
    // What the transcript says is the reference mock's stand-in for speech recognition
    // (NOTES.md U30): a real server hears the bytes otherwise.
    w.check_on(
        &Ground::Reading("U30".into()),
        v.get("transcript").and_then(Value::as_str) == Some(transcript.as_str()),
        "the transcript is the recognised speech",
        format!("transcript {transcript:?}"),
        &v,
    );
}

#[then(regex = r#"^the recognition status is "failed" with an error$"#)]
async fn failed_with_error(w: &mut UnichatWorld) {
    let v = voice(w);
    let error = v.get("error").and_then(Value::as_str).unwrap_or("");
    if v.get("status").and_then(Value::as_str) != Some("failed") || error.is_empty() {
        w.fail(
            "\"If the status = failed, the error field must be filled.\"",
            "status failed with a non-empty error",
            v,
        );
    }
}

#[when(
    regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with (both uploads|the upload id as a number|upload_id "")$"#
)]
async fn posts_upload_ids(w: &mut UnichatWorld, actor: String, text: String, room: String, how: String) {
    let upload_id = match how.as_str() {
        "both uploads" => UploadIdArg::Ids(UploadIds::Many(w.uploads.clone())),
        "the upload id as a number" => UploadIdArg::Ids(UploadIds::One(w.upload_id())),
        _ => UploadIdArg::Text(String::new()),
    };
    w.post(&actor, &room, PostMessageArgs { text, upload_id: Some(upload_id), ..PostMessageArgs::default() })
        .await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with upload_id nil$"#)]
async fn posts_upload_nil(w: &mut UnichatWorld, actor: String, text: String, room: String) {
    // The typed arguments leave an absent field out; null is sent on purpose here.
    let subscription_id = Some(w.sub_of(&actor, &room).await);
    let args = PostMessageArgs { subscription_id, text: text.clone(), ..PostMessageArgs::default() };
    let mut args = serde_json::to_value(args).unwrap_or(Value::Null);
    if let Some(fields) = args.as_object_mut() {
        fields.insert("upload_id".into(), Value::Null);
    }
    let token = Some(w.actor(&actor).token.clone());
    let reply = w.call_malformed(Some(&actor), "post_message", Malformed::Args { args, token }).await;
    if reply.is_ok() {
        w.note_message(&text, &crate::unichat::world::message_of(&reply.body));
    }
}

#[then("the reply's message carries both upload ids as an array")]
async fn carries_both(w: &mut UnichatWorld) {
    let m = w.reply_message();
    let want: Vec<Value> = w.uploads.iter().map(|&id| Value::from(id)).collect();
    if m.get("upload_id") != Some(&Value::Array(want.clone())) {
        w.fail(
            "\"upload_id\" is included \"as an array, if several attachments are loadedy\"",
            format!("upload_id: {}", Value::Array(want)),
            m,
        );
    }
}

#[then("the reply's message carries no attachment and no upload id")]
async fn carries_nothing(w: &mut UnichatWorld) {
    let m = w.reply_message();
    let attachments = m.get("attachments").and_then(Value::as_array).map_or(0, Vec::len);
    let upload = m.get("upload_id").filter(|u| !u.is_null() && u.as_array().is_none_or(|a| !a.is_empty()));
    if attachments > 0 || m.get("attachment").is_some_and(|a| !a.is_null()) || upload.is_some() {
        w.fail(
            "a post whose upload_id is nil or empty attaches nothing",
            "attachments: [], no attachment and no upload_id",
            m,
        );
    }
}
