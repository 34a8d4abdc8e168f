//! Files (seed 003): `create_files` and `get_file_urls`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::RequestId;

/// One file to create: `{ name: "1.png", size: 240, content_type: "image/png" }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileParams {
    #[schemars(length(min = 1))]
    pub name: String,
    pub size: u64,
    #[schemars(length(min = 1))]
    pub content_type: String,
}

/// `create_files: [ {...}, {...} ]`: the request's value is the list itself.
pub type CreateFilesParams = Vec<FileParams>;

/// The file record: `{ _id, name, size, content_type, upload_url: "https://...." }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct File {
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    pub name: String,
    pub size: u64,
    pub content_type: String,
    /// Where to upload the bytes with `PUT`.
    #[schemars(length(min = 1))]
    pub upload_url: String,
}

/// `{ response: { id, files: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FilesReply {
    pub id: RequestId,
    pub files: Vec<File>,
}

/// `get_file_urls: { file_ids: [...] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetFileUrlsParams {
    pub file_ids: Vec<String>,
}

/// One entry of `file_urls` (the seed's list lost its items): the file's `_id` and its
/// download URL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileUrl {
    pub file_id: String,
    #[schemars(length(min = 1))]
    pub url: String,
}

/// `{ response: { id, file_urls: [...] } }`, in the order of `file_ids`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileUrlsReply {
    pub id: RequestId,
    pub file_urls: Vec<FileUrl>,
}
