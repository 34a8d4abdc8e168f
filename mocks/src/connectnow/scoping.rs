//! Scoping (seed 002, "Authentication": chat-user tokens "are scoped to a user in a given
//! chat"; public fact: an API token acts only on its own companies' data; NOTES.md C9, C10):
//! the records a caller, once authenticated (`auth.rs`), may reach.

use super::auth::Actor;
use super::breakage::Breakage;
use super::errors::ApiError;
use super::store::{ChatRow, CompanyRow, Store};

impl Store {
    /// A company the account owns: 404 when there is none, 403 when it is another's.
    pub(crate) fn own_company(&self, account: u64, id: u64) -> Result<&CompanyRow, ApiError> {
        let company = self.companies.get(&id).ok_or_else(|| ApiError::missing("Company", id))?;
        if company.user_id == account { Ok(company) } else { Err(ApiError::Forbidden) }
    }

    /// A chat the actor may act in: one of the account's companies', or the chat user's own.
    /// 404 when there is none, 403 otherwise.
    pub(crate) fn chat_for(&self, actor: Actor, id: u64) -> Result<&ChatRow, ApiError> {
        let chat = self.chats.get(&id).ok_or_else(|| ApiError::missing("Chat", id))?;
        let allowed = match actor {
            Actor::Account(account) => {
                self.companies.get(&chat.company_id).is_some_and(|c| c.user_id == account)
            }
            Actor::ChatUser(member) => {
                self.chat_users.get(&member).is_some_and(|u| u.chat_id == id)
                    || self.config.broken(Breakage::ChatUserTokenInAnyChat)
            }
        };
        if allowed { Ok(chat) } else { Err(ApiError::Forbidden) }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::connectnow::store::fixtures::*;
    use serde_json::json;

    #[test]
    fn another_account_s_records_are_forbidden_and_missing_ones_not_found() {
        let (mut store, ann) = store_with_account();
        let bob = account(&mut store, "bob");
        let room = chat(&mut store, &ann);
        let company = store.chats[&room].company_id;
        let ann_id = store.account(&api(&ann, json!({})).creds).unwrap();
        let bob_id = store.account(&api(&bob, json!({})).creds).unwrap();
        assert!(store.own_company(ann_id, company).is_ok());
        assert_eq!(store.own_company(bob_id, company).err(), Some(ApiError::Forbidden));
        assert!(matches!(store.own_company(ann_id, 99), Err(ApiError::NotFound(_))));
        assert!(store.chat_for(Actor::Account(ann_id), room).is_ok());
        assert_eq!(store.chat_for(Actor::Account(bob_id), room).err(), Some(ApiError::Forbidden));
        let (cy, _) = joined(&mut store, &ann, room, "cy@example.org");
        let other = chat(&mut store, &ann);
        assert!(store.chat_for(Actor::ChatUser(cy), room).is_ok());
        assert_eq!(store.chat_for(Actor::ChatUser(cy), other).err(), Some(ApiError::Forbidden));
    }
}
