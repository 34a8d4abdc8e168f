//! Steps for chunked uploads and voice recognition (seed 001, "Large attachment", "Voice
//! recognition").

use std::time::Duration;

use base64::Engine;
use cucumber::{then, when};
use serde_json::{Value, json};

use super::message_of;
use crate::drivers::unichat::UnichatReply as _;
use crate::verdict::Ground;
use crate::world::ChatWorld;

/// "If async=false then the size of the chunk should be 64,000 bytes".
const SYNC_CHUNK: usize = 64_000;

/// Deterministic file contents.
fn file_bytes(n: usize) -> Vec<u8> {
    (0..n).map(|i| u8::try_from((i * 31 + 7) % 251).unwrap_or(0)).collect()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Sends one chunk; returns the reply.
async fn send_chunk(
    w: &mut ChatWorld,
    actor: &str,
    upload_id: Option<u64>,
    chunk: &[u8],
    total: &[u8],
    extra: Value,
) -> crate::drivers::unichat::Reply {
    let mut args = json!({
        "file_chunk": b64(chunk),
        "upload_id": upload_id,
        "file_size": total.len(),
        "file_checksum": crc32fast::hash(total),
    });
    if let (Some(obj), Value::Object(more)) = (args.as_object_mut(), extra) {
        obj.extend(more);
    }
    w.call_as(Some(actor), "attachment_by_chunks", args).await
}

/// Uploads `bytes` in chunks (sync when `chunk_ids` is None); stops at the first failure.
async fn upload(
    w: &mut ChatWorld,
    actor: &str,
    bytes: Vec<u8>,
    name: &str,
    chunk_size: usize,
    order: Option<Vec<usize>>,
    extra: Value,
) {
    let chunks: Vec<&[u8]> = bytes.chunks(chunk_size).collect();
    let indices: Vec<usize> = order.clone().unwrap_or_else(|| (0..chunks.len()).collect());
    let mut id = None;
    let mut replies = Vec::new();
    for i in indices {
        let mut more = json!({"file_name": name});
        if order.is_some() {
            more["async"] = json!(true);
            more["chunk_id"] = json!(i);
        }
        if let (Some(obj), Value::Object(x)) = (more.as_object_mut(), extra.clone()) {
            obj.extend(x);
        }
        let reply = send_chunk(w, actor, id, chunks[i], &bytes, more).await;
        if !reply.is_ok() {
            return;
        }
        id = reply.body.get("upload_id").and_then(Value::as_u64);
        replies.push((reply.body.clone(), chunks[i].len() as u64, u64::from(crc32fast::hash(chunks[i]))));
    }
    w.unichat.upload = Some((id.unwrap_or(0), bytes.clone(), replies));
    w.unichat.expected_download = Some(bytes);
}

#[when(regex = r#"^(\w+) uploads a file of (\d+) bytes named "([^"]*)" in sync chunks$"#)]
async fn uploads_sync(w: &mut ChatWorld, actor: String, size: usize, name: String) {
    upload(w, &actor, file_bytes(size), &name, SYNC_CHUNK, None, json!({})).await;
    let reply = w.last().clone();
    w.ok(&reply);
}

#[when(
    regex = r#"^(\w+) uploads a file of (\d+) bytes named "([^"]*)" in async chunks of (\d+) bytes in reverse order$"#
)]
async fn uploads_async(w: &mut ChatWorld, actor: String, size: usize, name: String, chunk: usize) {
    let n = size.div_ceil(chunk);
    upload(w, &actor, file_bytes(size), &name, chunk, Some((0..n).rev().collect()), json!({})).await;
    let reply = w.last().clone();
    w.ok(&reply);
}

