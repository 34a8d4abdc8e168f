Feature: Creating rooms
  Seed 001, "Create room": the creator becomes owner and admin, invitees get write
  permission, every involved user gets a new-subscription notification, and the room gets a
  'creation' system message and one 'invite' system message per invitee.

  Background:
    Given the users Alice, Bob and Carol

  @rule:U-room-creator-admin-invitees-writers @rule:U-room-creator-owner @rule:U-room-returns-creator-sub @rule:U-room-user-ids @rule:U-sub-carries-group-and-rights
  Scenario: The creator is the owner and an admin; invitees are writers
    Doc: 001 "Creator becomes an admin, all invited users will get write permissions."
    When Alice creates the room "Ops" with Bob and Carol
    Then the call succeeds
    And the reply is Alice's subscription to "Ops" with role "admin"
    And Alice is the owner of "Ops"
    And Bob's role in "Ops" is "rw"
    And Carol's role in "Ops" is "rw"

  @rule:U-notification-shape @rule:U-room-new-sub-notification @rule:U-sse-notification-event
  Scenario: Every involved user is notified of their new subscription
    Doc: 001 "When creating subscriptions for the room, each involved user, including creator, will receive new subscription notificaton"
    When Alice creates the room "Ops" with Bob and Carol
    Then Alice, Bob and Carol each receive a new subscription notification for "Ops"

  @rule:U-message-reference @rule:U-message-xtag @rule:U-room-creation-message @rule:U-room-invite-messages
  Scenario: The room gets a creation message and one invite message per invitee
    Doc: 001 "new created room will be posted with one unichat system message with xtag: 'creation' from room owner and one xtag: 'invite', reference_type: 'user', reference_id: user_id for each invited user."
    When Alice creates the room "Ops" with Bob and Carol
    Then "Ops" has exactly one system message "creation" from Alice
    And "Ops" has a system message "invite" from Alice referring to the user Bob
    And "Ops" has a system message "invite" from Alice referring to the user Carol
    And "Ops" has exactly 2 system messages "invite"
    And Bob receives a new message notification with xtag "creation"

  @rule:U-room-creation-message @rule:U-room-without-users
  Scenario: A room can be created without other users
    Doc: 001 "It is possible to create room without users: it will create only creator (which becomes an owner) subscription."
    When Alice creates the room "Solo"
    Then the call succeeds
    And "Solo" has 1 participant
    And "Solo" has exactly one system message "creation" from Alice

  @rule:U-room-is-space
  Scenario: is_space sets the group attribute
    Doc: 001 "is_space: if not empty, the group attribute is_space will be changed. Default value: false."
    When Alice creates the space "Team"
    Then the reply's group has is_space true
    When Alice creates the room "Plain"
    Then the reply's group has is_space false

  @rule:U-room-user-ids
  Scenario: Inviting an unknown user at creation fails and creates nothing
    Doc: 001 "user_ids: optional array of user_id to be invited immediately."
    When Alice creates the room "Ghost" with the user id 987654321
    Then the call fails with error "not_found"
    And Alice has no subscription named "Ghost"

  @rule:U-room-name-any-string
  Scenario: A room name may be any string
    Doc: 001 "name: required room name. Any string."
    When Alice creates the room "Ops"
    Then the room "Ops" has the name it was created with
    When Alice creates the room "Café & Co: «ops», 東京 🚀"
    Then the room "Café & Co: «ops», 東京 🚀" has the name it was created with
