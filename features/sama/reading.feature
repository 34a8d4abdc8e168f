Feature: Reading: marking messages read
  Seed 003, "message_read": marking messages read tells each author which of their messages
  were read; without ids every unread message is marked.

  Background:
    Given the users Alice, Bob, Carol and Dave
    And Alice has created the group "Team" with Bob and Carol

  @rule:S-message-read @rule:S-message-read-event
  Scenario: Reading given ids tells each author which of theirs were read
    Doc: 003 "Then, all the users whose messages we read will receive the following message: message_read: { cid: "63077ad836b78c3d82af0812", ids: ["63480e68f4794709f802a2fa", "63077ad836b78c3d82af0866"], from: "634ec51c0b65918393dca5bf""
    Given Alice has sent "a1" to "Team"
    And Bob has sent "b1" to "Team"
    When Carol reads "a1" and "b1" in "Team"
    Then the request succeeds with success true
    And Alice receives the message_read from Carol in "Team" for "a1"
    And Bob receives the message_read from Carol in "Team" for "b1"
    And Dave receives no message_read

  @rule:S-conversation-unread-count @rule:S-message-read @rule:S-message-read-all @rule:S-message-read-event @rule:S-message-status
  Scenario: Without ids every unread message is marked read
    Doc: 003 "If ids is omit, we mark all unread messages as read."
    Given Alice has sent "x1" and "x2" to "Team"
    When Bob reads everything in "Team"
    Then the request succeeds with success true
    And Alice receives the message_read from Bob in "Team" for "x1" and "x2"
    And Bob's list of conversations shows "Team" with 0 unread messages
    And Alice's list of "Team" shows "x1" and "x2" as read (reading S45)

  @rule:S-message-read @rule:S-message-read-all
  Scenario: Reading again tells no one
    Doc: 003 "If ids is omit, we mark all unread messages as read."
    Given Alice has sent "once" to "Team"
    When Bob reads everything in "Team"
    Then the request succeeds with success true
    And Alice receives the message_read from Bob in "Team" for "once"
    When Bob reads everything in "Team"
    Then the request succeeds with success true
    And Alice receives no message_read

  @rule:S-message-read
  Scenario: Only participants mark a conversation's messages read
    Doc: 003 "message_read: { cid: "63077ad836b78c3d82af0812", ids:"
    Given Alice has sent "not yours" to "Team"
    When Dave reads everything in "Team"
    Then the request is refused with status 403 (reading S46)
    And Alice receives no message_read
