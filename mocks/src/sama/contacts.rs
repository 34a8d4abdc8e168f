//! Contacts (seed 003): `contact_add`, the batch request, `contact_update`, `contact_list`,
//! `contact_delete` (NOTES.md S21 to S25).

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    contacts::{
        self as wire, ContactBatchParams, ContactDeleteParams, ContactFieldInput, ContactListParams,
        ContactParams, ContactReply, ContactUpdateParams, ContactsReply,
    },
    envelope::Status,
};
use serde::Serialize;
use serde_json::Value;

use super::compat::Switch;
use super::error::{SamaError, fail};
use super::frames::to_value;
use super::store::{Call, Ctx, MAX_IDS, Millis, Served, Store, iso, limit};

/// One e-mail address or phone number: `(type, value)`.
pub(crate) type Point = (String, String);

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Contact {
    pub id: String,
    pub owner: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub email: Vec<Point>,
    pub phone: Vec<Point>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// The seed's literal batch form, `contacts: [...]`, as `contact_batch_add`'s parameters.
pub(crate) fn batch(contacts: Vec<ContactParams>) -> ContactBatchParams {
    ContactBatchParams { contacts }
}

fn points(input: Vec<ContactFieldInput>) -> Vec<Point> {
    input
        .into_iter()
        .map(|f| {
            let kind = f.kind.filter(|k| !k.trim().is_empty());
            (kind.unwrap_or_else(|| "other".into()), f.value.trim().to_owned())
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

fn text(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// "email or phone param is required, as well as first_name or last_name".
fn check(c: &Contact) -> Result<(), SamaError> {
    if c.first_name.is_none() && c.last_name.is_none() {
        return fail(Status::Unprocessable, "a contact needs first_name or last_name");
    }
    if c.email.is_empty() && c.phone.is_empty() {
        return fail(Status::Unprocessable, "a contact needs an email or a phone");
    }
    Ok(())
}

impl Store {
    fn new_contact(&mut self, cx: &Ctx, p: ContactParams) -> Contact {
        Contact {
            id: self.new_id(),
            owner: cx.me.clone(),
            first_name: text(p.first_name),
            last_name: text(p.last_name),
            company: text(p.company),
            email: points(p.email.unwrap_or_default()),
            phone: points(p.phone.unwrap_or_default()),
            created_at: cx.now,
            updated_at: cx.now,
        }
    }

    /// The contact record, with `matched_user_id` worked out now (S23).
    fn contact_view(&self, c: &Contact) -> wire::Contact {
        let field = |(kind, value): &Point| wire::ContactField {
            kind: kind.clone(),
            value: value.clone(),
            matched_user_id: self.user_with_contact_point(value).map(str::to_owned),
        };
        let phones_match = !self.config.broken(super::breakage::Breakage::PhonesNeverMatched);
        let phone = |point: &Point| wire::ContactField {
            matched_user_id: field(point).matched_user_id.filter(|_| phones_match),
            ..field(point)
        };
        wire::Contact {
            id: c.id.clone(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            company: c.company.clone(),
            email: c.email.iter().map(field).collect(),
            phone: c.phone.iter().map(phone).collect(),
            created_at: iso(c.created_at),
            updated_at: iso(c.updated_at),
        }
    }

    /// The caller's contact `id`, or 404.
    fn own_contact(&self, cx: &Ctx, id: &str) -> Result<&Contact, SamaError> {
        match self.contacts.get(id) {
            Some(c) if c.owner == cx.me => Ok(c),
            _ => fail(Status::NotFound, format!("no contact {id:?}")),
        }
    }

    pub(crate) fn contact_add(&mut self, cx: &Ctx, p: ContactParams) -> Result<Value, SamaError> {
        let contact = self.new_contact(cx, p);
        check(&contact)?;
        let view = self.contact_view(&contact);
        self.contacts.insert(contact.id.clone(), contact);
        Ok(to_value(&ContactReply { id: cx.id.clone(), contact: view }))
    }

    /// All contacts are checked before any is added (S21).
    pub(crate) fn contact_batch_add(&mut self, cx: &Ctx, p: ContactBatchParams) -> Result<Value, SamaError> {
        let mut made = Vec::with_capacity(p.contacts.len());
        // The public server drops contacts with neither e-mail nor phone, saying nothing (S22).
        let drop_incomplete = self.config.on(Switch::BatchDropsIncompleteContacts);
        for (i, params) in p.contacts.into_iter().enumerate() {
            let contact = self.new_contact(cx, params);
            if drop_incomplete && contact.email.is_empty() && contact.phone.is_empty() {
                continue;
            }
            check(&contact).map_err(|e| SamaError::new(e.status, format!("contacts[{i}]: {}", e.message)))?;
            made.push(contact);
        }
        let contacts = made.iter().map(|c| self.contact_view(c)).collect();
        for c in made {
            self.contacts.insert(c.id.clone(), c);
        }
        Ok(to_value(&ContactsReply { id: cx.id.clone(), contacts }))
    }

    pub(crate) fn contact_update(&mut self, cx: &Ctx, p: ContactUpdateParams) -> Result<Value, SamaError> {
        let mut c = self.own_contact(cx, &p.id)?.clone();
        if let Some(f) = p.first_name {
            c.first_name = text(Some(f));
        }
        if let Some(l) = p.last_name {
            c.last_name = text(Some(l));
        }
        if let Some(co) = p.company {
            c.company = text(Some(co));
        }
        if let Some(e) = p.email {
            c.email = points(e);
        }
        if let Some(ph) = p.phone {
            c.phone = points(ph);
        }
        check(&c)?;
        c.updated_at = cx.now;
        let view = self.contact_view(&c);
        self.contacts.insert(c.id.clone(), c);
        Ok(to_value(&ContactReply { id: cx.id.clone(), contact: view }))
    }

    /// Oldest `updated_at` first (S24).
    pub(crate) fn contact_list(&self, cx: &Ctx, p: ContactListParams) -> Result<Value, SamaError> {
        if let Some(ids) = &p.ids
            && ids.len() > MAX_IDS
        {
            return fail(
                Status::Unprocessable,
                format!("contact_list takes at most {MAX_IDS} ids; got {}", ids.len()),
            );
        }
        let ignored = self.config.broken(super::breakage::Breakage::ContactListFiltersIgnored);
        let range = p.updated_at.filter(|_| !ignored).map(|f| f.range()).unwrap_or_default();
        let limit = |l| if ignored { usize::MAX } else { limit(l) };
        let mut mine: Vec<&Contact> = self
            .contacts
            .values()
            .filter(|c| c.owner == cx.me)
            .filter(|c| p.ids.as_ref().is_none_or(|ids| ids.contains(&c.id)))
            .filter(|c| range.contains(c.updated_at))
            .collect();
        mine.sort_by(|a, b| (a.updated_at, &a.id).cmp(&(b.updated_at, &b.id)));
        let contacts = mine.into_iter().take(limit(p.limit)).map(|c| self.contact_view(c)).collect();
        Ok(to_value(&ContactsReply { id: cx.id.clone(), contacts }))
    }

    pub(crate) fn contact_delete(&mut self, cx: &Ctx, p: ContactDeleteParams) -> Result<Value, SamaError> {
        self.own_contact(cx, &p.id)?;
        self.contacts.remove(&p.id);
        Ok(cx.success())
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::contacts::ContactAdd, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.contact_add(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::contacts::Contacts, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        // The batch request under the name the seed lost (S21): its list, added as a batch.
        let cx = c.cx;
        self.contact_batch_add(cx, batch(c.params()?)).map(Some)
    }
}

impl Handle<chatspec_specs::sama::contacts::ContactBatchAdd, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.contact_batch_add(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::contacts::ContactUpdate, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.contact_update(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::contacts::ContactList, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.contact_list(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::contacts::ContactDelete, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        if self.config.broken(super::breakage::Breakage::ContactDeleteIdOptional) && c.p.get("id").is_none() {
            return Ok(Some(c.cx.success()));
        }
        self.contact_delete(c.cx, c.params()?).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn a_contact_needs_a_name_and_a_way_to_reach_them() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let conn = f.connect(&alice);
        let no_name = f.request(conn, "contact_add", json!({"email": [{"type": "work", "value": "x@y.z"}]}));
        assert_eq!(no_name["error"]["status"], 422);
        let no_point = f.request(conn, "contact_add", json!({"first_name": "X"}));
        assert_eq!(no_point["error"]["status"], 422);
    }

    #[test]
    fn matched_user_id_names_the_user_with_that_email_or_phone() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let b = f.connect(&bob);
        f.request(b, "user_edit", json!({"phone": "+100"}));
        let a = f.connect(&alice);
        let reply = f.request(
            a,
            "contact_add",
            json!({"first_name": "Bob", "phone": [{"type": "home", "value": "+100"}, {"type": "work", "value": "+200"}]}),
        );
        let phones = &reply["contact"]["phone"];
        assert_eq!(phones[0]["matched_user_id"], bob.user.id.as_str());
        assert!(phones[1].get("matched_user_id").is_none(), "{reply}");
    }

    #[test]
    fn batch_list_update_and_delete() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let a = f.connect(&alice);
        let both = f.request(
            a,
            "contacts",
            json!([
                {"first_name": "One", "email": [{"type": "work", "value": "1@x.io"}]},
                {"last_name": "Two", "phone": [{"type": "home", "value": "2"}]}
            ]),
        );
        assert_eq!(both["contacts"].as_array().unwrap().len(), 2, "{both}");
        let bad = f.request(
            a,
            "contact_batch_add",
            json!({"contacts": [{"first_name": "Three", "phone": [{"value": "3"}]}, {"first_name": "Four"}]}),
        );
        assert_eq!(bad["error"]["status"], 422);
        assert!(bad["error"]["message"].as_str().unwrap().starts_with("contacts[1]"));
        let first = both["contacts"][0]["_id"].as_str().unwrap().to_owned();
        let updated = f.request(a, "contact_update", json!({"id": first, "company": "Acme"}));
        assert_eq!(updated["contact"]["company"], "Acme");
        let listed = f.request(a, "contact_list", json!({"updated_at": "", "limit": 56}));
        let ids: Vec<&str> =
            listed["contacts"].as_array().unwrap().iter().map(|c| c["_id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 2);
        assert_eq!(ids[1], first, "the updated contact comes last");
        let too_many = f.request(a, "contact_list", json!({"ids": vec!["x"; 11]}));
        assert_eq!(too_many["error"]["status"], 422);
        let picked = f.request(a, "contact_list", json!({"ids": [first]}));
        assert_eq!(picked["contacts"].as_array().unwrap().len(), 1);
        let gone = f.request(a, "contact_delete", json!({"id": first}));
        assert_eq!(gone["success"], true);
        let again = f.request(a, "contact_delete", json!({"id": first}));
        assert_eq!(again["error"]["status"], 404);
    }
}
