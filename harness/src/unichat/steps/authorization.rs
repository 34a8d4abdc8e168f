//! Steps for what an outsider may not do (seed 001: "current user must have read access to
//! it", "User can post messages to groups where it is subscribed and has write permission",
//! "Only supplied fields will be changed" of one's own subscription). Posting, editing and
//! deleting as an outsider use the steps of those areas.

use chatspec_specs::unichat::{
    messages::{GetMessages, GetMessagesArgs},
    subscriptions::{UpdateSubscription, UpdateSubscriptionArgs},
};
use cucumber::when;

use crate::unichat::UnichatWorld;

#[when(regex = r#"^(\w+) loads the messages of "([^"]*)" by group id$"#)]
async fn loads_by_group(w: &mut UnichatWorld, actor: String, room: String) {
    let group_id = Some(w.room(&room).group_id);
    w.call::<GetMessages>(&actor, GetMessagesArgs { group_id, ..GetMessagesArgs::default() }).await;
}

#[when(regex = r#"^(\w+) uses (\w+)'s subscription to "([^"]*)" to load its messages$"#)]
async fn uses_others_sub(w: &mut UnichatWorld, actor: String, owner: String, room: String) {
    let subscription_id = Some(w.sub_of(&owner, &room).await);
    w.call::<GetMessages>(&actor, GetMessagesArgs { subscription_id, ..GetMessagesArgs::default() }).await;
}

#[when(regex = r#"^(\w+) updates (\w+)'s subscription to "([^"]*)" with the draft "([^"]*)"$"#)]
async fn updates_others_sub(w: &mut UnichatWorld, actor: String, owner: String, room: String, draft: String) {
    let subscription_id = w.sub_of(&owner, &room).await;
    let args =
        UpdateSubscriptionArgs { subscription_id, draft: Some(draft), ..UpdateSubscriptionArgs::default() };
    w.call::<UpdateSubscription>(&actor, args).await;
}
