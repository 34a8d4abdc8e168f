//! Files (seed 003): `create_files` and `get_file_urls`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::RequestId;
use crate::endpoint::{Doc, Endpoint};

/// `create_files: [ {...}, {...} ]`: upload URLs for new files.
pub struct CreateFiles;

impl Endpoint for CreateFiles {
    const NAME: &'static str = "create_files";
    type Request = CreateFilesParams;
    type Reply = FilesReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "request: { create_files: [ { name: \"1.png\", size: 240, content_type: \"image/png\" },",
    );
}

/// `get_file_urls: { file_ids }`: download URLs.
pub struct GetFileUrls;

impl Endpoint for GetFileUrls {
    const NAME: &'static str = "get_file_urls";
    type Request = GetFileUrlsParams;
    type Reply = FileUrlsReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "request: { get_file_urls: { file_ids: [\"63077ad836b78c3d82af0812\", \"63077ad836b78c3d82af0813\"]",
    );
}

/// One file to create: `{ name: "1.png", size: 240, content_type: "image/png" }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileParams {
    /// The file's name: `name: "1.png"`.
    #[schemars(length(min = 1))]
    pub name: String,
    /// The file's size in bytes: `size: 240`.
    pub size: u64,
    /// The file's media type: `content_type: "image/png"`.
    #[schemars(length(min = 1))]
    pub content_type: String,
}

/// `create_files: [ {...}, {...} ]`: the request's value is the list itself.
pub type CreateFilesParams = Vec<FileParams>;

/// The file record: `{ _id, name, size, content_type, upload_url: "https://...." }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct File {
    /// The file's id, for attachments' `file_id`: `_id: "63077ad836b78c3d82af0812"`.
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    /// The file's name: `name: "1.png"`.
    pub name: String,
    /// The file's size in bytes: `size: 240`.
    pub size: u64,
    /// The file's media type: `content_type: "image/png"`.
    pub content_type: String,
    /// Where to upload the bytes with `PUT`.
    #[schemars(length(min = 1))]
    pub upload_url: String,
}

/// `{ response: { id, files: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FilesReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The files made, in the order asked: `files: [ {...}, {...} ]`.
    pub files: Vec<File>,
}

/// `get_file_urls: { file_ids: [...] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetFileUrlsParams {
    /// The files' ids: `file_ids: ["63077ad836b78c3d82af0812", "63077ad836b78c3d82af0813"]`.
    pub file_ids: Vec<String>,
}

/// One entry of `file_urls` (the seed's list lost its items): the file's `_id` and its
/// download URL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileUrl {
    /// The file's `_id`.
    pub file_id: String,
    /// Where to download it from.
    #[schemars(length(min = 1))]
    pub url: String,
}

/// `{ response: { id, file_urls: [...] } }`, in the order of `file_ids`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileUrlsReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The download URLs: `file_urls: [`.
    pub file_urls: Vec<FileUrl>,
}
