Feature: Who takes part: renaming, adding, removing and leaving
  Seed 003, "conversation_update" and "conversation_delete": added users hear
  conversation_updated, removed users conversation_kicked, and a stored participant message
  tells everyone in the conversation who came, who was removed and who left.

  Background:
    Given the users Alice, Bob, Carol and Dave
    And Alice has created the group "Team" with Bob

  @rule:S-conversation-update
  Scenario: Renaming and describing a conversation
    Doc: 003 "conversation_update: { id: currentConversationId, name: "NewName", description: "NewDescription"" and "{ response: { id: "5", conversation: {...} } }"
    When Bob renames "Team" to "Renamed" with the description "About us"
    Then the reply's conversation has the new name and the description "About us" (reading S31)

  @rule:S-added-participant-message @rule:S-conversation-update-add @rule:S-conversation-updated-event
  Scenario: An added user hears conversation_updated, and everyone gets the stored added_participant message
    Doc: 003 "After adding users to a conversation, if they are online, they will receive the following event about the newly created conversation"
    When Alice adds Carol to the conversation "Team"
    Then the reply's conversation lists Alice, Bob and Carol
    And Carol receives the conversation_updated event for "Team" from Alice
    And Bob and Carol each receive the participant message "added_participant" about Carol in "Team"
    And Dave receives no event about "Team"
    And "Team" holds a stored "added_participant" message about Carol

  @rule:S-conversation-kicked-event @rule:S-conversation-update-remove @rule:S-removed-participant-message
  Scenario: A removed user hears conversation_kicked, and the others get the removed_participant message
    Doc: 003 "After kicking users out of the conversation, if they are online, they will receive the following event"
    Given Alice has added Carol to the conversation "Team"
    When Alice removes Carol from the conversation "Team"
    Then the request succeeds
    And Carol receives the conversation_kicked event for "Team" from Alice
    And Bob receives the participant message "removed_participant" about Carol in "Team"
    And Carol receives no participant message "removed_participant" about Carol in "Team" (reading S34)
    And "Team" holds a stored "removed_participant" message about Carol

  @rule:S-conversation-kicked-event @rule:S-conversation-update-remove
  Scenario: Only the owner removes participants
    Doc: 003 "participants: { add:" and "remove: [ "63077ad836b78c3d82af0816" ]"
    Given Alice has added Carol to the conversation "Team"
    When Bob removes Carol from the conversation "Team"
    Then the request is refused with status 403 (reading S31)
    And Carol receives no conversation_kicked event for "Team" (reading S31)

  @rule:S-conversation-delete @rule:S-left-participants-message
  Scenario: A participant who leaves is announced to the others and loses access
    Doc: 003 "When a user leaves the group chat, the next message will also be sent to all users who are online and saved in the Messages"
    Given Alice has added Carol to the conversation "Team"
    When Carol leaves the conversation "Team"
    Then the request succeeds with success true
    And Alice and Bob each receive the participant message "left_participants" about Carol in "Team"
    And "Team" holds a stored "left_participants" message about Carol
    And Carol can no longer list the messages of "Team" (reading S35)

  @rule:S-conversation-delete @rule:S-left-participants-message
  Scenario: When the owner leaves, the conversation stays with the others
    Doc: 003 "conversation_delete: { id: "63077ad836b78c3d82af0812"" and "{ response: { id: "4", success: true } }"
    When Alice leaves the conversation "Team"
    Then Bob receives the participant message "left_participants" about Alice in "Team"
    And Bob can list the messages of "Team" (reading S35)

  @rule:S-conversation-update
  Scenario: An outsider cannot change a conversation
    Doc: 003 "conversation_update: { id: currentConversationId, name: "NewName""
    When Dave renames "Team" to "Taken" with the description "mine"
    Then the request is refused with status 403 (reading S31)
    When Dave adds Dave to the conversation "Team"
    Then the request is refused with status 403 (reading S31)

  @rule:S-conversation-private-two
  Scenario: The participants of a private conversation cannot change
    Doc: 003 "(user) - a private conversations for two people only"
    Given Alice has a private conversation "Chat" with Bob
    When Alice adds Carol to the conversation "Chat"
    Then the request is refused with status 422 (reading S31)
    And "Chat" still has only the participants Alice and Bob
    And Carol receives no conversation_updated event for "Chat"

  @rule:S-conversation-delete
  Scenario: Leaving a conversation that does not exist fails
    Doc: 003 "conversation_delete: { id: "63077ad836b78c3d82af0812""
    When Alice leaves the conversation with the unknown id "0000000000000000deadbeef"
    Then the request is refused with status 404 or 422 (reading S10)

  @rule:S-participant-message-body
  Scenario: A participant message's body names the user added, removed or leaving
    Doc: 003 "body: "Ivan Ivanovich has been added to the group"," and "body: "lane1991 has left the group","
    When Alice adds Carol to the conversation "Team"
    Then Bob receives the participant message "added_participant" about Carol in "Team" saying she "has been added to the group" (reading S34)
    When Alice removes Carol from the conversation "Team"
    Then Bob receives the participant message "removed_participant" about Carol in "Team" saying she "has been removed from the group" (reading S34)
    When Bob leaves the conversation "Team"
    Then Alice receives the participant message "left_participants" about Bob in "Team" saying he "has left the group" (reading S34)

  @rule:S-left-participants-native-id
  Scenario: The user of a left_participants message carries a native_id
    Doc: 003 "x: { type: "left_participants", user: { native_id: "646e2092d80fe5c4e688dfa0", _id: "646e2092d80fe5c4e688dfa0","
    When Bob leaves the conversation "Team"
    Then Alice receives the participant message "left_participants" about Bob in "Team" with the user's native_id
