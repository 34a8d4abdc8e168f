Feature: Blocking users
  Seed 003, "block_user", "unblock_user" and "list_blocked_users". A block stops private
  messages between the two, and a user who blocked the sender gets no group message from
  them. Every scenario unblocks again, so pre-made accounts stay as they were.

  Background:
    Given the users Alice, Bob and Carol

  @rule:S-block-user @rule:S-list-blocked-users @rule:S-unblock-user
  Scenario: Blocked users are listed in the order blocked, until unblocked
    Doc: 003 "list_blocked_users: {}" with the reply "users: ["63077ad836b78c3d82af0812", "63077ad836b78c3d82af0813"]"
    When Alice blocks Carol and Bob
    Then the request succeeds with success true
    And Alice's blocked users are Carol and Bob in that order (reading S61)
    When Alice unblocks Carol and Bob
    Then the request succeeds with success true
    And Alice's blocked users include neither Carol nor Bob

  @rule:S-block-user @rule:S-unblock-user
  Scenario: A blocked user's private messages are refused
    Doc: 003 "block_user: { ids: ["63077ad836b78c3d82af0812"]"
    Given Alice has a private conversation "Chat" with Bob
    And Bob has blocked Alice
    When Alice sends "hello?" to "Chat"
    Then the message is refused with status 403 or 422 (reading S51)
    And Bob receives no message "hello?" (reading S51)
    When Bob unblocks Alice
    And Alice sends "hello again" to "Chat"
    Then Bob receives the message "hello again" from Alice in "Chat"

  @rule:S-block-user
  Scenario: A user who blocked the sender gets no group message from them
    Doc: 003 "block_user: { ids: ["63077ad836b78c3d82af0812"]"
    Given Alice has created the group "Team" with Bob and Carol
    And Bob has blocked Alice
    When Alice sends "group hello" to "Team"
    Then Carol receives the message "group hello" from Alice in "Team"
    And Bob receives no message "group hello" (reading S51)
    When Bob unblocks Alice
    Then the request succeeds with success true

  @rule:S-block-user
  Scenario: Blocking oneself is refused
    Doc: 003 "block_user: { ids:"
    When Alice blocks Alice
    Then the request is refused with status 422 (reading S61)

  @rule:S-block-user
  Scenario: Blocking an unknown user fails
    Doc: 003 "block_user: { ids: ["63077ad836b78c3d82af0812"]"
    When Alice blocks the unknown id "0000000000000000deadbeef"
    Then the request is refused with status 404 or 422 (reading S61)
