Feature: Authorisation
  Seed 001: users read, post and edit only in groups they are in, and change only their own
  messages.

  Background:
    Given the users Alice, Bob and Mallory
    And Alice has created the room "Ops" with Bob
    And Alice has posted "private matter" to "Ops"

  @rule:U-load-read-access
  Scenario: An outsider cannot load a group's messages
    Doc: 001 "group_id or subscription_id: the group to read messages from, current user must have read access to it."
    When Mallory loads the messages of "Ops" by group id
    Then the call fails with error "access_denied"

  @rule:U-load-read-access
  Scenario: An outsider cannot fetch a message by id
    Doc: 001 "get a message just by its id, bypassing looking up the subscription for its group"
    When Mallory gets the message "private matter"
    Then the call fails with error "access_denied"

  @rule:U-post-member
  Scenario: An outsider cannot post to the group
    Doc: 001 "User can post messages to groups where it is subscribed and has write permission."
    When Mallory posts "let me in" to "Ops" by group id
    Then the call fails with error "access_denied"
    And "Ops" has exactly 0 messages with the text "let me in"

  @rule:U-load-read-access @rule:U-sub-owner-writable
  Scenario: An outsider cannot use someone else's subscription
    Doc: 001 "Manage own subscription"
    When Mallory uses Bob's subscription to "Ops" to load its messages
    Then the call fails with error "access_denied"
    When Mallory updates Bob's subscription to "Ops" with the draft "mine now"
    Then the call fails with error "access_denied"

  @rule:U-delete-author-only @rule:U-edit-own-only
  Scenario: An outsider cannot edit or delete a group's messages
    Doc: 001 "Edit own message" and "Delete own message"
    When Mallory edits "private matter" to "defaced"
    Then the call fails with error "access_denied"
    When Mallory deletes "private matter"
    Then the call fails with error "access_denied"
    And the message "private matter" still has the text "private matter"

  @rule:U-post-notifies-members
  Scenario: Messages of other groups never reach an outsider
    Doc: 001 "Creating messages cause notification to be sent to all group members"
    When Alice posts "members only" to "Ops"
    Then Bob receives a new message notification for "members only"
    And Mallory receives no notification about "members only"