#[then("every chunk reply repeats the file size and the file checksum")]
async fn sync_replies(w: &mut ChatWorld) {
    let Some((_, bytes, replies)) = w.unichat.upload.clone() else { panic!("no upload before this step") };
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
async fn async_replies(w: &mut ChatWorld) {
    let Some((_, _, replies)) = w.unichat.upload.clone() else { panic!("no upload before this step") };
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
async fn posts_upload(w: &mut ChatWorld, actor: String, text: String, room: String) {
    let id = w.unichat.upload.as_ref().map_or(0, |u| u.0);
    super::messages::post(w, &actor, &text, &room, json!({"upload_id": [id]})).await;
}

#[then("the reply's message carries the upload id")]
async fn carries_upload_id(w: &mut ChatWorld) {
    let reply = w.last().clone();
    let m = message_of(&w.ok(&reply));
    let id = w.unichat.upload.as_ref().map_or(0, |u| u.0);
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

#[when(regex = r"^(\w+) starts an? (sync|async) upload of (\d+) bytes with a first chunk of (\d+) bytes$")]
async fn starts_upload(w: &mut ChatWorld, actor: String, mode: String, size: usize, first: usize) {
    let total = file_bytes(size.max(first));
    let declared = &total[..size];
    let chunk = &total[..first];
    let mut extra = json!({"file_name": "part.bin"});
    if mode == "async" {
        extra["async"] = json!(true);
        extra["chunk_id"] = json!(0);
    }
    let reply = send_chunk(w, &actor, None, chunk, declared, extra).await;
    if reply.is_ok() {
        let id = reply.body.get("upload_id").and_then(Value::as_u64).unwrap_or(0);
        w.unichat.upload = Some((id, declared.to_vec(), Vec::new()));
    }
}

#[when(regex = r"^(\w+) uploads a file of (\d+) bytes with a wrong checksum$")]
async fn wrong_checksum(w: &mut ChatWorld, actor: String, size: usize) {
    let bytes = file_bytes(size);
    let args = json!({
        "file_chunk": b64(&bytes),
        "upload_id": null,
        "file_size": size,
        "file_checksum": crc32fast::hash(&bytes) ^ 0x5a5a,
        "file_name": "bad.bin",
    });
    w.call_as(Some(&actor), "attachment_by_chunks", args).await;
}

#[when(regex = r#"^(\w+) uploads the voice note "([^"]*)" as "([^"]*)" for "([^"]*)"$"#)]
async fn uploads_voice(w: &mut ChatWorld, actor: String, content: String, name: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    upload(
        w,
        &actor,
        content.into_bytes(),
        &name,
        SYNC_CHUNK,
        None,
        json!({"voice_recognition": true, "subscription_id": sid}),
    )
    .await;
    let reply = w.last().clone();
    w.ok(&reply);
}

#[when(regex = r"^(\w+) uploads a voice note without a subscription$")]
async fn voice_without_sub(w: &mut ChatWorld, actor: String) {
    let bytes = b"hello".to_vec();
    send_chunk(w, &actor, None, &bytes, &bytes, json!({"file_name": "n.ogg", "voice_recognition": true}))
        .await;
}

#[when(regex = r"^(\w+) starts voice recognition of the upload$")]
async fn starts_voice(w: &mut ChatWorld, actor: String) {
    let id = w.unichat.upload.as_ref().map_or(0, |u| u.0);
    let reply = w.call_as(Some(&actor), "voice_recognition", json!({"upload_id": id})).await;
    let body = w.ok(&reply);
    w.unichat.voice = body.get("result").cloned();
}

#[when(regex = r"^(\w+) polls the voice recognition result until it is done$")]
async fn polls_voice(w: &mut ChatWorld, actor: String) {
    let id = w.unichat.upload.as_ref().map_or(0, |u| u.0);
    let deadline = tokio::time::Instant::now() + w.ctx.target.wait(Duration::from_secs(10));
    // voice_recognition_result is the documented way to learn the outcome: poll it.
    let mut poll = tokio::time::interval(Duration::from_millis(50));
    loop {
        poll.tick().await;
        let reply = w.call_as(Some(&actor), "voice_recognition_result", json!({"upload_id": id})).await;
        let body = w.ok(&reply);
        let result = body.get("result").cloned().unwrap_or(Value::Null);
        let pending = result.get("status").and_then(Value::as_str) == Some("pending");
        w.unichat.voice = Some(result.clone());
        if !pending {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            w.fail("voice recognition finishes", "status completed or failed", result);
        }
    }
}

fn voice(w: &ChatWorld) -> Value {
    w.unichat.voice.clone().unwrap_or(Value::Null)
}

#[then(regex = r#"^the recognition status is "(\w+)"$"#)]
async fn status_is(w: &mut ChatWorld, status: String) {
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
async fn completed_with(w: &mut ChatWorld, transcript: String) {
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
async fn failed_with_error(w: &mut ChatWorld) {
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
