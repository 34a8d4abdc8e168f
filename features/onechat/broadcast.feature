Feature: Mass broadcast
  Seed 004, "Mass broadcast API": POST /onechat/api/massBroadcast with the domain and the
  message in the body and the apikey header "Allows admin/system to mass broadcast to every
  user in the specific domain". Who received what is read from the alerts the target
  delivered (NOTES.md O6, O7).

  Background:
    Given the domain "run7.example" with the users Ann, Ben and Cat
    And the domain "sub.run7.example" with the user Sid
    And the domain "other.example" with the user Zed

  @rule:O-broadcast-domain-users @rule:O-broadcast-url @rule:O-reply-status
  Scenario: A broadcast reaches every user of the domain and nobody outside it
    Doc: 004 "Allows admin/system to mass broadcast to every user in the specific domain"
    When Ann broadcasts "Hi" to "run7.example"
    Then the reply is Success
    And the broadcast "Hi" reached Ann, Ben and Cat and nobody outside "run7.example"

  @rule:O-broadcast-domain-users
  Scenario: Every user of the domain gets the broadcast once
    Doc: 004 "Allows admin/system to mass broadcast to every user in the specific domain"
    When Ann broadcasts "Once" to "run7.example"
    Then the reply is Success
    And each of Ann, Ben and Cat received "Once" exactly once

  @rule:O-broadcast-domain-users @rule:O-broadcast-message-as-sent
  Scenario: The broadcast carries the message as it was sent
    Doc: 004 "message Yes Message to be broadcasted Hi" (NOTES.md O10)
    When Ann broadcasts "  Mind the gap: ünïcödé & <markup>  " to "run7.example"
    Then the reply is Success
    And the broadcast "  Mind the gap: ünïcödé & <markup>  " reached Ann, Ben and Cat and nobody outside "run7.example"

  @rule:O-broadcast-apikey-mandatory
  Scenario: A broadcast without an apikey is refused and reaches nobody
    Doc: 004 "apikey Yes This is the consumer key of the approved App created in the Developer Portal."
    When Ann broadcasts "No key" to "run7.example" without an apikey
    Then the reply is Error with a description
    And nobody received "No key"

  @rule:O-broadcast-apikey-known @rule:O-reply-description
  Scenario: A broadcast with an unknown apikey is refused and reaches nobody
    Doc: 004 "description Description of the status -, Unauthorized"
    When Ann broadcasts "Bad key" to "run7.example" with the apikey "j4w4tty4Lw80hAbAHQGKwto"
    Then the reply is Error with a description
    And nobody received "Bad key"

  Scenario Outline: The domain and the message are mandatory
    Doc: 004 "domain Yes Domain to be broadcasted" and "message Yes Message to be broadcasted" (NOTES.md O10)
    When Ann broadcasts "Half" without a <field>
    Then the reply is Error with a description
    And nobody received "Half"

    @rule:O-broadcast-domain-mandatory
    Examples:
      | field   |
      | domain  |

    @rule:O-broadcast-message-mandatory
    Examples:
      | field   |
      | message |

  @rule:O-broadcast-apikey-known
  Scenario: An app broadcasts only to its own domain
    Doc: 004 "This is the consumer key of the approved App created in the Developer Portal." (NOTES.md O6)
    When Ann broadcasts "Elsewhere" to "other.example"
    And the checks below rest on the reading O6 of the register
    Then the reply is Error with a description
    And nobody received "Elsewhere"
