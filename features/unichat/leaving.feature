Feature: Leaving, kicking and the owner hand-off
  Seed 001, "Leaving the room", "When the group owner leaves" and "When the last participant
  leves"; public facts for kick(subscription_id, user_id).

  Background:
    Given the users Alice, Bob, Carol and Dave

  @rule:U-leave-deleted-carries-id @rule:U-leave-deleted-notification @rule:U-leave-message @rule:U-leave-message-from @rule:U-load-read-access @rule:U-unsubscribe
  Scenario: Leaving posts a leave message first, then a deleted notification
    Doc: 001 "the system posts unichat system message from leaving user with xtag: leave just before unsubscribing, so the leaving user will receive its notification."
    Given Alice has created the room "Ops" with Bob and Carol
    When Bob leaves "Ops"
    Then the call succeeds
    And Bob receives a new message notification with xtag "leave" before the deleted notification for his subscription to "Ops"
    And Alice receives a deleted subscription notification carrying the id of Bob's subscription to "Ops"
    And Bob can no longer load the messages of "Ops"

  @rule:U-owner-always @rule:U-owner-handoff-admin
  Scenario: When the owner leaves, the oldest admin becomes owner
    Doc: 001 "the system tries to find the best candidate for this role (the oldest administrator, or oldest writer or oldest reader without mutes and bans), and assign it on this role."
    Given Alice has created the room "Ops" with Bob, Carol and Dave
    And Alice has made Dave an admin of "Ops"
    And Alice has made Carol an admin of "Ops"
    When Alice leaves "Ops"
    Then Carol is the owner of "Ops"
    And Carol's role in "Ops" is "admin"

  @rule:U-owner-always @rule:U-owner-change-notification @rule:U-owner-handoff-writer @rule:U-owner-promoted
  Scenario: When the owner leaves and there is no other admin, the oldest writer becomes owner and admin
    Doc: 001 "The subscription of the new role is promoted to the admin level if need. The usual subscription change notification is sent."
    Given Alice has created the room "Ops" with Bob and Carol
    When Alice leaves "Ops"
    Then Bob is the owner of "Ops"
    And Bob's role in "Ops" is "admin"
    And Carol receives a changed subscription notification about Bob in "Ops"

  @rule:U-owner-always @rule:U-owner-handoff-reader @rule:U-owner-promoted
  Scenario: With only readers left, the oldest reader becomes owner and admin
    Doc: 001 "the oldest administrator, or oldest writer or oldest reader"
    Given Alice has created the room "Ops" with Bob and Carol
    And Alice has made Bob a reader of "Ops"
    And Alice has made Carol a reader of "Ops"
    When Alice leaves "Ops"
    Then Bob is the owner of "Ops"
    And Bob's role in "Ops" is "admin"

  @rule:U-fact-invite-code @rule:U-group-destroyed
  Scenario: When the last participant leaves, the group is gone
    Doc: 001 "The group is destroyed by the system if there are no more participants."
    Given Alice has created the room "Ops"
    And Alice has created an invite code for "Ops"
    When Alice leaves "Ops"
    Then the call succeeds
    And Alice has no subscription named "Ops"
    When Bob uses the invite code
    Then the call fails with error "invalid_invite_code"

  @rule:U-owner-protected
  Scenario: The owner cannot be kicked or lose the admin role
    Doc: 001 "It is not possible to remove owner's admin role or kick him or her out of the group."
    Given Alice has created the room "Ops" with Bob
    And Alice has made Bob an admin of "Ops"
    When Bob kicks Alice from "Ops"
    Then the call fails with error "owner_protected"
    When Bob makes Alice a reader of "Ops"
    Then the call fails with error "owner_protected"

  @rule:U-fact-kick
  Scenario: An admin kicks a participant: kick_out message and deleted notification
    Doc: public fact "kick(subscription_id, user_id) returns {} and posts a system message with xtag kick_out"
    Given Alice has created the room "Ops" with Bob and Carol
    When Alice kicks Carol from "Ops"
    Then the call succeeds
    And "Ops" has a system message "kick_out" from Alice referring to the user Carol
    And Carol receives a deleted subscription notification carrying the id of Carol's subscription to "Ops"
    And Carol can no longer load the messages of "Ops"
