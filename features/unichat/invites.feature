Feature: Inviting and joining
  Seed 001, "Invite to the room" and "Use invite code"; public facts for
  create_group_invite_code(subscription_id) -> {code}.

  Background:
    Given the users Alice, Bob, Carol and Dave
    And Alice has created the room "Ops" with Bob

  @rule:U-invite-message @rule:U-invite-notification @rule:U-invite-returns-sub @rule:U-invite-writers @rule:U-message-reference
  Scenario: A writer invites a user: new subscription, notification and invite message
    Doc: 001 "on success, returns the subscription of newly added user, send a notification of the new subscription and post a unichat system message from inviter with xtag:"invite" and reference pointing to the new user."
    When Bob invites Carol to "Ops"
    Then the call succeeds
    And the reply is Carol's subscription to "Ops" with role "rw"
    And Carol receives a new subscription notification for "Ops"
    And "Ops" has a system message "invite" from Bob referring to the user Carol
    And Carol can load the messages of "Ops"

  @rule:U-invite-user-ids
  Scenario: Several users can be invited at once
    Doc: 001 "user_id: id or array of the users IDs which should be invited to the room."
    When Bob invites Carol and Dave to "Ops"
    Then the call succeeds
    And Carol and Dave are participants of "Ops"

  @rule:U-invite-writers
  Scenario: A reader cannot invite
    Doc: 001 "Regular rooms by default allow everybody with write permission to invite others to the room"
    Given Alice has made Bob a reader of "Ops"
    When Bob invites Carol to "Ops"
    Then the call fails with error "access_denied"
    And Carol is not a participant of "Ops"

  @rule:U-invite-user-ids
  Scenario: Inviting a participant again fails
    Doc: 001 "user_id: id or array of the users IDs which should be invited to the room."
    When Alice invites Bob to "Ops"
    Then the call fails with error "already_member"

  @rule:U-fact-invite-code @rule:U-join-message @rule:U-join-notification @rule:U-use-invite-code
  Scenario: Joining by invite code notifies everyone and posts a joined message
    Doc: 001 "When user joins the group using the invite code, all participants (include new one) will receive usual new subscription event. Also system posts unichat system message from new user with xtag:"joined"."
    Given Alice has created an invite code for "Ops"
    When Carol uses the invite code
    Then the call succeeds
    And Alice, Bob and Carol each receive a new subscription notification about Carol in "Ops"
    And "Ops" has a system message "joined" from Carol

  @rule:U-use-invite-code
  Scenario: A made-up invite code is refused
    Doc: 001 "If the user has the invite code, it should use it."
    When Carol uses the invite code "no-such-code"
    Then the call fails with error "invalid_invite_code"

  @rule:U-fact-set-access
  Scenario: An admin sets roles; the new role shows in the subscription
    Doc: public fact "set_access(subscription_id, user_id, role) with roles ro, rw, admin returns {subscription}"
    When Alice makes Bob an admin of "Ops"
    Then the call succeeds
    And Bob's role in "Ops" is "admin"
    And Bob receives a changed subscription notification for "Ops"

  @rule:U-fact-set-access
  Scenario: A writer cannot set roles
    Doc: public fact "set_access(subscription_id, user_id, role) with roles ro, rw, admin returns {subscription}"
    When Bob makes Alice a reader of "Ops"
    Then the call fails with error "access_denied"

  @rule:U-post-write-permission
  Scenario: A reader cannot post
    Doc: 001 "User can post messages to groups where it is subscribed and has write permission."
    Given Alice has made Bob a reader of "Ops"
    When Bob posts "can I?" to "Ops"
    Then the call fails with error "access_denied"

  @rule:U-invite-own-subscription
  Scenario: Inviting goes through the inviter's own subscription
    Doc: 001 "-subscription_id is a subscription of the current user to the room to which he or she wants to invite"
    When Bob invites Carol to "Ops"
    Then the call succeeds
    When Bob invites Dave to "Ops" through Alice's subscription
    Then the call fails with error "access_denied"
    And Dave is not a participant of "Ops"

  @rule:U-invite-message-notification
  Scenario: The invite message is notified like any new message
    Doc: 001 "Of course posting message causes also new message notification."
    When Bob invites Carol to "Ops"
    Then the call succeeds
    And Alice, Bob and Carol each receive a new message notification for the invite of Carol to "Ops"
