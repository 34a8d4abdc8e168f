Feature: Alert relays to a user and to a group
  Seed 004, "1-2-1 alert message relay API" (POST /onechat/api/singleMessage: "send message to
  a particular user") and "Group alert message relay API" (POST /onechat/api/groupMessage:
  "send message to a particular group"), each with the jid and the message in the body and
  the apikey header (NOTES.md O8, O9).

  Background:
    Given the domain "run7.example" with the users Ann, Ben and Cat
    And the domain "other.example" with the user Zed

  @rule:O-reply-json @rule:O-single-url @rule:O-single-user
  Scenario: A 1-2-1 alert reaches its user and nobody else
    Doc: 004 "Allows admin/system to send message to a particular user"
    When Ann sends Ben the alert "Deploy at 5"
    Then the reply is Success
    And Ben received "Deploy at 5" and nobody else did

  @rule:O-reply-status @rule:O-single-jid
  Scenario: A 1-2-1 alert to an unknown jid is refused and reaches nobody
    Doc: 004 "jid Yes The jid of the specific user 6581234567@onechat.net" (NOTES.md O9)
    When Ann sends the alert "Anyone?" to the jid "nobody@run7.example"
    Then the reply is Error with a description
    And nobody received "Anyone?"

  @rule:O-single-apikey-mandatory
  Scenario: A 1-2-1 alert without an apikey is refused and reaches nobody
    Doc: 004 "apikey Yes This is the consumer key of the approved App created in the Developer Portal."
    When Ann sends Ben the alert "Keyless" without an apikey
    Then the reply is Error with a description
    And nobody received "Keyless"

  @rule:O-reply-description @rule:O-single-apikey-known
  Scenario: A 1-2-1 alert with an unknown apikey is refused and reaches nobody
    Doc: 004 "description Description of the status -, Unauthorized"
    When Ann sends Ben the alert "Wrong key" with the apikey "j4w4tty4Lw80hAbAHBDKwto"
    Then the reply is Error with a description
    And nobody received "Wrong key"

  @rule:O-single-jid
  Scenario: A 1-2-1 alert needs its jid and its message
    Doc: 004 "jid Yes The jid of the specific user" and "message Yes Message to be broadcasted" (NOTES.md O10)
    When Ann calls singleMessage with {"message": "no jid"}
    Then the reply is Error with a description
    When Ann calls singleMessage with {"jid": "ben@example.test"}
    Then the reply is Error with a description

  @rule:O-group-members @rule:O-group-url
  Scenario: A group alert reaches every member and nobody else
    Doc: 004 "Allows admin/system to send message to a particular group"
    Given the group "Ops" of Ben and Cat
    When Ann sends the group "Ops" the alert "Standup"
    Then the reply is Success
    And Ben and Cat received "Standup" and nobody else did

  @rule:O-group-members
  Scenario: Every member gets a group alert once
    Doc: 004 "Allows admin/system to send message to a particular group" (NOTES.md O8)
    Given the group "Ops" of Ann, Ben and Cat
    When Ann sends the group "Ops" the alert "Once"
    Then the reply is Success
    And each of Ann, Ben and Cat received "Once" exactly once

  @rule:O-group-jid
  Scenario: A group alert to an unknown group is refused and reaches nobody
    Doc: 004 "jid Yes The jid of the specific group abcdef-123456@muc.onechat.net" (NOTES.md O9)
    When Ann sends the group of the jid "abcdef-123456@muc.run7.example" the alert "Lost"
    Then the reply is Error with a description
    And nobody received "Lost"

  @rule:O-group-jid
  Scenario: A user's jid is no group
    Doc: 004 "jid Yes The jid of the specific group abcdef-123456@muc.onechat.net" (NOTES.md O9)
    When Ann sends the group Ben's jid the alert "Not a group"
    Then the reply is Error with a description
    And nobody received "Not a group"

  @rule:O-group-apikey-known
  Scenario: A group alert with an unknown apikey is refused and reaches nobody
    Doc: 004 "description Description of the status -, Unauthorized"
    Given the group "Ops" of Ben and Cat
    When Ann sends the group "Ops" the alert "Sneaky" with the apikey "j4w4tty4Lw80hAbAHBDKwto"
    Then the reply is Error with a description
    And nobody received "Sneaky"

  @rule:O-single-apikey-known
  Scenario: An app relays only to its own domain
    Doc: 004 "This is the consumer key of the approved App created in the Developer Portal." (NOTES.md O6)
    When Ann sends Zed the alert "Across"
    And the checks below rest on the reading O6 of the register
    Then the reply is Error with a description
    And nobody received "Across"

  @rule:O-single-message-mandatory
  Scenario: A 1-2-1 alert to a user needs its message
    Doc: 004 "message Yes Message to be broadcasted Hi" (NOTES.md O10)
    When Ann sends Ben the alert "Shown"
    Then the reply is Success
    When Ann sends Ben the alert "Blank" without its message
    Then the reply is Error with a description
    And Ben received no alert but "Shown"

  @rule:O-group-jid-mandatory
  Scenario: A group alert needs its jid
    Doc: 004 "jid Yes The jid of the specific group" (NOTES.md O10)
    Given the group "Ops" of Ben and Cat
    When Ann sends the group "Ops" the alert "Shown"
    Then the reply is Success
    When Ann sends the group "Ops" the alert "Nowhere" without its jid
    Then the reply is Error with a description
    And nobody received "Nowhere"

  @rule:O-group-message-mandatory
  Scenario: A group alert needs its message
    Doc: 004 "message Yes Message to be broadcasted Hi" (NOTES.md O10)
    Given the group "Ops" of Ben and Cat
    When Ann sends the group "Ops" the alert "Shown"
    Then the reply is Success
    When Ann sends the group "Ops" the alert "Blank" without its message
    Then the reply is Error with a description
    And Ben and Cat received no alert but "Shown"

  @rule:O-group-apikey-mandatory
  Scenario: A group alert without an apikey is refused and reaches nobody
    Doc: 004 "apikey Yes This is the consumer key of the approved App created in the Developer Portal."
    Given the group "Ops" of Ben and Cat
    When Ann sends the group "Ops" the alert "Shown"
    Then the reply is Success
    When Ann sends the group "Ops" the alert "Keyless" without an apikey
    Then the reply is Error with a description
    And nobody received "Keyless"
