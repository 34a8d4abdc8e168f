Feature: Editing and deleting messages
  Seed 003, "message_edit" and "message_delete": a sender edits their own message, and
  deletes messages for themselves or, their own, for everyone; the other online
  participants hear of edits and of deletions for all.

  Background:
    Given the users Alice, Bob, Carol and Dave
    And Alice has created the group "Team" with Bob and Carol

  @rule:S-message-edit @rule:S-message-edit-event
  Scenario: An edit reaches the other participants
    Doc: 003 "Then other users in this conversation who is online will receive the following message: message_edit: { id: "63077ad836b78c3d82af0812", body: "updated message body", from: "634ec51c0b65918393dca5bf""
    Given Alice has sent "draft" to "Team"
    When Alice changes the message "draft" to "final"
    Then the request succeeds with success true
    And Bob and Carol each receive the edit of "draft" to "final" from Alice
    And Alice receives no edit of "draft"
    And Dave receives no edit of "draft"
    And "Team" lists the message "draft" with the body "final"

  @rule:S-message-edit-own
  Scenario: Only the sender edits a message
    Doc: 003 "A message sender can edit own message."
    Given Alice has sent "mine" to "Team"
    When Bob changes the message "mine" to "his now"
    Then the request is refused with status 403
    And Carol receives no edit of "mine"
    And "Team" lists the message "mine" with the body "mine"

  @rule:S-message-edit
  Scenario: Editing a message that does not exist fails
    Doc: 003 "message_edit: { id: "63077ad836b78c3d82af0812", body: "updated message body""
    When Alice changes the message with the unknown id "0000000000000000deadbeef" to "nothing"
    Then the request is refused with status 404 or 422 (reading S10)

  @rule:S-message-delete @rule:S-message-delete-event
  Scenario: Deleting for all reaches the other participants
    Doc: 003 "If use "all", then other users in this conversation who is online will receive the following message"
    Given Alice has sent "oops" to "Team"
    When Alice deletes the message "oops" for all
    Then the request succeeds with success true
    And Bob and Carol each receive the deletion of "oops" for all from Alice
    And Dave receives no deletion of "oops"
    And "Team" no longer lists the message "oops" for Bob

  @rule:S-message-delete @rule:S-message-delete-event
  Scenario: Deleting for myself hides the message for the caller only, and tells no one
    Doc: 003 "Can delete for current user or for all users in a conversation."
    Given Bob has sent "noise" to "Team"
    When Alice deletes the message "noise" for herself
    Then the request succeeds with success true
    And "Team" no longer lists the message "noise" for Alice
    And "Team" still lists the message "noise" for Bob
    And Bob receives no deletion of "noise" (reading S48)

  @rule:S-message-delete-multiple
  Scenario: Several messages are deleted in one request
    Doc: 003 "Delete multiple messages in conversation." and "ids: ["63077ad836b78c3d82af0812", "63077ad836b78c3d82af0813"],"
    Given Alice has sent "one" to "Team"
    And Alice has sent "two" to "Team"
    And Alice has sent "three" to "Team"
    When Alice deletes the messages "one" and "two" for all
    Then the request succeeds with success true
    And Bob receives the deletion of "one" and "two" for all from Alice
    And "Team" no longer lists the message "one" for Bob
    And "Team" no longer lists the message "two" for Bob
    And "Team" still lists the message "three" for Bob

  @rule:S-message-delete
  Scenario: Only one's own messages are deleted for all
    Doc: 003 "Delete multiple messages in conversation. Can delete for current user or for all users in a conversation."
    Given Bob has sent "his" to "Team"
    When Alice deletes the message "his" for all
    Then the request is refused with status 403 (reading S48)
    And "Team" still lists the message "his" for Carol (reading S48)

  @rule:S-message-delete
  Scenario: Deleting a message that does not exist fails
    Doc: 003 "message_delete: { cid: "63077ad836b78c3d82af0812", ids: ["63077ad836b78c3d82af0812", "63077ad836b78c3d82af0813"], type: "myself" | "all""
    When Alice deletes the message with the unknown id "0000000000000000deadbeef" in "Team" for herself
    Then the request is refused with status 404 or 422 (reading S48)
