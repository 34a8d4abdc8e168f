//! Companies (seed 002, "Companies": get all, get single by ID, create, edit, delete), each
//! scoped to the account whose API token calls (NOTES.md C9).

use chatspec_specs::connectnow::{
    companies::{Company, CreateCompany, EditCompany},
    pagination::Paginated,
};
use chatspec_specs::endpoint::Handle;
use time::OffsetDateTime;

use super::errors::ApiError;
use super::pagination::paginate;
use super::store::{CompanyRow, Input, Store};
use super::transport::{Call, Served, reply};
use super::validate::{Presence, Validator};

/// Longest name accepted.
pub const MAX_NAME: usize = 255;

impl Store {
    /// `GET /api/companies`: the account's companies, oldest first.
    pub fn list_companies(&self, input: &Input) -> Result<Paginated<Company>, ApiError> {
        let account = self.account(&input.creds)?;
        let page = Store::page(input)?;
        let all = self.companies.values().filter(|c| c.user_id == account).map(Store::company_view).collect();
        Ok(self.broken_page(paginate(all, page, &input.url)))
    }

    /// `GET /api/companies/{company-id}`.
    pub fn get_company(&self, input: &Input, id: u64) -> Result<Company, ApiError> {
        let account = self.account(&input.creds)?;
        self.own_company(account, id).map(Store::company_view)
    }

    /// `POST /api/companies`.
    pub fn create_company(&mut self, now: OffsetDateTime, input: &Input) -> Result<Company, ApiError> {
        let account = self.account(&input.creds)?;
        let mut v = Validator::new(&input.body);
        let name = v.string("name", Presence::Required, MAX_NAME);
        v.finish()?;
        let req = CreateCompany { name: name.unwrap_or_default() };
        let id = self.next("company");
        let row = CompanyRow { id, user_id: account, name: req.name, created_at: now, updated_at: now };
        let view = Store::company_view(&row);
        self.companies.insert(id, row);
        Ok(view)
    }

    /// `PUT /api/companies/{company-id}`: only the fields given change.
    pub fn edit_company(&mut self, now: OffsetDateTime, input: &Input, id: u64) -> Result<Company, ApiError> {
        let account = self.account(&input.creds)?;
        self.own_company(account, id)?;
        let mut v = Validator::new(&input.body);
        let req = EditCompany { name: v.string("name", Presence::Sometimes, MAX_NAME) };
        v.finish()?;
        let row = self.companies.get_mut(&id).ok_or_else(|| ApiError::missing("Company", id))?;
        if let Some(name) = req.name.filter(|n| *n != row.name) {
            row.name = name;
            row.updated_at = now;
        }
        Ok(Store::company_view(row))
    }

    /// `DELETE /api/companies/{company-id}`: the company goes with its chats and everything
    /// in them; the reply is the deleted record.
    pub fn delete_company(&mut self, input: &Input, id: u64) -> Result<Company, ApiError> {
        let account = self.account(&input.creds)?;
        self.own_company(account, id)?;
        self.remove_company(id)
            .map(|row| Store::company_view(&row))
            .ok_or_else(|| ApiError::missing("Company", id))
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/connectnow/mod.rs) ----
impl Handle<chatspec_specs::connectnow::companies::List, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.list_companies(c.input)?))
    }
}

impl Handle<chatspec_specs::connectnow::companies::Get, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.get_company(c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::companies::Create, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.create_company(c.now, c.input)?))
    }
}

impl Handle<chatspec_specs::connectnow::companies::Edit, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.edit_company(c.now, c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::companies::Delete, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.delete_company(c.input, c.id(0)?)?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::connectnow::store::fixtures::*;
    use serde_json::json;

    #[test]
    fn an_account_sees_and_changes_only_its_own_companies() {
        let (mut store, ann) = store_with_account();
        let bob = account(&mut store, "bob");
        let acme = store.create_company(T0, &api(&ann, json!({"name": "  Acme  "}))).unwrap();
        assert_eq!(acme.name, "Acme");
        store.create_company(T0, &api(&bob, json!({"name": "Bobco"}))).unwrap();
        let mine = store.list_companies(&api(&ann, json!({}))).unwrap();
        assert_eq!(mine.data, vec![acme.clone()]);
        assert_eq!(store.get_company(&api(&bob, json!({})), acme.id), Err(ApiError::Forbidden));
        assert_eq!(
            store.edit_company(T0, &api(&bob, json!({"name": "Mine"})), acme.id),
            Err(ApiError::Forbidden)
        );
        assert_eq!(store.delete_company(&api(&bob, json!({})), acme.id), Err(ApiError::Forbidden));
        assert!(matches!(store.get_company(&api(&ann, json!({})), 99), Err(ApiError::NotFound(_))));
    }

    #[test]
    fn an_edit_changes_only_what_it_names_and_moves_updated_at_only_on_change() {
        let (mut store, ann) = store_with_account();
        let acme = store.create_company(T0, &api(&ann, json!({"name": "Acme"}))).unwrap();
        let later = T0 + time::Duration::minutes(5);
        let same = store.edit_company(later, &api(&ann, json!({"other": 1})), acme.id).unwrap();
        assert_eq!(same, acme);
        let renamed = store.edit_company(later, &api(&ann, json!({"name": "Acme Ltd"})), acme.id).unwrap();
        assert_eq!(renamed.name, "Acme Ltd");
        assert_eq!(renamed.created_at, acme.created_at);
        assert_ne!(renamed.updated_at, acme.updated_at);
        assert!(matches!(
            store.edit_company(later, &api(&ann, json!({"name": null})), acme.id),
            Err(ApiError::Validation(e)) if e.contains_key("name")
        ));
    }

    #[test]
    fn create_validates_before_it_stores() {
        let (mut store, ann) = store_with_account();
        for body in [json!({}), json!({"name": ""}), json!({"name": 7}), json!({"name": "x".repeat(256)})] {
            assert!(matches!(
                store.create_company(T0, &api(&ann, body)),
                Err(ApiError::Validation(e)) if e.contains_key("name")
            ));
        }
        assert!(store.companies.is_empty());
        assert_eq!(
            store.create_company(T0, &api("nope", json!({"name": "A"}))),
            Err(ApiError::Unauthenticated)
        );
    }
}
