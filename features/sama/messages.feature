Feature: Messages: delivery, the ack, carbons and listing
  Seed 003, "message" and "message_list": a message goes to every online participant but
  the sending socket, the sender's other devices get a carbon copy, and the sender gets an
  ack with the time the message was stored.

  Background:
    Given the users Alice, Bob and Carol
    And Alice has created the group "Team" with Bob

  @rule:S-message-delivered-record @rule:S-message-delivery @rule:S-message-send
  Scenario: Online participants get the message with its x and attachments as sent; others do not
    Doc: 003 "All conversation's participants who is online will receive the following message in real-time"
    When Alice sends "hey how is going?" to "Team" with the x {"param1": "value", "param2": "value"} and two attachments
    Then Bob receives the message "hey how is going?" from Alice in "Team" with that x and those attachments
    And Alice receives no message "hey how is going?"
    And Carol receives no message "hey how is going?"

  @rule:S-ack @rule:S-ack-same-time @rule:S-message-delivery
  Scenario: The sender gets an ack with the time the message was stored
    Doc: 003 "a server will deliver back to client a simple packet with message id and timestamp at which the message was stored in DB so both sender & recipient will have same date sent time stored"
    When Alice sends "ack me" to "Team"
    Then Alice gets an ack for "ack me" with its id, the stored message id and the time
    And Bob receives the message "ack me" with the server_mid and t of its ack
    And "Team" lists the message "ack me" with the server_mid and t of its ack

  @rule:S-carbons @rule:S-message-delivery
  Scenario: Carbons reach the sender's other devices but not the sending one
    Doc: 003 "Carbons is enabled by default. On send - a message will be delivered back to all active sender's devices except the current one."
    Given Alice is also connected on the device "phone"
    When Alice sends "from the laptop" to "Team"
    Then Alice's phone receives the message "from the laptop" from Alice in "Team"
    And Bob receives the message "from the laptop" from Alice in "Team"
    And Alice receives no message "from the laptop"

  @rule:S-message-delivery
  Scenario: With three participants each message reaches the two others
    Doc: 003 "All conversation's participants who is online will receive the following message in real-time"
    Given Alice has added Carol to the conversation "Team"
    When Bob sends "from bob" to "Team"
    Then Alice and Carol each receive the message "from bob" from Bob in "Team"
    And Bob receives no message "from bob"
    When Carol sends "from carol" to "Team"
    Then Alice and Bob each receive the message "from carol" from Carol in "Team"

  @rule:S-message-send
  Scenario: A message needs a body or attachments
    Doc: 003 "message: { id: "5а34p21m0xj23", body: "hey how is going?", cid: "63480e68f4794709f802a2fa", x:" and "attachments:"
    When Alice sends an empty message to "Team"
    Then the message is refused with status 422 (reading S43)

  @rule:S-message-delivery
  Scenario: Only participants send to a conversation
    Doc: 003 "All conversation's participants who is online will receive the following message in real-time"
    When Carol sends "let me in" to "Team"
    Then the message is refused with status 403 (reading S44)
    And Bob receives no message "let me in" (reading S44)

  @rule:S-message-send
  Scenario: A message to a conversation that does not exist is refused
    Doc: 003 "message: { id: "5а34p21m0xj23", body: "hey how is going?", cid: "63480e68f4794709f802a2fa""
    When Alice sends "into the void" to the conversation id "0000000000000000deadbeef"
    Then the message is refused with status 404 or 422 (reading S10)

  @rule:S-message-list
  Scenario: message_list lists the newest first and honours limit
    Doc: 003 "message_list: { cid: "63077ad836b78c3d82af0812", limit: 27, updated_at: { gt: timestamp_in_ms"
    Given Alice has sent "one", "two" and "three" to "Team"
    When Bob lists the messages of the conversation "Team"
    Then the listed messages are "three", "two" and "one" in that order (reading S45)
    When Bob lists 2 messages of "Team"
    Then 2 messages are listed
    And the listed messages are "three" and "two" in that order (reading S45)

  @rule:S-message-list-updated-at
  Scenario: message_list with updated_at gt lists only later changes
    Doc: 003 "message_list: { cid: "63077ad836b78c3d82af0812", limit: 27, updated_at: {"
    Given Alice has sent "early" and "late" to "Team"
    When Bob lists the messages of the conversation "Team" changed after "early" was stored
    Then the listed messages are "late" in that order

  @rule:S-message-list
  Scenario: Only participants list a conversation's messages
    Doc: 003 "message_list: { cid: "63077ad836b78c3d82af0812""
    Given Alice has sent "secret" to "Team"
    When Carol lists the messages of the conversation "Team"
    Then the request is refused with status 403 (reading S44)
