//! Files (seed 003): `create_files` with upload URLs and `get_file_urls` with download URLs,
//! both served by the mock itself (NOTES.md S59, S60).

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    envelope::Status,
    files::{CreateFilesParams, File, FileUrl, FileUrlsReply, FilesReply, GetFileUrlsParams},
};
use serde::Serialize;
use serde_json::Value;

use super::compat::Switch;
use super::error::{SamaError, fail};
use super::frames::to_value;
use super::store::{Call, Ctx, Millis, Served, Store, dedup};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct FileRec {
    pub id: String,
    pub owner: String,
    pub name: String,
    pub size: u64,
    pub content_type: String,
    pub created_at: Millis,
    /// The uploaded bytes, once `PUT` to the upload URL.
    #[serde(skip)]
    pub bytes: Option<Vec<u8>>,
}

impl Store {
    /// `create_files: [ { name, size, content_type } ]`.
    pub(crate) fn create_files(&mut self, cx: &Ctx, p: CreateFilesParams) -> Result<Value, SamaError> {
        if p.is_empty() {
            return fail(Status::Unprocessable, "create_files needs at least one file");
        }
        for (i, f) in p.iter().enumerate() {
            if f.name.trim().is_empty() || f.content_type.trim().is_empty() {
                return fail(
                    Status::Unprocessable,
                    format!("create_files[{i}]: name and content_type must not be empty"),
                );
            }
        }
        let mut files = Vec::with_capacity(p.len());
        for f in p {
            let id = self.new_id();
            files.push(File {
                id: id.clone(),
                name: f.name.clone(),
                size: f.size,
                content_type: f.content_type.clone(),
                upload_url: self.file_url(&id),
            });
            self.files.insert(
                id.clone(),
                FileRec {
                    id,
                    owner: cx.me.clone(),
                    name: f.name,
                    size: f.size,
                    content_type: f.content_type,
                    created_at: cx.now,
                    bytes: None,
                },
            );
        }
        let mut reply = to_value(&FilesReply { id: cx.id.clone(), files });
        // The public server adds the storage `object_id` that `get_file_urls` takes (S60).
        if self.config.on(Switch::FileUrlsByObjectId) {
            for file in reply.get_mut("files").and_then(Value::as_array_mut).into_iter().flatten() {
                let id = file.get("_id").and_then(Value::as_str).map(object_id);
                if let (Some(fields), Some(id)) = (file.as_object_mut(), id) {
                    fields.insert("object_id".into(), Value::String(id));
                }
            }
        }
        Ok(reply)
    }

    /// `get_file_urls: { file_ids }`: a list of `{ file_id, url }` in the order asked.
    pub(crate) fn get_file_urls(&self, cx: &Ctx, p: GetFileUrlsParams) -> Result<Value, SamaError> {
        let ids = dedup(p.file_ids);
        if ids.is_empty() {
            return fail(Status::Unprocessable, "get_file_urls.file_ids must not be empty");
        }
        if self.config.on(Switch::FileUrlsByObjectId) {
            return self.file_urls_by_object_id(cx, &ids);
        }
        let missing: Vec<&String> = ids.iter().filter(|id| !self.files.contains_key(*id)).collect();
        if !missing.is_empty() {
            return fail(Status::NotFound, format!("no such files: {missing:?}"));
        }
        if self.config.broken(super::breakage::Breakage::FileUrlsByObjectId) {
            let by_object: serde_json::Map<String, Value> =
                ids.iter().map(|id| (format!("obj_{id}"), Value::String(self.file_url(id)))).collect();
            return Ok(serde_json::json!({"id": cx.id, "file_urls": by_object}));
        }
        let file_urls =
            ids.iter().map(|id| FileUrl { file_id: id.clone(), url: self.file_url(id) }).collect();
        Ok(to_value(&FileUrlsReply { id: cx.id.clone(), file_urls }))
    }

    /// The public server's `get_file_urls`: it takes the `object_id`s `create_files` gave and
    /// answers `{ <object_id>: url }`; the `_id`s are unknown to it (S60).
    fn file_urls_by_object_id(&self, cx: &Ctx, ids: &[String]) -> Result<Value, SamaError> {
        let mut urls = serde_json::Map::new();
        for object in ids {
            match file_of_object(object).filter(|id| self.files.contains_key(*id)) {
                Some(id) => urls.insert(object.clone(), Value::String(self.file_url(id))),
                None => return fail(Status::NotFound, format!("no file with object_id {object:?}")),
            };
        }
        Ok(serde_json::json!({"id": cx.id, "file_urls": urls}))
    }

    /// The file an attachment's `file_id` names: its `_id`, or with `file_urls_by_object_id`
    /// its `object_id` too (the public server's clients send that).
    pub(crate) fn attached_file(&self, file_id: &str) -> Option<&str> {
        if let Some((id, _)) = self.files.get_key_value(file_id) {
            return Some(id.as_str());
        }
        let id = file_of_object(file_id).filter(|_| self.config.on(Switch::FileUrlsByObjectId))?;
        self.files.get_key_value(id).map(|(id, _)| id.as_str())
    }

    /// Stores the bytes `PUT` to a file's upload URL.
    pub fn upload(&mut self, id: &str, bytes: Vec<u8>) -> Result<(), SamaError> {
        match self.files.get_mut(id) {
            Some(f) => {
                f.bytes = Some(bytes);
                Ok(())
            }
            None => fail(Status::NotFound, format!("no file {id:?}")),
        }
    }

    /// A file's content type and bytes, once uploaded.
    pub fn download(&self, id: &str) -> Result<(String, Vec<u8>), SamaError> {
        match self.files.get(id) {
            Some(FileRec { content_type, bytes: Some(bytes), .. }) => {
                Ok((content_type.clone(), bytes.clone()))
            }
            Some(_) => fail(Status::NotFound, format!("file {id:?} was not uploaded yet")),
            None => fail(Status::NotFound, format!("no file {id:?}")),
        }
    }
}

/// The storage object id the public server gives a file besides its `_id`.
pub(crate) fn object_id(file_id: &str) -> String {
    format!("{OBJECT_PREFIX}{file_id}")
}

fn file_of_object(object_id: &str) -> Option<&str> {
    object_id.strip_prefix(OBJECT_PREFIX)
}

const OBJECT_PREFIX: &str = "obj_";

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::files::CreateFiles, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.create_files(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::files::GetFileUrls, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.get_file_urls(c.cx, c.params()?).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn files_get_upload_and_download_urls() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let a = f.connect(&alice);
        let made = f.request(
            a,
            "create_files",
            json!([{"name": "1.png", "size": 240, "content_type": "image/png"},
                   {"name": "2.jpeg", "size": 760, "content_type": "image/jpeg"}]),
        );
        let files = made["files"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        let id = files[1]["_id"].as_str().unwrap().to_owned();
        assert!(files[1]["upload_url"].as_str().unwrap().ends_with(&id));
        let urls = f.request(a, "get_file_urls", json!({"file_ids": [id]}));
        assert_eq!(urls["file_urls"][0]["file_id"], id.as_str());
        assert!(f.store.download(&id).is_err());
        f.store.upload(&id, b"jpeg".to_vec()).unwrap();
        assert_eq!(f.store.download(&id).unwrap().1, b"jpeg");
        let unknown = f.request(a, "get_file_urls", json!({"file_ids": ["nope"]}));
        assert_eq!(unknown["error"]["status"], 404);
        let empty_name =
            f.request(a, "create_files", json!([{"name": "", "size": 1, "content_type": "text/plain"}]));
        assert_eq!(empty_name["error"]["status"], 422);
    }
}
