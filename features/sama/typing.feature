Feature: Typing
  Seed 003, "typing": a typing or stop-typing packet is passed on to the other online
  participants of the conversation, saying who types.

  Background:
    Given the users Alice, Bob, Carol and Dave
    And Alice has created the group "Team" with Bob and Carol

  @rule:S-typing @rule:S-typing-event
  Scenario: Typing reaches the other participants with who is typing
    Doc: 003 "Then other users in this conversation who is online will receive the same typing message."
    When Alice starts typing in "Team"
    Then Bob and Carol each receive typing from Alice in "Team"
    And Alice receives no typing
    And Dave receives no typing

  @rule:S-typing @rule:S-typing-event
  Scenario: Stop typing goes the same way
    Doc: 003 "A user either can send typing or stop typing packets"
    When Bob stops typing in "Team"
    Then Alice and Carol each receive typing from Bob in "Team" with the status "stop"

  @rule:S-typing-event
  Scenario: Typing in a conversation one is not in is answered with an error
    Doc: 003 "Then other users in this conversation who is online will receive the same typing message."
    When Dave starts typing in "Team"
    Then the typing is refused with status 403 (reading S47)
    And Bob receives no typing (reading S47)
