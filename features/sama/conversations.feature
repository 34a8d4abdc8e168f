Feature: Conversations: creating, listing, participants by id and searching
  Seed 003, "conversation_create", "conversation_list", "get_participants_by_cids" and
  "conversation_search". A new conversation is announced to its online participants with a
  conversation_created system message; the creator's own socket and outsiders hear nothing.

  Background:
    Given the users Alice, Bob and Carol

  @rule:S-conversation-create @rule:S-conversation-created-event @rule:S-conversation-record
  Scenario: Online participants hear of a new group; the creator's socket and outsiders do not
    Doc: 003 "After conversation created, all the online participants will receive the following event about newly created conversation"
    When Alice creates the group "Team" with Bob
    Then the reply's conversation is the group "Team" owned by Alice with Bob
    And Bob receives the conversation_created event for "Team" from Alice
    And Alice receives no conversation_created event for "Team" (reading S14)
    And Carol receives no conversation_created event for "Team"

  @rule:S-conversation-created-event
  Scenario: Every participant of a group of three hears of it
    Doc: 003 "After conversation created, all the online participants will receive the following event about newly created conversation"
    When Alice creates the group "Trio" with Bob and Carol
    Then Bob and Carol each receive the conversation_created event for "Trio" from Alice

  @rule:S-conversation-created-event @rule:S-conversation-private-two @rule:S-conversation-record
  Scenario: A private conversation is for two and names the opponent
    Doc: 003 "(user) - a private conversations for two people only"
    When Alice creates a private conversation "Chat" with Bob
    Then the reply's conversation is private between Alice and Bob, with Bob as the opponent
    And Bob receives the conversation_created event for "Chat" from Alice

  @rule:S-conversation-private-two
  Scenario: A private conversation with two others is refused
    Doc: 003 "A type param must have only one of two values: - (user) - a private conversations for two people only"
    When Alice creates a private conversation "Crowd" with Bob and Carol
    Then the private conversation "Crowd" is refused with status 422
    And Bob receives no conversation_created event for "Crowd"

  @rule:S-conversation-group-two-or-more
  Scenario: A group needs at least one other participant
    Doc: 003 "(group) - conversations for a group of users, two or more."
    When Alice creates the group "Alone" with nobody
    Then the request is refused with status 422

  @rule:S-conversation-create
  Scenario: A group with an unknown participant is refused
    Doc: 003 "conversation_create: { name: "ChantName", description: "Description", type: "g" participants: [ "63077ad836b78c3d82af0812", "63077ad836b78c3d82af0866" ]"
    When Alice creates the group "Ghosts" with the unknown id "0000000000000000deadbeef"
    Then the request is refused with status 404 or 422 (reading S26)

  @rule:S-conversation-last-message @rule:S-conversation-list @rule:S-conversation-unread-count
  Scenario: conversation_list puts the latest activity first, with the last message and the unread count
    Doc: 003 "last_message: {" and "body: "Any news on the recent decision?"," and "unread_messages_count: 2"
    Given Alice has created the group "Old" with Bob
    And Alice has created the group "New" with Carol
    And Bob has sent "ping" to "Old"
    When Alice lists her conversations
    Then the listed conversations are "Old" and "New" in that order (reading S36)
    And the listed "Old" has the last message "ping" from Bob and 1 unread message

  @rule:S-conversation-list-updated-at
  Scenario: conversation_list with updated_at gt lists only later changes
    Doc: 003 "conversation_list: { limit: 67, updated_at: { gt: timestamp_in_ms"
    Given Alice has created the group "Before" with Bob
    And Alice has created the group "After" with Bob
    When Alice lists her conversations changed after "Before" was created
    Then the listed conversations include "After" but not "Before"

  @rule:S-conversation-list-limit
  Scenario: conversation_list keeps to its limit
    Doc: 003 "conversation_list: { limit: 67,"
    Given Alice has created the group "First" with Bob
    And Alice has created the group "Second" with Carol
    When Alice lists her conversations
    Then the listed conversations include "First" and "Second"
    When Alice lists her conversations with the limit 1
    Then at most 1 conversation is listed

  @rule:S-participants-by-cids
  Scenario: get_participants_by_cids answers for the caller's conversations only
    Doc: 003 "conversations: { 635a3b4cb15254ebe43e76ff: [634ec51c0b65918393dca5bf, 63480e68f4794709f802a2fa]"
    Given Alice has created the group "Mine" with Bob
    And Bob has created the group "Theirs" with Carol
    When Alice gets the participants of "Mine" and "Theirs"
    Then the reply maps "Mine" to Alice and Bob and leaves out "Theirs"
    And the reply's users are Alice and Bob

  @rule:S-conversation-search
  Scenario: conversation_search finds the caller's conversations by name, ignoring case
    Doc: 003 "conversation_search: { name: "conversationName", limit: 100, updated_at: { gt: timestamp_in_ms"
    Given Alice has created the group "Press team" with Bob
    And Bob has created the group "Press office" with Carol
    When Alice searches her conversations for the name of "Press team"
    Then the conversations found include "Press team"
    When Alice searches her conversations for the name of "Press team" in capitals
    Then the conversations found include "Press team" (reading S38)
    When Alice searches her conversations for the name of "Press office"
    Then the conversations found do not include "Press office" (reading S38)

  @rule:S-conversation-search-filters
  Scenario: conversation_search keeps to its limit and to conversations changed after updated_at gt
    Doc: 003 "conversation_search: { name: "conversationName", limit: 100, updated_at: { gt: timestamp_in_ms,"
    Given Alice has created the groups "Poll Test" and "Poll Press" with Bob, named with one stem
    When Alice searches her conversations for the stem
    Then the conversations found include "Poll Test" and "Poll Press"
    When Alice searches her conversations for the stem with the limit 1
    Then at most 1 conversation is found
    When Alice searches her conversations for the stem changed after "Poll Test" was created
    Then the conversations found include "Poll Press" but not "Poll Test"
