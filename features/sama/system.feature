Feature: System messages to users or to a conversation
  Seed 003, "system_message": sent to the users in uids, or to the participants of a
  conversation with cid; online recipients get it in real time, acknowledged like a message.

  Background:
    Given the users Alice, Bob and Carol

  @rule:S-system-message-uids
  Scenario: A system message to uids reaches those users only
    Doc: 003 "'uids' should contain recipients user id, who is online will receive the following message in real-time"
    When Alice sends a system message with the x {"kind": "ping"} to Bob
    Then Bob receives the system message with the x {"kind": "ping"} from Alice
    And Carol receives no system message with the x {"kind": "ping"}
    And Alice receives no system message with the x {"kind": "ping"}

  @rule:S-system-message-cid
  Scenario: A system message to a conversation reaches its participants
    Doc: 003 "with 'cid'" and "All conversation's participants who is online will receive the following message in real-time"
    Given Alice has created the group "Team" with Bob
    When Alice sends a system message with the x {"kind": "meeting"} to "Team"
    Then Bob receives the system message with the x {"kind": "meeting"} from Alice in "Team"
    And Carol receives no system message with the x {"kind": "meeting"}

  @rule:S-ack
  Scenario: A system message is acknowledged like a message
    Doc: 003 "On each message sent to server - a server will deliver back to client a simple packet with message id and timestamp at which the message was stored in DB"
    When Alice sends a system message with the x {"kind": "acked"} to Bob
    Then Alice gets an ack for that system message

  @rule:S-system-message-cid
  Scenario: A system message to a conversation of others is refused
    Doc: 003 "All conversation's participants who is online will receive the following message in real-time"
    Given Bob has created the group "Private" with Carol
    When Alice sends a system message with the x {"kind": "intrude"} to "Private"
    Then the system message is refused with status 403 (reading S44)
    And Bob receives no system message with the x {"kind": "intrude"} (reading S44)
