//! Companies (seed 002, "Companies": `GET /api/companies`, `GET /api/companies/{company-id}`,
//! `POST /api/companies`, `PUT /api/companies/{company-id}`,
//! `DELETE /api/companies/{company-id}`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::pagination::{ListQuery, Paginated};
use super::timestamps::Timestamp;
use super::{Auth, Meta, NoBody};
use crate::endpoint::{Doc, Endpoint};

/// `GET /api/companies` ("Companies", "Get all"): a page of the companies.
pub struct List;

impl Endpoint for List {
    const NAME: &'static str = "list_companies";
    type Request = ListQuery;
    type Reply = Paginated<Company>;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/companies", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Get all GET /api/companies").rule("C-companies-list");
}

/// `GET /api/companies/{company-id}` ("Companies", "Get single by ID").
pub struct Get;

impl Endpoint for Get {
    const NAME: &'static str = "get_company";
    type Request = NoBody;
    type Reply = Company;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/companies/{company-id}", Auth::Api);
    const DOC: Doc =
        Doc::seed("002", "Get single by ID GET /api/companies/{company-id}").rule("C-companies-get");
}

/// `POST /api/companies` ("Companies", "Create").
pub struct Create;

impl Endpoint for Create {
    const NAME: &'static str = "create_company";
    type Request = CreateCompany;
    type Reply = Company;
    type Meta = Meta;
    const META: Meta = Meta::create("/api/companies", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Create POST /api/companies").rule("C-companies-create");
}

/// `PUT /api/companies/{company-id}` ("Companies", "Edit").
pub struct Edit;

impl Endpoint for Edit {
    const NAME: &'static str = "edit_company";
    type Request = EditCompany;
    type Reply = Company;
    type Meta = Meta;
    const META: Meta = Meta::put("/api/companies/{company-id}", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Edit PUT /api/companies/{company-id}").rule("C-companies-edit");
}

/// `DELETE /api/companies/{company-id}` ("Companies", "Delete"): answers the deleted record (NOTES.md C16).
pub struct Delete;

impl Endpoint for Delete {
    const NAME: &'static str = "delete_company";
    type Request = NoBody;
    type Reply = Company;
    type Meta = Meta;
    const META: Meta = Meta::delete("/api/companies/{company-id}", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Delete DELETE /api/companies/{company-id}").rule("C-companies-delete");
}

/// A company. It belongs to the account that created it; an API token sees only its own
/// account's companies (NOTES.md C9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Company {
    /// The company's id, an integer (public fact: "Records use integer ids").
    pub id: u64,
    /// The owning account (`GET /api/user` `id`).
    pub user_id: u64,
    /// The company's name, at most 255 characters (NOTES.md C22).
    pub name: String,
    /// When the company was made (NOTES.md C6).
    pub created_at: Timestamp,
    /// When the company last changed (NOTES.md C6).
    pub updated_at: Timestamp,
}

/// `POST /api/companies` ("Create").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreateCompany {
    /// Required, at most 255 characters.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
}

/// `PUT /api/companies/{company-id}` ("Edit"): only the fields given change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EditCompany {
    /// The new name, at most 255 characters; absent: unchanged, null: refused as blank (NOTES.md
    /// C18, C19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1, max = 255))]
    pub name: Option<String>,
}
